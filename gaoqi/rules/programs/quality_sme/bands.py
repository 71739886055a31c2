"""Score tables of the quality-SME tiers: bands as score ranges, group sums and the score outcome."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from functools import reduce
from typing import Any

import polars as pl

from gaoqi.rules.parameters import Parameters
from gaoqi.rules.programs.common import (
    share_at_least,
    share_at_most,
    staff_share_at_least,
)
from gaoqi.rules.programs.quality_sme.measures import IP_FACTS, POINTS, Range, all_of, any_of

# ------------------------------------------------------------------------------------------------------- bands


def band_range(bands: Sequence[tuple[pl.Expr, int]], floor: int) -> Range:
    """Points of the first band whose test holds, highest band first; ``floor`` when none does.

    Tests are Kleene booleans: the minimum counts only tests known to hold, the maximum every test not known to
    fail — so an unknown input gives the range of bands it could fall in.
    """
    assert bands, "bands must not be empty"
    low: Any = pl
    high: Any = pl
    for test, points in bands:
        low = low.when(test.fill_null(False)).then(pl.lit(points, dtype=POINTS))
        high = high.when(test.fill_null(True)).then(pl.lit(points, dtype=POINTS))
    return low.otherwise(pl.lit(floor, dtype=POINTS)), high.otherwise(pl.lit(floor, dtype=POINTS))


def _floor(bands: Sequence[Any], key: str) -> int:
    return int(next(band["points"] for band in bands if band.get(key) is None))


def share_bands(num: pl.Expr, den: pl.Expr, bands: Sequence[Any], *, staff: bool = False) -> Range:
    """Bands ``[{min: pct, points}, …, {min: null, points}]`` on ``num / den`` (inclusive lower bounds).

    A denominator of zero or less fits no band but the last (flag it for review where it can happen).
    """
    test = staff_share_at_least if staff else share_at_least
    pairs = [((den > 0) & test(num, den, b["min"]), int(b["points"])) for b in bands if b.get("min") is not None]
    return band_range(pairs, _floor(bands, "min"))


def ceiling_bands(num: pl.Expr, den: pl.Expr, bands: Sequence[Any]) -> Range:
    """Bands ``[{max: pct, points}, …, {max: null, points}]`` on ``num / den`` (inclusive upper bounds)."""
    pairs = [
        ((den > 0) & share_at_most(num, den, b["max"]), int(b["points"])) for b in bands if b.get("max") is not None
    ]
    return band_range(pairs, _floor(bands, "max"))


def amount_bands(amount: pl.Expr, bands: Sequence[Any]) -> Range:
    """Bands ``[{min: n, points}, …, {min: null, points}]`` on an amount or a level (inclusive lower bounds)."""
    pairs = [(amount >= b["min"], int(b["points"])) for b in bands if b.get("min") is not None]
    return band_range(pairs, _floor(bands, "min"))


def ip_bands(bands: Sequence[Any]) -> Range:
    """IP bands ``[{ip: high_value_class_1, min: 1, points}, …, {ip: null, points}]`` on the quality-SME counts.

    Interpretation: the counts hold only IP related to the leading product (flagged related, or core to the main
    product); an item flagged neither makes its count unknown, so the band is a range.
    """
    pairs = [(pl.col(IP_FACTS[b["ip"]]) >= b["min"], int(b["points"])) for b in bands if b.get("ip") is not None]
    return band_range(pairs, _floor(bands, "ip"))


def choice_bands(column: str, points: dict[str, int]) -> Range:
    """Points by a categorical fact (``{choice: points}``); an unknown choice spans them all."""
    ordered = sorted(points.items(), key=lambda item: -item[1])
    floor = min(points.values())
    return band_range([(pl.col(column) == choice, n) for choice, n in ordered if n > floor], floor)


def range_sum(parts: Sequence[Range]) -> Range:
    low = reduce(lambda a, b: a + b, [part[0] for part in parts])
    high = reduce(lambda a, b: a + b, [part[1] for part in parts])
    return low, high


def range_max(parts: Sequence[Range]) -> Range:
    """The better of alternative ways to score one indicator (the range bounds are never null)."""
    return pl.max_horizontal([part[0] for part in parts]), pl.max_horizontal([part[1] for part in parts])


def score_outcome(parts: Sequence[tuple[Range, Any]]) -> pl.Expr:
    """Pass when every ``(range, minimum)`` is met by its lower bound, fail when any upper bound falls short."""
    met = all_of([low >= minimum for (low, _), minimum in parts])
    short = any_of([high < minimum for (_, high), minimum in parts])
    return pl.when(met).then(True).when(short).then(False).otherwise(pl.lit(None, dtype=pl.Boolean))


def indicator_columns(prefix: str, indicators: dict[str, Range]) -> dict[str, pl.Expr]:
    """Stage 1 of a score: each indicator's range as ``_<prefix>_i_<indicator>_min/_max``."""
    columns: dict[str, pl.Expr] = {}
    for name, (low, high) in indicators.items():
        columns[f"_{prefix}_i_{name}_min"], columns[f"_{prefix}_i_{name}_max"] = low, high
    return columns


def score_columns(prefix: str, groups: Mapping[str, Sequence[str]], minimums: Mapping[str, Any]) -> dict[str, pl.Expr]:
    """Stage 2 of a score, from the indicator columns: ``_<prefix>_<group>_min/_max``, ``_<prefix>_score_min/_max``
    and ``_<prefix>_scored`` — true when the lower bound meets every minimum (``score`` names the total), false
    when an upper bound misses one, else null."""
    ranges: dict[str, Range] = {}
    for name, members in groups.items():
        ranges[name] = (
            reduce(lambda a, b: a + b, [pl.col(f"_{prefix}_i_{i}_min") for i in members]),
            reduce(lambda a, b: a + b, [pl.col(f"_{prefix}_i_{i}_max") for i in members]),
        )
    ranges["score"] = range_sum(list(ranges.values()))
    columns: dict[str, pl.Expr] = {}
    for name, (low, high) in ranges.items():
        columns[f"_{prefix}_{name}_min"], columns[f"_{prefix}_{name}_max"] = low, high
    columns[f"_{prefix}_scored"] = score_outcome([(ranges[name], minimum) for name, minimum in minimums.items()])
    return columns


def column_output(name: str) -> Callable[[Parameters], pl.Expr]:
    """An output that shows a derived column as it stands."""

    def build(p: Parameters) -> pl.Expr:
        return pl.col(name)

    return build


def cite(p: Parameters, folder: str, names: Sequence[str]) -> None:
    """Read parameters a derived score used, so that the criterion deciding on that score cites them."""
    for name in names:
        p.value(f"{folder}.{name}")
