"""From the registry to the rules: one enterprise's facts.md document, and the facts frame of any set of enterprises.

:func:`enterprise_document` writes the JSON document of ``shared/reference/facts.md`` (for the API, exports and
the CLI); :func:`facts_frame` gives the same facts as ``gaoqi.rules.ingest.read_document`` would for each
enterprise's document, but for any number of enterprises at once: one query per table, aggregated with Polars.

Both read the registry with the same meaning:

- amounts are whole yuan, rounded half up (ties away from zero) from the two decimal places stored;
- only the three fiscal years before ``as_of``'s year are read, and years before the year of establishment are
  dropped: the enterprise did not exist, so their figures stay unknown;
- a year that gives any item of the R&D breakdown gives all ten (absent items are 0), and its ``rd_expense`` total
  is not read: facts.md takes the one or the other, and the rules derive each caliber from the items;
- what happened after ``as_of`` is not yet known on that date: IP granted or acquired later, certificates issued
  later, incidents and financing dated later, awards and standards of a later year are left out;
- a list (IP, certificates, incidents, awards, R&D institutions, standards, financing) is given when the enterprise
  has rows in it, or declared it complete and empty (``EnterpriseRecord.has_…_record``); otherwise it is unknown,
  and so are the counts the rules make of it;
- any other NULL is left out of the document and null in the frame: unknown, never zero.

An enterprise established after ``as_of`` has no valid document on that date (``read_document`` refuses it); the
frame keeps it with its date of establishment, which the rules find too recent.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import polars as pl
from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import BigIntegerField, F, FloatField, Func, QuerySet, TextField
from django.db.models.functions import Cast, Round

from gaoqi.registry.models import (
    Award,
    Certificate,
    Enterprise,
    EnterpriseRecord,
    EquityFinancing,
    Incident,
    IPItem,
    RDInstitution,
    Standard,
    YearlyFigures,
)
from gaoqi.rules import (
    FACTS,
    FACTS_SCHEMA,
    IP_FLAGS,
    ITEM_SCHEMAS,
    RD_BREAKDOWN,
    RD_BREAKDOWN_PARTS,
    YEARLY_BASES,
    YEARS,
    aggregate,
    with_rd_breakdown,
)

RECORD_FLAGS = (
    "is_on_abnormal_list",
    "is_seriously_dishonest",
    "has_research_misconduct",
    "has_prohibited_products",
    "has_tax_evasion_3y",
)
EXPERT_ITEMS = ("ip_advancement", "ip_core_support", "ip_acquisition", "standard_bonus", "conversion_score")
SRDI_ITEMS = (
    "niche_years",
    "market_share",
    "market_rank",
    "chain_field",
    "is_time_honoured_brand",
    "is_chain_leader_supplier",
    "has_information_system",
    "has_certification",
    "has_own_brand",
    "has_quality_award",
    "local_score",
    "platform_score",
    "platform_score_prev",
    "is_srdi_sme_renewal",
    "is_little_giant_renewal",
)
ENTERPRISE_FLAGS = (
    "is_strategic_emerging",
    "is_mainland_resident",
    "is_sme",
    "is_on_ic_machine_tool_list",
    "is_tech_innovation_demo",
    "is_ip_advantage_or_demo",
)
DECLARED_LISTS = {
    "ip": "has_ip_record",
    "certificates": "has_certificate_record",
    "incidents": "has_incident_record",
    "awards": "has_award_record",
    "rd_institutions": "has_rd_institution_record",
    "standards": "has_standard_record",
    "equity_financing": "has_equity_financing_record",
}
"""The lists the registry keeps, and the ``EnterpriseRecord`` flag that declares each complete even when empty."""
RD_MANAGEMENT = tuple(f"rd_management_{i}" for i in range(1, 5))
BREAKDOWN_FIELDS = tuple(f"rd_{key}" for key in (*RD_BREAKDOWN, *RD_BREAKDOWN_PARTS))


def whole_yuan(amount: Decimal) -> int:
    """An amount rounded to whole yuan, half up (ties away from zero), as facts.md wants money."""
    return int(amount.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def fiscal_years(enterprise: Enterprise, as_of: date) -> range:
    """The fiscal years read on ``as_of``: the three before its year, from the year of establishment on."""
    first = as_of.year - len(YEARS)
    if enterprise.registered_on is not None:
        first = max(first, enterprise.registered_on.year)
    return range(first, as_of.year)


# ---------------------------------------------------------------------------------------------------- one document


def enterprise_document(enterprise: Enterprise, *, as_of: date) -> dict[str, Any]:
    """The facts.md JSON document of one enterprise on ``as_of``; see the module docstring for what is read.

    Amounts are decimal strings of whole yuan, rounded half up from the stored cents; NULL fields are left out
    (unknown); a list is given, possibly empty, when the enterprise has rows in it or declared it.
    """
    record = EnterpriseRecord.objects.filter(enterprise=enterprise).first()
    doc: dict[str, Any] = {"as_of": as_of.isoformat(), "enterprise": _enterprise_part(enterprise)}
    figures = YearlyFigures.objects.filter(enterprise=enterprise, year__in=fiscal_years(enterprise, as_of))
    doc["years"] = {str(f.year): _year_part(f) for f in figures}
    groups: dict[str, tuple[Any, str, Callable[..., Any]]] = {
        "ip": (IPItem, "has_ip_record", _ip_items),
        "certificates": (Certificate, "has_certificate_record", _certificates),
        "awards": (Award, "has_award_record", _ranked_items),
        "rd_institutions": (RDInstitution, "has_rd_institution_record", _institutions),
        "standards": (Standard, "has_standard_record", _ranked_items),
        "equity_financing": (EquityFinancing, "has_equity_financing_record", _financing),
    }
    for key, (model, declared, build) in groups.items():
        rows = model.objects.filter(enterprise=enterprise)
        if rows.exists() or (record is not None and getattr(record, declared)):
            doc[key] = build(rows, as_of)
    records = _records_part(enterprise, record, as_of)
    if records:
        doc["records"] = records
    assessments = _assessments_part(record)
    if assessments:
        doc["assessments"] = assessments
    return doc


def _enterprise_part(e: Enterprise) -> dict[str, Any]:
    part: dict[str, Any] = {"uscc": e.uscc, "name": e.name}
    if e.registered_on is not None:
        part["registered_on"] = e.registered_on.isoformat()
    for name in ("region_code", "industry_code", "tax_collection"):
        if getattr(e, name):
            part[name] = getattr(e, name)
    if e.hnte_domain is not None:  # 0 is "in none of the domains", which the document writes as null
        part["hnte_domain"] = e.hnte_domain or None
    for flag in ENTERPRISE_FLAGS:
        if getattr(e, flag) is not None:
            part[flag] = getattr(e, flag)
    if e.zones is not None:
        part["zones"] = list(e.zones)
    return part


def _year_part(figures: YearlyFigures) -> dict[str, Any]:
    part: dict[str, Any] = {}
    breakdown = {key: getattr(figures, f"rd_{key}") for key in (*RD_BREAKDOWN, *RD_BREAKDOWN_PARTS)}
    # a part alone is no breakdown (the facts frame drops it too: see with_rd_breakdown)
    has_breakdown = any(breakdown[key] is not None for key in RD_BREAKDOWN)
    for base in YEARLY_BASES:
        value = getattr(figures, base)
        if value is None or base in BREAKDOWN_FIELDS or (base == "rd_expense" and has_breakdown):
            continue
        part[base] = _plain(value, FACTS[f"{base}_y1"].unit)
    if has_breakdown:
        part["rd_breakdown"] = {key: str(whole_yuan(v)) for key, v in breakdown.items() if v is not None}
    return part


def _plain(value: Any, unit: str) -> Any:
    if unit == "yuan":
        return str(whole_yuan(value))
    return float(value) if isinstance(value, Decimal) else value


def _ip_items(rows: QuerySet[IPItem], as_of: date) -> list[dict[str, Any]]:
    items = []
    for item in rows.exclude(granted_on__gt=as_of).exclude(acquired_on__gt=as_of):
        entry: dict[str, Any] = {"kind": item.kind, "count": item.count}
        if item.granted_on is not None:
            entry["granted_on"] = item.granted_on.isoformat()
        if item.acquired:
            entry["acquired"] = item.acquired
        if item.acquired_on is not None:
            entry["acquired_on"] = item.acquired_on.isoformat()
        entry.update({flag: getattr(item, flag) for flag in IP_FLAGS if getattr(item, flag) is not None})
        entry.update({name: getattr(item, name) for name in ("number", "title") if getattr(item, name)})
        items.append(entry)
    return items


def _certificates(rows: QuerySet[Certificate], as_of: date) -> list[dict[str, Any]]:
    return [
        {
            "program": c.program,
            "issued_on": c.issued_on.isoformat(),
            **({"expires_on": c.expires_on.isoformat()} if c.expires_on else {}),
            **({"number": c.number} if c.number else {}),
        }
        for c in rows.filter(issued_on__lte=as_of)
    ]


def _ranked_items(rows: QuerySet[Any], as_of: date) -> list[dict[str, Any]]:
    """Awards and standards: level, rank, year, name and an award's kind, without those of a year after ``as_of``'s."""
    items = []
    for row in rows.exclude(year__gt=as_of.year):
        entry: dict[str, Any] = {"level": row.level}
        entry.update({name: getattr(row, name) for name in ("rank", "year") if getattr(row, name) is not None})
        entry.update({name: getattr(row, name) for name in ("name", "kind") if getattr(row, name, "")})
        items.append(entry)
    return items


def _institutions(rows: QuerySet[RDInstitution], as_of: date) -> list[dict[str, Any]]:
    return [{"level": i.level, **{n: getattr(i, n) for n in ("kind", "name") if getattr(i, n)}} for i in rows]


def _financing(rows: QuerySet[EquityFinancing], as_of: date) -> list[dict[str, Any]]:
    return [
        {
            "date": f.date.isoformat(),
            "amount": str(whole_yuan(f.amount)),
            **({"investor": f.investor} if f.investor else {}),
        }
        for f in rows.filter(date__lte=as_of)
    ]


def _records_part(enterprise: Enterprise, record: EnterpriseRecord | None, as_of: date) -> dict[str, Any]:
    part: dict[str, Any] = {}
    if record is not None:
        part.update({flag: getattr(record, flag) for flag in RECORD_FLAGS if getattr(record, flag) is not None})
    incidents = Incident.objects.filter(enterprise=enterprise)
    if incidents.exists() or (record is not None and record.has_incident_record):
        part["major_incident_dates"] = [
            d.isoformat() for d in incidents.filter(date__lte=as_of).values_list("date", flat=True)
        ]
    return part


def _assessments_part(record: EnterpriseRecord | None) -> dict[str, Any]:
    if record is None:
        return {}
    part = {name: _plain(getattr(record, name), "") for name in (*EXPERT_ITEMS, *SRDI_ITEMS)}
    part = {name: value for name, value in part.items() if value is not None and value != ""}
    management = [getattr(record, name) for name in RD_MANAGEMENT]
    if any(score is not None for score in management):
        part["rd_management"] = management
    if record.expert_scores is not None:
        part["expert_scores"] = list(record.expert_scores)
    return part


# ---------------------------------------------------------------------------------------------------- many enterprises


def facts_frame(enterprises: QuerySet[Enterprise], *, as_of: date) -> pl.DataFrame:
    """The facts frame of ``enterprises`` on ``as_of``: ``enterprise_id`` then every column of ``FACTS_SCHEMA``,
    one row per enterprise in order of id — the same facts as ``read_document(enterprise_document(e, as_of=…))``.

    One query per table whatever the number of enterprises; the lists are aggregated with Polars.
    """
    ids = (enterprises if enterprises.query.is_sliced else enterprises.order_by()).values("pk")
    frame = _enterprise_frame(ids)
    frame = frame.join(_record_frame(ids), on="enterprise_id", how="left")
    frame = _with_years(frame, ids, as_of)
    declared = frame.select(
        "enterprise_id", *(pl.col(f"_declared_{flag}").alias(group) for group, flag in DECLARED_LISTS.items())
    )
    frame = frame.join(aggregate(_item_frames(ids), declared, as_of=as_of), on="enterprise_id", how="left")
    columns = [
        pl.col(name).cast(dtype) if name in frame.columns else pl.lit(None, dtype=dtype).alias(name)
        for name, dtype in FACTS_SCHEMA.items()
    ]
    return frame.sort("enterprise_id").select(pl.col("enterprise_id"), *columns)


def _fetch(queryset: QuerySet[Any], schema: dict[str, pl.DataType], **expressions: Any) -> pl.DataFrame:
    """Rows of ``queryset`` as a frame, read by the database straight into Polars.

    The ORM's per-value converters would cost seconds for a city's yearly figures, so values are cast in SQL
    (money rounded to whole yuan, decimals to floats). On PostgreSQL the rows come as one CSV stream from ``COPY``,
    parsed by Polars in native code: building 150,000 rows of 30 columns from Python tuples cost more than the query.
    Elsewhere (SQLite) the cursor's rows go to Polars as they are.
    """
    rows_qs = queryset.order_by().annotate(**expressions).values_list(*schema)
    try:
        sql, params = rows_qs.query.sql_with_params()
    except EmptyResultSet:  # a set that is empty by construction, as enterprises.none()
        return pl.DataFrame(schema=schema)
    connection = connections[rows_qs.db]
    if connection.vendor == "postgresql":
        return _copy(connection, sql, params, schema)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        names = [column[0] for column in cursor.description]  # the SQL's order, not necessarily the one asked for
        rows = cursor.fetchall()
    return pl.DataFrame(rows, schema=[(name, schema[name]) for name in names], orient="row")


def _copy(connection: Any, sql: str, params: Any, schema: dict[str, pl.DataType]) -> pl.DataFrame:
    """The result of ``sql`` through ``COPY … TO STDOUT`` as CSV with a header naming the columns.

    In PostgreSQL's CSV a NULL is an empty field and an empty string a quoted one (Polars reads them so); booleans
    are written ``t``/``f``, read here as text and compared.
    """
    flags = [name for name, dtype in schema.items() if dtype == pl.Boolean()]
    buffer = bytearray()
    statement = connection.ops.compose_sql(f"COPY ({sql}) TO STDOUT WITH (FORMAT csv, HEADER true)", params)
    with connection.cursor() as cursor, cursor.copy(statement) as copy:  # COPY takes no parameters: bound here
        for block in copy:
            buffer += block
    dtypes = {name: pl.String() if name in flags else dtype for name, dtype in schema.items()}
    frame = pl.read_csv(bytes(buffer), schema_overrides=dtypes, infer_schema=False)
    return frame.with_columns(*(pl.col(name) == "t" for name in flags)).select(list(schema))


class _WholeYuan(Func):
    """An amount rounded to whole yuan, half away from zero, as a 64-bit integer.

    PostgreSQL's numeric → bigint cast rounds that way by itself (a separate ROUND cost a tenth of the yearly
    figures' query); SQLite's CAST truncates, so it rounds first.
    """

    output_field = BigIntegerField()

    def as_sql(self, compiler: Any, connection: Any, **extra_context: Any) -> Any:  # type: ignore[override]
        return compiler.compile(Cast(Round(self.source_expressions[0]), BigIntegerField()))

    def as_postgresql(self, compiler: Any, connection: Any, **extra_context: Any) -> Any:
        return compiler.compile(Cast(self.source_expressions[0], BigIntegerField()))


def _yuan(field: str) -> _WholeYuan:
    return _WholeYuan(F(field))


def _real(field: str) -> Cast:
    return Cast(F(field), FloatField())


def _enterprise_frame(ids: QuerySet[Any]) -> pl.DataFrame:
    fields = ("uscc", "name", "registered_on", "region_code", "industry_code", "hnte_domain", "tax_collection",
              *ENTERPRISE_FLAGS)  # fmt: skip
    schema = {"enterprise_id": pl.Int64(), **{name: FACTS_SCHEMA[name] for name in fields}, "zones_": pl.String()}
    rows = Enterprise.objects.filter(pk__in=ids).annotate(enterprise_id=F("pk"))
    frame = _fetch(rows, schema, zones_=Cast(F("zones"), TextField()))  # JSON text, decoded by Polars
    zones = pl.col("zones_").str.json_decode(pl.List(pl.String())).list.join(";").alias("zones")
    blank_is_unknown = [pl.col(n).replace("", None) for n in ("region_code", "industry_code", "tax_collection")]
    return frame.with_columns(*blank_is_unknown, zones).drop("zones_")


def _record_frame(ids: QuerySet[Any]) -> pl.DataFrame:
    declared = [f.name for f in EnterpriseRecord._meta.get_fields() if f.name.endswith("_record")]
    integers = (*EXPERT_ITEMS, *RD_MANAGEMENT, "niche_years", "market_rank", "local_score")
    flags = (*RECORD_FLAGS, *(name for name in SRDI_ITEMS if name.startswith(("is_", "has_"))))
    rows = EnterpriseRecord.objects.filter(enterprise__in=ids).order_by()
    schema: dict[str, pl.DataType] = {
        "enterprise_id": pl.Int64(),
        **{name: pl.Boolean() for name in (*declared, *flags)},
        **{name: pl.Int64() for name in integers},
        "chain_field": pl.String(),
        "market_share_": pl.Float64(),
        "platform_score_": pl.Float64(),
        "platform_score_prev_": pl.Float64(),
        "expert_scores_": pl.String(),
    }
    frame = _fetch(
        rows,
        schema,
        market_share_=_real("market_share"),
        platform_score_=_real("platform_score"),
        platform_score_prev_=_real("platform_score_prev"),
        expert_scores_=Cast(F("expert_scores"), TextField()),  # JSON text, decoded by Polars
    )
    scores = pl.col("expert_scores_").str.json_decode(pl.List(pl.Int64()))
    complete = (scores.list.len() > 0) & (scores.list.eval(pl.element().is_null()).list.any().not_())
    return (
        frame.rename({name: f"_declared_{name}" for name in declared})
        .rename({name: name[:-1] for name in ("market_share_", "platform_score_", "platform_score_prev_")})
        .with_columns(
            pl.col("chain_field").replace("", None),
            expert_score_sum=pl.when(complete).then(scores.list.sum()),
            expert_score_count=pl.when(complete).then(scores.list.len().cast(pl.Int64)),
        )
        .drop("expert_scores_")
    )


def _with_years(frame: pl.DataFrame, ids: QuerySet[Any], as_of: date) -> pl.DataFrame:
    rows = YearlyFigures.objects.filter(enterprise__in=ids, year__gte=as_of.year - len(YEARS), year__lt=as_of.year)
    money = [base for base in YEARLY_BASES if FACTS[f"{base}_y1"].unit == "yuan"]
    real = [base for base in YEARLY_BASES if FACTS[f"{base}_y1"].dtype == pl.Float64]
    integer = [base for base in YEARLY_BASES if base not in money and base not in real]
    schema: dict[str, pl.DataType] = {"enterprise_id": pl.Int64(), "year": pl.Int64()}
    schema.update({f"{base}_": pl.Int64() for base in (*money, *integer)})
    schema.update({f"{base}_": pl.Float64() for base in real})
    expressions: dict[str, Any] = {f"{b}_": _yuan(b) for b in money} | {f"{b}_": _real(b) for b in real}
    expressions |= {f"{b}_": F(b) for b in integer}
    years = _fetch(rows, schema, **expressions).rename({f"{base}_": base for base in YEARLY_BASES})
    registered = frame.select("enterprise_id", pl.col("registered_on").dt.year().alias("_registered"))
    years = years.join(registered, on="enterprise_id").filter(
        pl.col("_registered").is_null() | (pl.col("year") >= pl.col("_registered"))
    )
    years = with_rd_breakdown(years)
    for k in YEARS:
        one = years.filter(pl.col("year") == as_of.year - len(YEARS) - 1 + k)
        one = one.select("enterprise_id", *(pl.col(base).alias(f"{base}_y{k}") for base in YEARLY_BASES))
        frame = frame.join(one, on="enterprise_id", how="left")
    return frame


def _item_frames(ids: QuerySet[Any]) -> dict[str, pl.DataFrame]:
    """Each list's rows as the item frames :func:`gaoqi.rules.aggregate` counts; one query per table."""
    frames = {
        group: _fetch(model.objects.filter(enterprise__in=ids), ITEM_SCHEMAS[group])
        for group, model in (
            ("certificates", Certificate), ("incidents", Incident), ("awards", Award),
            ("rd_institutions", RDInstitution), ("standards", Standard),
        )
    }  # fmt: skip
    ip = _fetch(IPItem.objects.filter(enterprise__in=ids), ITEM_SCHEMAS["ip"])
    frames["ip"] = ip.with_columns(pl.col("acquired").replace("", None))
    frames["awards"] = frames["awards"].with_columns(pl.col("kind").replace("", None))
    financing = {**ITEM_SCHEMAS["equity_financing"], "amount_": pl.Int64()}
    del financing["amount"]
    rows = EquityFinancing.objects.filter(enterprise__in=ids)
    frames["equity_financing"] = _fetch(rows, financing, amount_=_yuan("amount")).rename({"amount_": "amount"})
    return frames
