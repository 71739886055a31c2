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
from datetime import date, timedelta
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
from gaoqi.rules.facts import FACTS, FACTS_SCHEMA, RD_BREAKDOWN, YEARLY_BASES, YEARS
from gaoqi.rules.ingest import CLASS_1, INSTITUTION_LEVELS

IP_FLAGS = ("is_core_to_main_product", "is_high_value", "is_used_in_hnte", "has_economic_benefit")
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
    "has_information_system",
    "has_certification",
    "has_own_brand",
    "has_quality_award",
    "local_score",
    "platform_score",
)
RD_MANAGEMENT = tuple(f"rd_management_{i}" for i in range(1, 5))
BREAKDOWN_FIELDS = tuple(f"rd_{key}" for key in RD_BREAKDOWN)


def whole_yuan(amount: Decimal) -> int:
    """An amount rounded to whole yuan, half up (ties away from zero), as facts.md wants money."""
    return int(amount.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def years_before(on: date, years: int) -> date:
    """The same day ``years`` years earlier; 29 February becomes 28 February (as ``gaoqi.rules.ingest`` reads it)."""
    try:
        return on.replace(year=on.year - years)
    except ValueError:
        return on.replace(year=on.year - years, day=28)


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
    for flag in ("is_strategic_emerging", "is_mainland_resident", "is_sme", "is_on_ic_machine_tool_list"):
        if getattr(e, flag) is not None:
            part[flag] = getattr(e, flag)
    if e.zones is not None:
        part["zones"] = list(e.zones)
    return part


def _year_part(figures: YearlyFigures) -> dict[str, Any]:
    part: dict[str, Any] = {}
    breakdown = {key: getattr(figures, f"rd_{key}") for key in RD_BREAKDOWN}
    has_breakdown = any(value is not None for value in breakdown.values())
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
    """Awards and standards: level, rank, year and name, without those of a year after ``as_of``'s."""
    items = []
    for row in rows.exclude(year__gt=as_of.year):
        entry: dict[str, Any] = {"level": row.level}
        entry.update({name: getattr(row, name) for name in ("rank", "year") if getattr(row, name) is not None})
        if row.name:
            entry["name"] = row.name
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
    for build in (_ip_frame, _certificate_frame, _incident_frame, _award_frame, _institution_frame, _standard_frame,
                  _financing_frame):  # fmt: skip
        counts, declared = build(ids, as_of)
        frame = _with_group(frame, counts, declared)
    frame = frame.with_columns(has_certificate_record=pl.when(pl.col("_given_has_certificate_record")).then(True))
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
    fields = ("uscc", "name", "registered_on", "region_code", "industry_code", "hnte_domain", "is_strategic_emerging",
              "is_mainland_resident", "tax_collection", "is_sme", "is_on_ic_machine_tool_list")  # fmt: skip
    schema = {"enterprise_id": pl.Int64(), **{name: FACTS_SCHEMA[name] for name in fields}, "zones_": pl.String()}
    rows = Enterprise.objects.filter(pk__in=ids).annotate(enterprise_id=F("pk"))
    frame = _fetch(rows, schema, zones_=Cast(F("zones"), TextField()))  # JSON text, decoded by Polars
    zones = pl.col("zones_").str.json_decode(pl.List(pl.String())).list.join(";").alias("zones")
    blank_is_unknown = [pl.col(n).replace("", None) for n in ("region_code", "industry_code", "tax_collection")]
    return frame.with_columns(*blank_is_unknown, zones).drop("zones_")


def _record_frame(ids: QuerySet[Any]) -> pl.DataFrame:
    declared = [f.name for f in EnterpriseRecord._meta.get_fields() if f.name.endswith("_record")]
    integers = (*EXPERT_ITEMS, *RD_MANAGEMENT, "niche_years", "market_rank", "local_score")
    flags = (*RECORD_FLAGS, "has_information_system", "has_certification", "has_own_brand", "has_quality_award")
    rows = EnterpriseRecord.objects.filter(enterprise__in=ids).order_by()
    schema: dict[str, pl.DataType] = {
        "enterprise_id": pl.Int64(),
        **{name: pl.Boolean() for name in (*declared, *flags)},
        **{name: pl.Int64() for name in integers},
        "chain_field": pl.String(),
        "market_share_": pl.Float64(),
        "platform_score_": pl.Float64(),
        "expert_scores_": pl.String(),
    }
    frame = _fetch(
        rows,
        schema,
        market_share_=_real("market_share"),
        platform_score_=_real("platform_score"),
        expert_scores_=Cast(F("expert_scores"), TextField()),  # JSON text, decoded by Polars
    )
    scores = pl.col("expert_scores_").str.json_decode(pl.List(pl.Int64()))
    complete = (scores.list.len() > 0) & (scores.list.eval(pl.element().is_null()).list.any().not_())
    return (
        frame.rename({name: f"_declared_{name}" for name in declared})
        .rename({"market_share_": "market_share", "platform_score_": "platform_score"})
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
    has_breakdown = pl.any_horizontal(pl.col(f).is_not_null() for f in BREAKDOWN_FIELDS)
    years = years.with_columns(
        *(pl.when(has_breakdown).then(pl.col(f).fill_null(0)).alias(f) for f in BREAKDOWN_FIELDS),
        pl.when(has_breakdown).then(None).otherwise(pl.col("rd_expense")).alias("rd_expense"),
    )
    for k in YEARS:
        one = years.filter(pl.col("year") == as_of.year - len(YEARS) - 1 + k)
        one = one.select("enterprise_id", *(pl.col(base).alias(f"{base}_y{k}") for base in YEARLY_BASES))
        frame = frame.join(one, on="enterprise_id", how="left")
    return frame


def _with_group(frame: pl.DataFrame, counts: pl.DataFrame, declared: str) -> pl.DataFrame:
    """Join a group's per-enterprise aggregates: given (rows or declared) → counts with 0 for none; else unknown.

    ``counts`` has one row per enterprise with rows in the group: value columns, and for some a ``<name>__unknown``
    boolean that makes the value unknown.
    """
    values = [c for c in counts.columns if c != "enterprise_id" and not c.endswith("__unknown")]
    frame = frame.join(counts.with_columns(_rows=pl.lit(True)), on="enterprise_id", how="left")
    given = pl.col("_rows").fill_null(False) | pl.col(f"_declared_{declared}").fill_null(False)
    out = [given.alias(f"_given_{declared}")]
    for name in values:
        value = pl.col(name)
        if frame.schema[name].is_integer():
            value = value.fill_null(0)
        if f"{name}__unknown" in frame.columns:
            value = pl.when(pl.col(f"{name}__unknown").fill_null(False)).then(None).otherwise(value)
        out.append(pl.when(given).then(value).alias(name))
    unknowns = [c for c in frame.columns if c.endswith("__unknown")]
    return frame.with_columns(*out).drop("_rows", *unknowns)


def _sum_if(condition: pl.Expr, name: str, amount: pl.Expr | int = 1) -> list[pl.Expr]:
    """Sum ``amount`` where ``condition`` holds; where it is null (unknown), mark ``name`` unknown."""
    return [
        pl.when(condition.fill_null(False)).then(amount).otherwise(0).sum().alias(name),
        condition.is_null().any().alias(f"{name}__unknown"),
    ]


def _count_if(condition: pl.Expr, name: str) -> pl.Expr:
    return condition.fill_null(False).sum().alias(name)


def _ip_frame(ids: QuerySet[Any], as_of: date) -> tuple[pl.DataFrame, str]:
    """IP counts as ``gaoqi.rules.ingest`` makes them (national-criteria §1.3, §2.4, §3A.2)."""
    schema = {
        "enterprise_id": pl.Int64(), "kind": pl.String(), "count": pl.Int64(), "granted_on": pl.Date(),
        "acquired": pl.String(), "acquired_on": pl.Date(), **{flag: pl.Boolean() for flag in IP_FLAGS},
    }  # fmt: skip
    items = _fetch(IPItem.objects.filter(enterprise__in=ids), schema)
    held = (pl.col("granted_on").is_null() | (pl.col("granted_on") <= as_of)) & (
        pl.col("acquired_on").is_null() | (pl.col("acquired_on") <= as_of)
    )
    acquired = pl.col("acquired").replace("", None)
    transfer = (acquired == "transfer").fill_null(False)
    class_1 = pl.col("kind").is_in(list(CLASS_1))
    self_made = acquired == "self"  # null when the way of acquisition is unknown
    used = pl.col("is_used_in_hnte").fill_null(False)
    hnte_eligible = class_1 | ~used  # 195号 三（八）: a Class II item serves one recognition only
    recent = transfer & (pl.col("acquired_on").is_null() | (pl.col("acquired_on") > years_before(as_of, 1)))
    sme = class_1 & ~recent
    benefit = pl.col("has_economic_benefit") & pl.col("is_core_to_main_product") & (acquired != "transfer")
    class_2_sme = (pl.col("kind") == "software_copyright") | (pl.col("granted_on") < years_before(as_of, 2))
    core = pl.col("is_core_to_main_product")
    n = pl.col("count")
    counts = (
        items.filter(held)
        .group_by("enterprise_id")
        .agg(
            *_sum_if(class_1, "ip_class_1", n),
            *_sum_if(class_1 & (pl.col("kind") != "defense_patent"), "ip_class_1_tsme", n),
            *_sum_if(class_1 & self_made, "ip_class_1_self", n),
            pl.when(sme).then(n).otherwise(0).sum().alias("ip_class_1_sme"),
            (class_1 & transfer & pl.col("acquired_on").is_null()).any().alias("ip_class_1_sme__unknown"),
            *_sum_if(sme & self_made, "ip_class_1_sme_self", n),
            *_sum_if(sme & pl.col("is_high_value").fill_null(False), "ip_class_1_sme_high_value", n),
            *_sum_if(class_1 & benefit, "ip_class_1_sme_benefit", n),
            *_sum_if(~class_1, "ip_class_2", n),
            *_sum_if(~class_1 & ~used, "ip_class_2_unused", n),
            *_sum_if(~class_1 & class_2_sme, "ip_class_2_sme", n),
            *_sum_if(hnte_eligible & core.fill_null(False), "ip_core", n),
            *_sum_if(hnte_eligible & core.is_null(), "ip_core_unknown", n),
            *_sum_if(hnte_eligible & self_made, "ip_self", n),
        )
    )
    return _with_all_holders(items, counts), "has_ip_record"


def _with_all_holders(rows: pl.DataFrame, counts: pl.DataFrame) -> pl.DataFrame:
    """Every enterprise with rows in a group, even when none of them counts on ``as_of``."""
    return rows.select("enterprise_id").unique().join(counts, on="enterprise_id", how="left")


def _certificate_frame(ids: QuerySet[Any], as_of: date) -> tuple[pl.DataFrame, str]:
    schema = {"enterprise_id": pl.Int64(), "program": pl.String(), "issued_on": pl.Date()}
    rows = _fetch(Certificate.objects.filter(enterprise__in=ids), schema)
    programs = Certificate.Program.values
    latest = (
        rows.filter(pl.col("issued_on") <= as_of)
        .group_by("enterprise_id")
        .agg(*(pl.col("issued_on").filter(pl.col("program") == p).max().alias(f"{p}_issued_on") for p in programs))
    )
    return _with_all_holders(rows, latest), "has_certificate_record"


def _incident_frame(ids: QuerySet[Any], as_of: date) -> tuple[pl.DataFrame, str]:
    rows = _fetch(Incident.objects.filter(enterprise__in=ids), {"enterprise_id": pl.Int64(), "date": pl.Date()})
    on = pl.col("date")
    counts = (
        rows.filter(on <= as_of)
        .group_by("enterprise_id")
        .agg(
            _count_if(on > as_of - timedelta(days=365), "num_major_incidents_365d"),  # 195号 三（一）
            _count_if(on.dt.year() >= as_of.year - 1, "num_major_incidents_this_and_last_year"),
            _count_if(on > years_before(as_of, 3), "num_major_incidents_3y"),
        )
    )
    return _with_all_holders(rows, counts), "has_incident_record"


def _within(years: int, as_of: date) -> pl.Expr:
    """An event of ``year`` lies within the last ``years`` calendar years, counting the evaluation year."""
    return pl.col("year").is_between(as_of.year - years + 1, as_of.year)


def _ranked(best: int) -> pl.Expr:
    return pl.col("rank") <= best


def _ranked_rows(model: type[Award] | type[Standard], ids: QuerySet[Any]) -> pl.DataFrame:
    schema = {"enterprise_id": pl.Int64(), "level": pl.String(), "rank": pl.Int64(), "year": pl.Int64()}
    return _fetch(model.objects.filter(enterprise__in=ids), schema)


def _award_frame(ids: QuerySet[Any], as_of: date) -> tuple[pl.DataFrame, str]:
    rows = _ranked_rows(Award, ids)
    national = pl.col("level") == "national"
    counts = (
        rows.filter(pl.col("year").is_null() | (pl.col("year") <= as_of.year))
        .group_by("enterprise_id")
        .agg(
            _count_if(national & _ranked(3) & _within(5, as_of), "num_awards_national_top3_5y"),
            _count_if(national & _ranked(3) & _within(3, as_of), "num_awards_national_top3_3y"),
            _count_if(national & _ranked(5) & _within(3, as_of), "num_awards_national_top5_3y"),
            _count_if(_ranked(3) & _within(3, as_of), "num_awards_provincial_top3_3y"),
            _count_if(_within(3, as_of), "num_awards_3y"),
        )
    )
    return _with_all_holders(rows, counts), "has_award_record"


def _standard_frame(ids: QuerySet[Any], as_of: date) -> tuple[pl.DataFrame, str]:
    rows = _ranked_rows(Standard, ids)
    counts = (
        rows.filter(pl.col("year").is_null() | (pl.col("year") <= as_of.year))
        .group_by("enterprise_id")
        .agg(
            _count_if(_ranked(5) & _within(5, as_of), "num_standards_led_5y"),
            _count_if(pl.col("level").is_in(["national", "industry"]), "num_standards_drafted"),
        )
    )
    return _with_all_holders(rows, counts), "has_standard_record"


def _institution_frame(ids: QuerySet[Any], as_of: date) -> tuple[pl.DataFrame, str]:
    schema = {"enterprise_id": pl.Int64(), "level": pl.String()}
    rows = _fetch(RDInstitution.objects.filter(enterprise__in=ids), schema)
    counts = rows.group_by("enterprise_id").agg(
        pl.col("level").replace_strict(INSTITUTION_LEVELS, return_dtype=pl.Int64).max().alias("rd_institution_level")
    )
    return counts, "has_rd_institution_record"


def _financing_frame(ids: QuerySet[Any], as_of: date) -> tuple[pl.DataFrame, str]:
    schema = {"enterprise_id": pl.Int64(), "date": pl.Date(), "amount_": pl.Int64()}
    rows = _fetch(
        EquityFinancing.objects.filter(enterprise__in=ids, date__isnull=False), schema, amount_=_yuan("amount")
    )
    on, amount = pl.col("date"), pl.col("amount_")
    counts = (
        rows.filter(on <= as_of)
        .group_by("enterprise_id")
        .agg(
            pl.when(on > years_before(as_of, 2)).then(amount).otherwise(0).sum().alias("equity_financing_2y"),
            pl.when(on > years_before(as_of, 3)).then(amount).otherwise(0).sum().alias("equity_financing_3y"),
        )
    )
    return _with_all_holders(rows, counts), "has_equity_financing_record"
