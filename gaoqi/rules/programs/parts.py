"""Parts of criteria that several programs write the same way: a score range against a minimum."""

from __future__ import annotations

from typing import Any

import polars as pl

from gaoqi.rules.engine import Part
from gaoqi.rules.programs.common import fraction, staff_share_at_least


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


def share_or_rank(share_min: Any, rank_max: Any) -> list[Part]:
    """A market share of at least ``share_min`` %, or else a national rank of ``rank_max`` or better (an alternative).

    The share is an assessment held as a float: compared with the tolerance of staff averages.
    """
    share, rank = pl.col("market_share"), pl.col("market_rank")
    threshold = float(fraction(share_min)) / 100
    return [
        Part(
            f"主导产品细分市场占有率达到{share_min}%以上",
            staff_share_at_least(share, pl.lit(1.0), share_min),
            value=share,
            threshold=pl.lit(threshold),
            unit="ratio",
        ),
        Part(
            f"主导产品在全国细分市场排名前{rank_max}",
            rank <= rank_max,
            value=rank,
            threshold=pl.lit(rank_max),
            unit="rank",
            comparison="<=",
            alternative=True,
        ),
    ]
