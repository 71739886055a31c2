"""SME status from the size table of 工信部联企业〔2011〕300号, when the enterprise does not state it."""

from __future__ import annotations

import itertools
from typing import Any

import polars as pl

from gaoqi.rules.engine import COMMON
from gaoqi.rules.parameters import Parameters
from gaoqi.rules.programs.common import (
    col_y,
)
from gaoqi.rules.programs.quality_sme.measures import any_of, revenue

# ---------------------------------------------------------------------------------------------------- SME size


def _after(prefix: str) -> str:
    """The least string above every string that starts with ``prefix`` (codes are letters and digits)."""
    return prefix[:-1] + chr(ord(prefix[-1]) + 1)


def sme_size_steps(p: Parameters) -> tuple[list[tuple[str, int | None]], list[dict[str, Any]]]:
    """The size table as a step function of the industry code, and the rows.

    Every code that starts with a prefix lies in ``[prefix, _after(prefix))`` in string order, so the rows become
    consecutive intervals: ``[(upper bound, row or None), …]`` in ascending order, the longest prefix winning where
    ranges nest, codes before the first bound or in no range giving None.

    >>> from datetime import date
    >>> from gaoqi.rules.parameters import load_parameters
    >>> steps, _ = sme_size_steps(load_parameters().at(date(2025, 6, 30)))
    >>> steps[:3]
    [('A', None), ('B', 0), ('E', 1)]
    """
    rows = list(p.quality_sme.sme_size_table)
    ranges = [(prefix, _after(prefix), index) for index, row in enumerate(rows) for prefix in row["codes"]]
    bounds = sorted({bound for start, end, _ in ranges for bound in (start, end)})
    steps: list[tuple[str, int | None]] = [(bounds[0], None)]
    for low, high in itertools.pairwise(bounds):
        covering = [(len(start), index) for start, end, index in ranges if start <= low and high <= end]
        row = max(covering)[1] if covering else None
        if steps[-1][1] == row:
            steps[-1] = (high, row)
        else:
            steps.append((high, row))
    return steps, rows


def size_row(p: Parameters) -> pl.Expr:
    """The row of the size table for the industry code (Int8, null when none), by its place in string order.

    The first step whose bound is above the code gives the row: a binary search over the sorted bounds, then a
    lookup — one pass over the column rather than one comparison per step.
    """
    code = pl.col("industry_code")
    steps, _ = sme_size_steps(p)
    bounds = [bound for bound, _ in steps]
    assert bounds == sorted(bounds), "size-table steps must be in string order"
    rows = pl.Series([row for _, row in steps] + [None], dtype=pl.Int8)
    place = pl.lit(pl.Series(bounds, dtype=pl.String)).search_sorted(code, side="right")
    return pl.when(code.is_not_null()).then(pl.lit(rows).gather(place))


def sme_by_size(p: Parameters, row: pl.Expr) -> pl.Expr:
    """SME status derived from 《中小企业划型标准规定》 by industry, staff, revenue and total assets of year 3.

    工信部联企业〔2011〕300号 第四条: an enterprise is small or medium when it is below ANY one limit of its industry
    ("从业人员1000人以下或营业收入40000万元以下"). Null when the industry is not in the table (or its code is too
    short to place it) or when a decisive figure is unknown. ``row`` is the derived column of :func:`size_row`.
    """
    _, rows = sme_size_steps(p)
    measures = {
        "staff_below": col_y("staff_total", 3),
        "revenue_below": revenue(3),
        "assets_below": col_y("total_assets", 3),
    }
    tests = []
    for key, measure in measures.items():
        limit: Any = pl
        for index, r in enumerate(rows):
            if r.get(key) is not None:
                limit = limit.when(row == index).then(pl.lit(float(r[key])))
        # a limit the industry does not have can never make it small or medium
        limit = limit.otherwise(pl.lit(None, dtype=pl.Float64))
        tests.append(pl.when(limit.is_null()).then(pl.lit(False)).otherwise(measure < limit))
    return pl.when(row.is_not_null()).then(any_of(tests)).otherwise(pl.lit(None, dtype=pl.Boolean))


SIZE_ROW = "_quality_sme_size_row"
SME_BY_SIZE = "_quality_sme_sme_by_size"


@COMMON.derive
def size_row_stage(p: Parameters) -> dict[str, pl.Expr]:
    """``_quality_sme_size_row``: the size-table row of the industry code, derived once for all three tiers.

    A common derivation: computed once whichever of the tiers are evaluated, and pruned by the query optimiser
    from plans that do not read it.
    """
    return {SIZE_ROW: size_row(p)} if p.is_in_force("quality_sme.sme_size_table") else {}


@COMMON.derive
def sme_by_size_stage(p: Parameters) -> dict[str, pl.Expr]:
    """``_quality_sme_sme_by_size``: the SME status the size table gives (null where it cannot tell)."""
    return {SME_BY_SIZE: sme_by_size(p, pl.col(SIZE_ROW))} if p.is_in_force("quality_sme.sme_size_table") else {}


def is_sme(row: pl.Expr, derived: pl.Expr) -> tuple[pl.Expr, pl.Expr, pl.Expr]:
    """(SME status, derived from the table, not placeable): the fact ``is_sme`` when given, else derived."""
    given = pl.col("is_sme")
    return pl.coalesce(given, derived), given.is_null() & derived.is_not_null(), given.is_null() & row.is_null()
