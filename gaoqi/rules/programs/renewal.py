"""Renewal (复核) of an SRDI title at the end of its validity, as the 2026 measures treat it (national-criteria §3B).

A renewal is what the enterprise declares (``is_<title>_renewal``). When it declares nothing, an enterprise whose
certificate list is given and holds no such title cannot be renewing it; otherwise it is unknown.
"""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

from gaoqi.rules.engine import Condition, Need, Note


def is_renewal(title: str) -> pl.Expr:
    """Whether this evaluation is the renewal of ``title`` (``srdi_sme`` or ``little_giant``); null when unknown."""
    never_held = pl.col("has_certificate_record").fill_null(False) & pl.col(f"{title}_issued_on").is_null()
    return pl.coalesce(pl.col(f"is_{title}_renewal"), pl.when(never_held).then(False))


def renewal_needs(title: str, when: pl.Expr) -> list[Need]:
    """The facts that would tell a renewal apart, missing where ``when`` holds and the renewal is unknown."""
    unknown = when & is_renewal(title).is_null()
    return [Need(f"is_{title}_renewal", unknown)]


def platform_score_condition(title: str, minimum: float, notes: Sequence[Note] = ()) -> Condition:
    """“当年专精特新发展评价得分不低于…（复核企业为近2年任一年）”: this year's platform score, or for a renewal the
    better of this year's and last year's; the gap is what the score shown is short of."""
    this_year, last_year = pl.col("platform_score"), pl.col("platform_score_prev")
    renewal = is_renewal(title)
    passed = (this_year >= minimum) | (renewal & (last_year >= minimum))
    value = pl.when(renewal.fill_null(False)).then(pl.max_horizontal(this_year, last_year)).otherwise(this_year)
    undecided = passed.is_null()
    return Condition(
        passed=passed,
        value=value,
        threshold=pl.lit(minimum),
        gap=minimum - value,
        needs=[
            Need("platform_score", undecided),
            Need("platform_score_prev", undecided & renewal.fill_null(True)),
            *renewal_needs(title, undecided),
        ],
        notes=[
            Note("复核企业按近两年中较高的专精特新发展评价得分判断。", renewal.fill_null(False)),
            *notes,
        ],
    )
