"""``evaluate``: a facts frame and a date in, a :class:`Results` out."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cached_property, lru_cache
from typing import Any, Literal

import polars as pl

from gaoqi.rules.engine import PROGRAMS, Plan, plan_for, run
from gaoqi.rules.facts import DEFAULTS, FACTS_SCHEMA, facts_frame
from gaoqi.rules.parameters import Overrides
from gaoqi.rules.results import OUTCOME_WORDS, program_result
from gaoqi.rules.rowplan import compile_columns
from gaoqi.rules.rowruntime import Unsupported
from gaoqi.rules.version import __version__

KEEP: tuple[str, ...] = ("uscc", "name")


def program_names(program: str | Sequence[str]) -> tuple[str, ...]:
    """``"all"``, one name, or several, checked against the registered programs (in registration order)."""
    if program == "all":
        return tuple(PROGRAMS)
    names = (program,) if isinstance(program, str) else tuple(program)
    unknown = [n for n in names if n not in PROGRAMS]
    if unknown:
        raise ValueError(f"未知的评价项目：{'、'.join(unknown)}；可选：{'、'.join(PROGRAMS)} 或 all")
    return names


def conform(facts: pl.DataFrame) -> pl.DataFrame:
    """Give a frame every fact column in its dtype; absent columns are unknown (or their documented default)."""
    schema = facts.schema
    missing = [name for name in FACTS_SCHEMA if name not in schema]
    added = [pl.lit(DEFAULTS.get(name), dtype=FACTS_SCHEMA[name]).alias(name) for name in missing]
    casts = [
        pl.col(name).cast(dtype) for name, dtype in FACTS_SCHEMA.items() if name in schema and schema[name] != dtype
    ]
    if added or casts:
        facts = facts.with_columns(*added, *casts)
    return facts


SMALL = 64
"""Up to this many rows, the plan compiled to Python (:mod:`.rowplan`) is faster than planning a Polars query."""


@dataclass(frozen=True)
class Results:
    """The results (one row per enterprise, columns ``<program>.<criterion>.<field>``) and how to read them.

    Holds either a Polars frame or, for a few rows evaluated in Python, plain rows; ``frame`` builds the frame on
    first use, with the same schema as the Polars executor gives. Without explanations (``explained`` false) only
    the outcome and score columns are there, and reading a result in words (``to_dict``) is refused.
    """

    plan: Plan
    polars_frame: pl.DataFrame | None = None
    rows: list[dict[str, Any]] | None = None
    kept: pl.Schema | None = None
    """The identifier columns copied from the facts (``keep``), with their dtypes."""
    explained: bool = True

    @cached_property
    def frame(self) -> pl.DataFrame:
        if self.polars_frame is not None:
            return self.polars_frame
        full = pl.Schema({**(self.kept or {}), **result_schema(self.plan, explain=self.explained)})
        return pl.DataFrame(self.rows or [], schema=full)

    def row(self, index: int) -> dict[str, Any]:
        return self.rows[index] if self.rows is not None else self.frame.row(index, named=True)

    @property
    def as_of(self) -> date:
        return self.plan.on

    @property
    def programs(self) -> tuple[str, ...]:
        return self.plan.programs

    @property
    def parameters_digest(self) -> str:
        return self.plan.parameters_digest

    @property
    def rules_version(self) -> str:
        return __version__

    def outcome(self, row: int, program: str) -> str:
        return OUTCOME_WORDS[self.row(row)[f"{program}.outcome"]]

    def to_dict(self, row: int = 0, *, path_of: Callable[[str], str] | None = None) -> dict[str, Any]:
        """One enterprise's results in the JSON shape of ``facts.md``; ``path_of`` names missing facts."""
        if not self.explained:
            raise ValueError("these results were evaluated with explain=False: evaluate again with explanations")
        values = self.row(row)
        return {
            "as_of": self.as_of.isoformat(),
            "rules_version": self.rules_version,
            "parameters_digest": self.parameters_digest,
            "programs": {
                name: program_result(self.plan, name, values, path_of=path_of or (lambda fact: fact))
                for name in self.programs
            },
        }


def evaluate(
    facts: pl.DataFrame | Sequence[Mapping[str, Any]],
    *,
    program: str | Sequence[str] = "all",
    as_of: date,
    overrides: Overrides | None = None,
    keep: Sequence[str] = KEEP,
    backend: Literal["auto", "polars", "python"] = "auto",
    explain: bool = True,
) -> Results:
    """Evaluate every row of ``facts`` against ``program`` (or ``"all"``) as in force on ``as_of``.

    ``facts`` is a facts frame, or rows of plain values as :func:`~gaoqi.rules.facts.facts_frame` takes them (one
    enterprise read from JSON then reaches the rules without building a frame). ``overrides`` change parameters on
    a copy (``{"hnte.rd_ratio_small": {"2027-01-01": 4}}``) for what-if and reform simulation. ``keep`` names fact
    columns copied into the results frame (identifiers). ``backend`` chooses the executor; both give the same
    results (``auto``: Python for a few rows, Polars for many).

    ``explain=False`` screens without explanations: each program's ``<program>.outcome`` and its score columns
    (the outputs in points, such as ``hnte.score_min``) only, equal to the explained run's, while the values,
    thresholds, gaps, missing facts and notes of the criteria are never computed.

    >>> from gaoqi.rules.facts import facts_frame
    >>> frame = facts_frame([{"registered_on": date(2024, 9, 1)}, {"registered_on": date(2020, 1, 1)}])
    >>> results = evaluate(frame, program="hnte", as_of=date(2025, 6, 30))
    >>> results.frame["hnte.registered_365_days.passed"].to_list()
    [False, True]
    >>> screened = evaluate(frame, program="hnte", as_of=date(2025, 6, 30), explain=False)
    >>> screened.frame.columns[-3:]
    ['hnte.score_min', 'hnte.score_max', 'hnte.outcome']
    >>> screened.frame["hnte.outcome"].to_list() == results.frame["hnte.outcome"].to_list()
    True
    """
    plan = plan_for(program_names(program), as_of, overrides)
    height = facts.height if isinstance(facts, pl.DataFrame) else len(facts)
    if backend == "python" or (backend == "auto" and height <= SMALL):
        compiled = row_function(plan, explain=explain)
        if compiled is not None:
            rows, kept = _rows_of(facts, keep)
            return Results(
                plan,
                rows=[{**{k: row[k] for k in kept}, **compiled(row)} for row in rows],
                kept=kept,
                explained=explain,
            )
        if backend == "python":
            raise ValueError("this plan uses an expression the Python executor does not support")
    frame = facts if isinstance(facts, pl.DataFrame) else facts_frame([dict(row) for row in facts])
    kept_names = [k for k in keep if k in frame.columns]
    if explain:
        return Results(plan, polars_frame=run(plan, conform(frame), keep=kept_names))
    return Results(plan, polars_frame=_run_outcomes(plan, conform(frame), keep=kept_names), explained=False)


def _plain(dtype: pl.DataType) -> Callable[[Any], bool]:
    """Whether a value is already what Polars would hold for a fact of this dtype (an int for a float is not)."""
    if dtype == pl.Int64:
        return lambda v: type(v) is int and -(2**63) <= v < 2**63
    if dtype == pl.Float64:
        return lambda v: type(v) is float
    if dtype == pl.Date:
        return lambda v: type(v) is date
    kind = {pl.Boolean: bool, pl.String: str}[dtype.base_type()]
    return lambda v: type(v) is kind


_PLAIN = tuple((name, DEFAULTS.get(name), _plain(dtype)) for name, dtype in FACTS_SCHEMA.items())


def _plain_row(given: Mapping[str, Any]) -> dict[str, Any] | None:
    """Every fact of a row of plain values, or None when a value is not of its fact's Python type."""
    row = {}
    for name, default, plain in _PLAIN:
        value = given.get(name)
        if value is None:
            value = default  # an explicit null is unknown, as facts_frame reads it
        elif not plain(value):
            return None
        row[name] = value
    return row


def _rows_of(
    facts: pl.DataFrame | Sequence[Mapping[str, Any]], keep: Sequence[str]
) -> tuple[list[dict[str, Any]], pl.Schema]:
    """The rows the Python executor reads, every fact in them, and the kept columns with their dtypes.

    Rows of plain values are used as they are when each value already has its fact's Python type (microseconds);
    anything else goes through a frame, which converts or rejects values as ``facts_frame`` does.
    """
    if not isinstance(facts, pl.DataFrame):
        given = list(facts)
        rows = [row for row in map(_plain_row, given) if row is not None]
        if len(rows) == len(given):
            return rows, pl.Schema({k: FACTS_SCHEMA[k] for k in keep if k in FACTS_SCHEMA})
        facts = facts_frame([dict(row) for row in given])
    schema = facts.schema
    return conform(facts).to_dicts(), pl.Schema({k: schema[k] for k in keep if k in schema})


def _score_columns(plan: Plan) -> tuple[pl.Expr, ...]:
    """The program outputs in points (score ranges and their parts): what a screening keeps beside the outcomes."""
    units = {f"{o.program}.{o.name}": o.unit for outs in plan.outputs.values() for o in outs}
    return tuple(e for e in plan.output_columns if units[e.meta.output_name()] == "points")


def _passed_columns(plan: Plan) -> tuple[pl.Expr, ...]:
    """Each criterion's outcome, the only criterion column a program's outcome reads."""
    return tuple(e for e in plan.criterion_columns if e.meta.output_name().endswith(".passed"))


def _run_outcomes(plan: Plan, facts: pl.DataFrame, keep: Sequence[str] = ()) -> pl.DataFrame:
    """:func:`engine.run` without explanations: the criteria's outcomes are one more derived stage, then dropped."""
    lazy = facts.lazy()
    for stage in (*plan.derived, _passed_columns(plan)):
        lazy = lazy.with_columns(stage)
    return lazy.select(*[pl.col(k) for k in keep], *_score_columns(plan), *plan.outcome_columns).collect()


@lru_cache(maxsize=64)
def row_function(plan: Plan, *, explain: bool = True) -> Callable[[dict[str, Any]], dict[str, Any]] | None:
    """The plan compiled to one Python function per row, or None where an expression is not supported."""
    try:
        if explain:
            return compile_columns(plan.derived, (*plan.criterion_columns, *plan.output_columns, *plan.outcome_columns))
        return compile_columns((*plan.derived, _passed_columns(plan)), (*_score_columns(plan), *plan.outcome_columns))
    except Unsupported:
        return None


@lru_cache(maxsize=64)
def result_schema(plan: Plan, *, explain: bool = True) -> pl.Schema:
    """The result columns and dtypes the Polars executor produces for this plan."""
    empty = conform(pl.DataFrame(schema=FACTS_SCHEMA))
    return (run(plan, empty) if explain else _run_outcomes(plan, empty)).schema
