"""Titles still valid on the evaluation date, and the common scope every tier shares (63号 第二章)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from functools import reduce

import polars as pl

from gaoqi.rules.engine import Condition, Need, Note, Program
from gaoqi.rules.parameters import Parameters
from gaoqi.rules.programs.common import (
    col_y,
)
from gaoqi.rules.programs.quality_sme.bands import cite
from gaoqi.rules.programs.quality_sme.measures import all_of
from gaoqi.rules.programs.quality_sme.size import SIZE_ROW, SME_BY_SIZE, is_sme

# ------------------------------------------------------------------------------------------------ certificates


def _add_years(day: date, years: int) -> date:
    """``day`` moved by whole years; 29 February becomes 28 February (as Polars' ``offset_by`` does)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def first_valid_issue(on: date, years: int) -> date:
    """The earliest issue date of a title still valid on ``on`` when titles are valid ``years`` from issue."""
    day = _add_years(on, -years) - timedelta(days=3)
    while _add_years(day, years) <= on:
        day += timedelta(days=1)
    return day


def holds_title(column: str, p: Parameters, years: int) -> pl.Expr:
    """A title (certificate or database entry) issued on ``column`` is valid on the evaluation date.

    Same reading as :func:`~gaoqi.rules.programs.common.certificate_valid` (valid ``years`` from the issue date;
    null when the certificate list was not given), with the expiry turned into a cut-off date at plan time so that
    a million rows compare two dates instead of shifting each by years.

    >>> first_valid_issue(date(2025, 6, 30), 3)
    datetime.date(2022, 7, 1)
    """
    issued = pl.col(column)
    valid = (issued <= pl.lit(p.on)) & (issued >= pl.lit(first_valid_issue(p.on, years)))
    return pl.when(pl.col("has_certificate_record")).then(valid.fill_null(False))


# ------------------------------------------------------------------------------------------------ common scope


def register_common_scope(
    prog: Program, *, citation: str, since: date | None, until: date | None, notes: Sequence[Note] = ()
) -> None:
    """The general conditions every tier shares (63号 第二章; national-criteria §3A.1): SME scope, products not
    prohibited, a clean record. ``notes`` are added to each (e.g. that 2号 is read as keeping them)."""
    row, by_size = pl.col(SIZE_ROW), pl.col(SME_BY_SIZE)

    @prog.criterion(
        "sme_scope",
        label="在中华人民共和国境内工商注册登记、具有独立法人资格，符合《中小企业划型标准规定》的中小企业",
        citation=f"{citation}；工信部联企业〔2011〕300号",
        since=since,
        until=until,
    )
    def sme_scope(p: Parameters) -> Condition:
        """在中华人民共和国境内工商注册登记、具有独立法人资格，符合《中小企业划型标准规定》的中小企业。

        Interpretation: ``is_mainland_resident`` stands for registration in China with independent legal
        personality. SME status is the fact ``is_sme``; when it is not given it is derived from the table of
        工信部联企业〔2011〕300号 (industry, staff, revenue, total assets of year 3), which the reference did not
        verify.
        """
        cite(p, "quality_sme", ("sme_size_table",))
        sme, derived, unplaced = is_sme(row, by_size)
        given_null = pl.col("is_sme").is_null()
        return Condition(
            passed=pl.col("is_mainland_resident") & sme,
            needs=[
                "is_mainland_resident",
                Need("is_sme", sme.is_null()),
                Need("industry_code", given_null),
                Need("staff_total_y3", given_null),
                Need("operating_revenue_y3", given_null & col_y("sales_revenue", 3).is_null()),
                Need("total_assets_y3", given_null),
            ],
            notes=[
                *notes,
                Note(
                    "中小企业身份按《中小企业划型标准规定》（工信部联企业〔2011〕300号）划型表推定：上年度从业人员、"
                    "营业收入、资产总额任一低于所属行业上限即为中小企业；划型表未经参考资料核对，请以企业声明为准。",
                    derived,
                ),
                Note(
                    "所属行业不在已编码的划型表内（如铁路运输、金融、教育、卫生等），无法推定中小企业身份，请填报是否为中小企业。",
                    unplaced & pl.col("industry_code").is_not_null(),
                ),
            ],
        )

    @prog.criterion(
        "not_prohibited",
        label="提供的产品（服务）不属于国家禁止、限制或淘汰类",
        citation=citation,
        since=since,
        until=until,
    )
    def not_prohibited(p: Parameters) -> Condition:
        """提供的产品（服务）不属于国家禁止、限制或淘汰类。"""
        return Condition(
            passed=pl.col("has_prohibited_products").not_(), needs=["has_prohibited_products"], notes=list(notes)
        )

    @prog.criterion(
        "clean_record",
        label="未被列入经营异常名录或严重失信主体名单，近三年未发生重大事故及偷漏税等违法违规行为",
        citation=citation,
        since=since,
        until=until,
        value_unit="count",
        comparison="==",
    )
    def clean_record(p: Parameters) -> Condition:
        """企业未被列入经营异常名录或严重失信主体名单……近三年未发生重大安全（含网络安全、数据安全）、质量、环境
        污染等事故以及偷漏税等违法违规行为。"""
        p.quality_sme.record_window_years  # noqa: B018  (cited: the facts count incidents in this window)
        incidents = pl.col("num_major_incidents_3y")
        flags = [pl.col(f) for f in ("is_on_abnormal_list", "is_seriously_dishonest", "has_tax_evasion_3y")]
        passed = all_of([incidents == 0, *(flag.not_() for flag in flags)])
        # the value is the number of violations: incidents plus each list or tax flag that holds; a known
        # violation is counted even when another fact is unknown
        counts = [incidents, *(flag.cast(pl.Int64) for flag in flags)]
        violations = reduce(lambda a, b: a + b, counts)
        return Condition(
            passed=passed,
            value=pl.coalesce(violations, pl.when(passed.not_()).then(pl.sum_horizontal(counts))),
            threshold=pl.lit(0),
            needs=["is_on_abnormal_list", "is_seriously_dishonest", "num_major_incidents_3y", "has_tax_evasion_3y"],
            notes=list(notes),
        )


def on_or_after(p: Parameters, start: date) -> pl.Expr:
    """A plan-time flag as an expression (for notes that apply from a date)."""
    return pl.lit(p.on >= start)
