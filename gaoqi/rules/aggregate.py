"""From item lists to facts: the one place where IP items, certificates, incidents, awards, standards, R&D
institutions, equity financing and competitions become the counts the programs read.

Both roads into the rules call :func:`aggregate`: the JSON reader with the items of one document, the registry with
the rows of a whole city. Each group arrives as a Polars frame of items keyed by ``enterprise_id`` (the columns of
:data:`ITEM_SCHEMAS`); ``declared`` says, per enterprise, which lists were given complete even when empty.

- A group is *given* for an enterprise that has items in it or declared it; its counts are then numbers (0 for
  none), otherwise unknown (null), never zero.
- What happened after ``as_of`` is not yet known on that date: IP granted or acquired later, certificates issued
  later, incidents and financing dated later, awards and standards of a later year are left out.
- An item whose flag a count needs is not given makes that count unknown, not smaller.

>>> from datetime import date
>>> ip = pl.DataFrame({"enterprise_id": [7, 7], "kind": ["invention_patent", "utility_model"], "count": [2, 1]})
>>> facts = aggregate({"ip": ip}, pl.DataFrame({"enterprise_id": [7, 8]}), as_of=date(2025, 6, 30))
>>> facts.select("enterprise_id", "ip_class_1", "ip_class_2").rows()
[(7, 2, 1), (8, None, None)]
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any, Final

import polars as pl

from gaoqi.rules.facts import FACTS_SCHEMA, RD_BREAKDOWN, RD_BREAKDOWN_PARTS
from gaoqi.rules.rowplan import compile_columns

CLASS_1: Final = (
    "invention_patent",
    "defense_patent",
    "plant_variety",
    "crop_variety",
    "new_drug",
    "tcm_protected",
    "ic_layout",
)
CLASS_2: Final = ("utility_model", "design_patent", "software_copyright")
CERTIFICATE_PROGRAMS: Final = ("hnte", "tsme", "innovative_sme", "srdi_sme", "little_giant")
INSTITUTION_LEVELS: Final = {"national": 4, "provincial": 3, "municipal": 2, "below": 1}
IP_FLAGS: Final = (
    "is_core_to_main_product",
    "is_related_to_main_product",
    "is_among_first_three_holders",
    "is_high_value",
    "is_used_in_hnte",
    "has_economic_benefit",
)
RELATED_IP_READING: Final = (
    "“与主导产品相关”的知识产权（创新型中小企业、专精特新中小企业、专精特新“小巨人”企业）：标明与主导产品相关，"
    "或对主要产品（服务）发挥核心支持作用的，计为相关；两项均未标明的，相关与否未知，相应件数无法确定，"
    "不按0件也不按相关计。科技型中小企业的知识产权得分不要求与主导产品相关。"
)
"""The reading of national-criteria §0.4-14, said once for every program whose text says “与主导产品相关”."""

_ID: Final = {"enterprise_id": pl.Int64()}
ITEM_SCHEMAS: Final[dict[str, dict[str, pl.DataType]]] = {
    "ip": {
        **_ID,
        "kind": pl.String(),
        "count": pl.Int64(),
        "granted_on": pl.Date(),
        "acquired": pl.String(),
        "acquired_on": pl.Date(),
        **{flag: pl.Boolean() for flag in IP_FLAGS},
    },
    "certificates": {**_ID, "program": pl.String(), "issued_on": pl.Date()},
    "incidents": {**_ID, "date": pl.Date()},
    "awards": {**_ID, "level": pl.String(), "rank": pl.Int64(), "year": pl.Int64(), "kind": pl.String()},
    "rd_institutions": {**_ID, "level": pl.String()},
    "standards": {**_ID, "level": pl.String(), "rank": pl.Int64(), "year": pl.Int64()},
    "equity_financing": {**_ID, "date": pl.Date(), "amount": pl.Int64()},
    "competitions": {
        **_ID,
        "name": pl.String(),
        "group": pl.String(),
        "level": pl.String(),
        "rank": pl.Int64(),
        "year": pl.Int64(),
    },
}
"""The columns of each group's item frame; a null cell is an item's unknown detail."""


AS_OF: Final = pl.col("as_of")  # each item carries the evaluation date, so one compiled plan serves every date
Fold = tuple[str, pl.Expr]  # ("sum" | "any" | "max", a per-item expression named as the fact it folds into)


@dataclass(frozen=True)
class _Group:
    held: pl.Expr  # the items known on as_of
    folds: tuple[Fold, ...]  # one per fact, and `<fact>__unknown` flags that make it unknown


def _before(years: int) -> pl.Expr:
    """The same day ``years`` years before ``as_of`` (29 February becomes 28 February)."""
    return AS_OF.dt.offset_by(f"-{years}y")


def _sum_if(condition: pl.Expr, name: str, amount: pl.Expr | int = 1) -> tuple[Fold, Fold]:
    """Sum ``amount`` where ``condition`` holds; where it is null (unknown) for any item, ``name`` is unknown."""
    return (
        ("sum", pl.when(condition.fill_null(False)).then(amount).otherwise(0).alias(name)),
        ("any", condition.is_null().alias(f"{name}__unknown")),
    )


def _count_if(condition: pl.Expr, name: str) -> Fold:
    return "sum", pl.when(condition.fill_null(False)).then(1).otherwise(0).alias(name)


def _within(years: int) -> pl.Expr:
    """An event of ``year`` lies within the last ``years`` calendar years, counting the evaluation year."""
    return pl.col("year").is_between(AS_OF.dt.year() - (years - 1), AS_OF.dt.year())


def _ranked(best: int) -> pl.Expr:
    return pl.col("rank") <= best


def _ip() -> _Group:
    """IP counts of national-criteria §1.3 (HNTE), §2.4 (tech SME) and §3A.2 (quality SMEs).

    The quality-SME counts (``ip_class_*_sme*``) hold only IP related to the leading product, as every quality-SME
    text says; see :data:`RELATED_IP_READING`. HNTE counts core support, tech SME counts all.
    """
    acquired, acquired_on, granted = pl.col("acquired"), pl.col("acquired_on"), pl.col("granted_on")
    transfer = (acquired == "transfer").fill_null(False)
    class_1 = pl.col("kind").is_in(list(CLASS_1))
    self_made = acquired == "self"  # null when the way of acquisition is unknown
    used = pl.col("is_used_in_hnte").fill_null(False)
    hnte_eligible = class_1 | ~used  # 195号 三（八）: a Class II item serves one recognition only
    recent = transfer & (acquired_on.is_null() | (acquired_on > _before(1)))
    sme = class_1 & ~recent
    core = pl.col("is_core_to_main_product")
    # 与主导产品相关 (§0.4-14): core support implies relatedness; "not core" alone says nothing about it
    related = core | pl.col("is_related_to_main_product")
    benefit = pl.col("has_economic_benefit") & related & (acquired != "transfer")
    class_2_sme = (pl.col("kind") == "software_copyright") | (granted < _before(2))
    n = pl.col("count")
    folds: tuple[Fold, ...] = (
        *_sum_if(class_1, "ip_class_1", n),
        *_sum_if(class_1 & (pl.col("kind") != "defense_patent"), "ip_class_1_tsme", n),
        *_sum_if(class_1 & self_made, "ip_class_1_self", n),
        ("sum", pl.when((sme & related).fill_null(False)).then(n).otherwise(0).alias("ip_class_1_sme")),
        # a transfer of unknown date may or may not lie within the year: the count cannot be known
        (
            "any",
            ((sme & related).is_null() | (class_1 & transfer & acquired_on.is_null())).alias("ip_class_1_sme__unknown"),
        ),
        *_sum_if(sme & self_made & related, "ip_class_1_sme_self", n),
        *_sum_if(sme & pl.col("is_high_value").fill_null(False) & related, "ip_class_1_sme_high_value", n),
        *_sum_if(class_1 & benefit, "ip_class_1_sme_benefit", n),
        *_sum_if(class_1 & benefit & pl.col("is_among_first_three_holders"), "ip_class_1_sme_benefit_top3", n),
        *_sum_if(~class_1, "ip_class_2", n),
        *_sum_if(~class_1 & ~used, "ip_class_2_unused", n),
        *_sum_if(~class_1 & class_2_sme & related, "ip_class_2_sme", n),
        *_sum_if(hnte_eligible & core.fill_null(False), "ip_core", n),
        *_sum_if(hnte_eligible & core.is_null(), "ip_core_unknown", n),
        *_sum_if(hnte_eligible & self_made, "ip_self", n),
    )
    held = (granted.is_null() | (granted <= AS_OF)) & (acquired_on.is_null() | (acquired_on <= AS_OF))
    return _Group(held, folds)


def _certificates() -> _Group:
    issued, program = pl.col("issued_on"), pl.col("program")
    folds = tuple(("max", pl.when(program == p).then(issued).alias(f"{p}_issued_on")) for p in CERTIFICATE_PROGRAMS)
    return _Group(issued <= AS_OF, folds)


def _incidents() -> _Group:
    on = pl.col("date")
    folds = (
        _count_if(on > AS_OF.dt.offset_by("-365d"), "num_major_incidents_365d"),  # 195号 三（一）
        _count_if(on.dt.year() >= AS_OF.dt.year() - 1, "num_major_incidents_this_and_last_year"),
        _count_if(on > _before(3), "num_major_incidents_3y"),
    )
    return _Group(on <= AS_OF, folds)


def _year_held() -> pl.Expr:
    return pl.col("year").is_null() | (pl.col("year") <= AS_OF.dt.year())


AWARD_KINDS: Final = ("science_technology", "other")
"""科学技术奖 (what every program counts) or another award of that level (中国专利奖, 质量奖 …), listed but not counted;
facts.md's awards are S&T awards, so an award of no kind is one."""


def _awards() -> _Group:
    s_and_t = pl.col("kind").fill_null("science_technology") == "science_technology"
    national, known = s_and_t & (pl.col("level") == "national"), s_and_t & pl.col("level").is_not_null()
    folds = (
        _count_if(national & _ranked(3) & _within(5), "num_awards_national_top3_5y"),
        _count_if(national & _ranked(3) & _within(3), "num_awards_national_top3_3y"),
        _count_if(national & _ranked(5) & _within(3), "num_awards_national_top5_3y"),
        _count_if(known & _ranked(3) & _within(3), "num_awards_provincial_top3_3y"),
        _count_if(known & _within(3), "num_awards_3y"),
    )
    return _Group(_year_held(), folds)


def _institutions() -> _Group:
    level = pl.col("level")
    rank = pl.coalesce(*(pl.when(level == name).then(rank) for name, rank in INSTITUTION_LEVELS.items()), 0)
    return _Group(pl.lit(True), (("max", rank.alias("rd_institution_level")),))


def _standards() -> _Group:
    folds = (
        _count_if(pl.col("level").is_not_null() & _ranked(5) & _within(5), "num_standards_led_5y"),
        _count_if(pl.col("level").is_in(["national", "industry"]), "num_standards_drafted"),
    )
    return _Group(_year_held(), folds)


def _financing() -> _Group:
    on, amount = pl.col("date"), pl.col("amount")
    folds = (
        ("sum", pl.when(on > _before(2)).then(amount).otherwise(0).alias("equity_financing_2y")),
        ("sum", pl.when(on > _before(3)).then(amount).otherwise(0).alias("equity_financing_3y")),
    )
    return _Group((on <= AS_OF) & amount.is_not_null(), folds)


def _competitions() -> _Group:
    """“创客中国” national results; an item without a name or level is taken as that national competition."""
    name = pl.col("name")
    national = (pl.col("level").fill_null("national") == "national") & (
        name.is_null() | name.str.contains("创客中国", literal=True)
    )
    recent = national & _within(3)
    enterprise_group = pl.col("group").fill_null("enterprise") == "enterprise"
    folds = (
        _count_if(recent & _ranked(50), "num_maker_china_top50_3y"),
        _count_if(recent & _ranked(500) & enterprise_group, "num_maker_china_top500_3y"),
    )
    return _Group(pl.lit(True), folds)


_GROUPS: Final[dict[str, _Group]] = {
    "ip": _ip(),
    "certificates": _certificates(),
    "incidents": _incidents(),
    "awards": _awards(),
    "rd_institutions": _institutions(),
    "standards": _standards(),
    "equity_financing": _financing(),
    "competitions": _competitions(),
}
GROUPS: Final = tuple(_GROUPS)
"""The item groups, in the order their facts come."""


def aggregate(items: Mapping[str, pl.DataFrame], declared: pl.DataFrame, *, as_of: date) -> pl.DataFrame:
    """The facts of the groups, one row per enterprise of ``declared``, in its order.

    ``items`` maps a group of :data:`GROUPS` to its item frame (columns of :data:`ITEM_SCHEMAS`; extra columns are
    ignored); ``declared`` has ``enterprise_id`` and one boolean column per group whose list was given complete,
    even when empty. A group in neither has no facts in the result: they are unknown.
    """
    frame = declared.select("enterprise_id")
    for group, spec in _GROUPS.items():
        if group not in items and group not in declared.columns:
            continue
        rows = _items(items.get(group), group).with_columns(as_of=pl.lit(as_of))
        holders = rows.select("enterprise_id").unique().with_columns(_rows=pl.lit(True))
        flag = pl.col(group).fill_null(False) if group in declared.columns else pl.lit(False)
        given = declared.select("enterprise_id", flag.alias("_declared"))
        given = given.join(holders, on="enterprise_id", how="left", maintain_order="left")
        given = given.select("enterprise_id", (pl.col("_declared") | pl.col("_rows").fill_null(False)).alias("_given"))
        values = rows.filter(spec.held).select("enterprise_id", *(expr for _, expr in spec.folds))
        folded = values.group_by("enterprise_id").agg(
            getattr(pl.col(expr.meta.output_name()), how)() for how, expr in spec.folds
        )
        frame = frame.hstack(_given_values(given, folded).get_columns())
    return frame.select("enterprise_id", *(pl.col(c).cast(FACTS_SCHEMA[c]) for c in frame.columns if c in FACTS_SCHEMA))


def _items(frame: pl.DataFrame | None, group: str) -> pl.DataFrame:
    schema = ITEM_SCHEMAS[group]
    if frame is None:
        return pl.DataFrame(schema=schema)
    present = [pl.col(c).cast(t) if c in frame.columns else pl.lit(None, dtype=t).alias(c) for c, t in schema.items()]
    return frame.select(present)


def _given_values(given: pl.DataFrame, folded: pl.DataFrame) -> pl.DataFrame:
    """A group's facts in the order of ``given``: where given, the folds with 0 for none; otherwise unknown."""
    frame = given.join(folded, on="enterprise_id", how="left", maintain_order="left")
    out = []
    for name in folded.columns:
        if name == "enterprise_id" or name.endswith("__unknown"):
            continue
        value = pl.col(name).fill_null(0) if FACTS_SCHEMA[name].is_integer() else pl.col(name)
        if f"{name}__unknown" in frame.columns:
            value = pl.when(pl.col(f"{name}__unknown").fill_null(False)).then(None).otherwise(value)
        out.append(pl.when(pl.col("_given")).then(value).alias(name))
    if "hnte_issued_on" in folded.columns:  # the certificates list itself: an absent certificate is then known
        out.append(pl.when(pl.col("_given")).then(True).alias("has_certificate_record"))
    return frame.select(out)


# ------------------------------------------------------------------------------------------- one enterprise

_FOLDS: Final[dict[str, Callable[[list[Any]], Any]]] = {
    "sum": lambda values: sum(v for v in values if v is not None),
    "any": lambda values: any(v for v in values if v is not None),
    "max": lambda values: max((v for v in values if v is not None), default=None),
}


@cache
def _compiled(group: str) -> tuple[Callable[[dict[str, Any]], dict[str, Any]], tuple[tuple[str, str], ...]]:
    """The group's expressions as one Python function of an item, and its folds as (how, fact) pairs."""
    spec = _GROUPS[group]
    run = compile_columns([], [spec.held.alias("_held"), *(expr for _, expr in spec.folds)])
    return run, tuple((how, expr.meta.output_name()) for how, expr in spec.folds)


def aggregate_items(items: Mapping[str, list[dict[str, Any]]], *, as_of: date) -> dict[str, Any]:
    """The facts of one enterprise's given lists (``items`` maps a group to its items as dicts, possibly none):
    the same as :func:`aggregate`, run as plain Python — planning a Polars query would cost a self-assessment
    milliseconds. Unknown facts are absent.

    >>> facts = aggregate_items({"awards": [{"level": "national", "rank": 4, "year": 2024}]}, as_of=date(2025, 6, 30))
    >>> facts["num_awards_national_top3_3y"], facts["num_awards_national_top5_3y"]
    (0, 1)
    """
    facts: dict[str, Any] = {}
    for group, rows in items.items():
        (run, folds), blank = _compiled(group), dict.fromkeys(ITEM_SCHEMAS[group])
        held = [values for values in (run({**blank, **row, "as_of": as_of}) for row in rows) if values["_held"]]
        folded = {name: _FOLDS[how]([values[name] for values in held]) for how, name in folds}
        for name, value in folded.items():
            if name.endswith("__unknown") or folded.get(f"{name}__unknown"):
                continue
            if value is None and FACTS_SCHEMA[name].is_integer():
                value = 0
            if value is not None:
                facts[name] = value
        if group == "certificates":
            facts["has_certificate_record"] = True
    return facts


def with_rd_breakdown(years: pl.DataFrame) -> pl.DataFrame:
    """Yearly rows where any item of the R&D breakdown is given: all ten are given (absent items 0), and so is the
    part entrusted to overseas individuals, as the JSON reader reads a breakdown; a part without its breakdown is
    dropped. The ``rd_expense`` total is not read — the rules derive each caliber from the items (facts.md
    ``rd_breakdown``).
    """
    fields = [f"rd_{key}" for key in (*RD_BREAKDOWN, *RD_BREAKDOWN_PARTS)]
    has_breakdown = pl.any_horizontal(pl.col(f"rd_{key}").is_not_null() for key in RD_BREAKDOWN)
    return years.with_columns(
        *(pl.when(has_breakdown).then(pl.col(f).fill_null(0)).alias(f) for f in fields),
        pl.when(has_breakdown).then(None).otherwise(pl.col("rd_expense")).alias("rd_expense"),
    )
