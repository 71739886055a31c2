"""Parts of criteria that several programs write the same way: a score range against a minimum."""

from __future__ import annotations

from typing import Any

import polars as pl

from gaoqi.rules.engine import Part


def score_at_least(label: str, low: pl.Expr, high: pl.Expr, minimum: Any, *, comparison: str = ">=") -> Part:
    """A score known as a range ``low``–``high`` meets ``minimum`` (不低于, or above it with ``>``).

    It passes when the lower end does, fails when the upper end does not, and is otherwise undetermined; the gap is
    the points the upper end still lacks.
    """
    if comparison == ">=":
        meets, short, gap = low >= minimum, high < minimum, minimum - high
    else:
        meets, short, gap = low > minimum, high <= minimum, minimum - high + 1
    return Part(
        label,
        pl.when(meets).then(True).when(short).then(False).otherwise(pl.lit(None, dtype=pl.Boolean)),
        value=low,
        value_max=high,
        threshold=pl.lit(minimum),
        gap=gap,
        unit="points",
        gap_unit="points",
        comparison=comparison,
    )
