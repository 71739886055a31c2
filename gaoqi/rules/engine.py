"""The engine: programs register criteria; ``evaluate`` turns a facts frame into a results frame.

A criterion is a small function of parameters that returns a :class:`Condition` of Polars expressions. The engine
adds what every criterion needs in the same way: the gap shown only on failure, the list of missing facts shown only
when the outcome is undetermined, the notes that apply, the citations of the parameters the function read, and for a
criterion with several parts (:class:`Part`) the part that decides, whose value, threshold and gap the row shows.

Outcomes are Polars booleans with Kleene logic: ``true`` pass, ``false`` fail, ``null`` undetermined. A program
passes when every criterion passes, fails when any fails, and is otherwise undetermined — exactly ``all_horizontal``.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any

import polars as pl

from gaoqi.rules.parameters import Overrides, Parameters, load_parameters


@dataclass(frozen=True)
class Need:
    """A fact a criterion reads; it is reported missing when null where ``when`` holds (always if ``when`` is None)."""

    column: str
    when: pl.Expr | None = None


@dataclass(frozen=True)
class Note:
    """A reading we chose, or a flag for manual review; shown where ``when`` holds (always if ``when`` is None)."""

    text: str
    when: pl.Expr | None = None


@dataclass(frozen=True)
class Part:
    """One part of a criterion that has several: a year, a score group, one of several caps, an alternative route.

    A row shows the part that decides its outcome — the first part whose outcome is the criterion's — and lists
    every part, so that the value, threshold, comparison and gap shown always agree with the outcome. An
    ``alternative`` route suffices alone: it decides only where it passes (a failed route explains nothing).
    """

    label: str
    passed: pl.Expr
    value: pl.Expr | None = None
    threshold: pl.Expr | None = None
    gap: pl.Expr | None = None
    value_max: pl.Expr | None = None
    unit: str = ""
    gap_unit: str | None = None
    comparison: str = ">="
    alternative: bool = False
    applies: pl.Expr | None = None
    """Where false, the part is not the law for this row (another tier's test): neither shown nor listed."""


@dataclass(frozen=True)
class Condition:
    passed: pl.Expr
    value: pl.Expr | None = None
    threshold: pl.Expr | None = None
    gap: pl.Expr | None = None
    needs: Sequence[str | Need] = ()
    notes: Sequence[Note] = ()
    value_max: pl.Expr | None = None
    direct: pl.Expr | None = None
    """Where true, the criterion is met by a direct route (直接认定); it is then shown as ``direct_id``."""
    direct_label: str = "符合直接认定（免评）条件"
    direct_id: str | None = "direct_route"
    """The id the row takes where the direct route holds; None keeps the criterion's own (several criteria of one
    program share a route, and ids are unique within a program's result)."""
    parts: Sequence[Part] = ()
    """The parts of a criterion with several; a direct route is added as the first, alternative, part."""


@dataclass(frozen=True)
class Criterion:
    program: str
    id: str
    label: str
    citation: str
    build: Callable[[Parameters], Condition]
    value_unit: str = ""
    threshold_unit: str | None = None
    gap_unit: str | None = None
    since: date | None = None
    until: date | None = None
    comparison: str = ">="
    """How the value meets the threshold: ">=", ">", "<=", "<" or "==" (shown as 要求 ≥ 10%)."""
    decides: bool = True
    """False for a row that explains an estimate (the tax rate of a tax effect): shown, but the program's outcome
    and what it lists as missing do not depend on it."""

    def is_in_force(self, on: date) -> bool:
        return (self.since is None or self.since <= on) and (self.until is None or on < self.until)


@dataclass(frozen=True)
class Output:
    """A program-level result column, such as a score bound or a tax amount."""

    program: str
    name: str
    unit: str
    build: Callable[[Parameters], pl.Expr]
    since: date | None = None
    until: date | None = None

    def is_in_force(self, on: date) -> bool:
        return (self.since is None or self.since <= on) and (self.until is None or on < self.until)


@dataclass
class Program:
    name: str
    label: str
    citation: str
    criteria: list[Criterion] = field(default_factory=list)
    outputs: list[Output] = field(default_factory=list)
    derivations: list[Callable[[Parameters], dict[str, pl.Expr]]] = field(default_factory=list)

    def criterion(
        self,
        id: str,
        *,
        label: str,
        citation: str,
        value_unit: str = "",
        threshold_unit: str | None = None,
        gap_unit: str | None = None,
        since: date | None = None,
        until: date | None = None,
        comparison: str = ">=",
        decides: bool = True,
    ) -> Callable[[Callable[[Parameters], Condition]], Callable[[Parameters], Condition]]:
        """Register a criterion; ``since``/``until`` bound the period in which this version of it is the law."""

        def register(build: Callable[[Parameters], Condition]) -> Callable[[Parameters], Condition]:
            self.criteria.append(
                Criterion(
                    self.name,
                    id,
                    label,
                    citation,
                    build,
                    value_unit,
                    threshold_unit or value_unit,
                    gap_unit,
                    since,
                    until,
                    comparison,
                    decides,
                )
            )
            return build

        return register

    def output(
        self, name: str, *, unit: str, since: date | None = None, until: date | None = None
    ) -> Callable[[Callable[[Parameters], pl.Expr]], Callable[[Parameters], pl.Expr]]:
        def register(build: Callable[[Parameters], pl.Expr]) -> Callable[[Parameters], pl.Expr]:
            self.outputs.append(Output(self.name, name, unit, build, since, until))
            return build

        return register

    def expose(self, name: str, column: str, *, unit: str) -> None:
        """Register an output that shows a derived column as it is (a score bound, a growth rate)."""

        def read(p: Parameters) -> pl.Expr:
            return pl.col(column)

        self.outputs.append(Output(self.name, name, unit, read))

    def derive(self, build: Callable[[Parameters], dict[str, pl.Expr]]) -> Callable[[Parameters], dict[str, pl.Expr]]:
        """Register intermediate columns (names start with ``_``) computed once before the criteria read them.

        Each registered function is one stage: its columns may read the columns of earlier stages.
        """
        self.derivations.append(build)
        return build

    def criteria_on(self, on: date) -> list[Criterion]:
        return [c for c in self.criteria if c.is_in_force(on)]


PROGRAMS: dict[str, Program] = {}
COMMON = Program("common", label="", citation="")
"""Derivations every program may read (accounting years in business, …), computed before any program's own."""


def program(name: str, *, label: str, citation: str) -> Program:
    PROGRAMS[name] = Program(name, label, citation)
    return PROGRAMS[name]


@dataclass(frozen=True)
class CriterionPlan:
    """What the engine needs to turn one criterion's columns back into words."""

    criterion: Criterion
    needs: tuple[str, ...]
    notes: tuple[str, ...]
    parameters: tuple[tuple[str, date], ...]
    """The parameters the criterion read, each with the date it was read at (the law of that day is cited)."""
    has_value_max: bool
    direct_label: str | None = None
    parts: tuple[Part, ...] = ()
    direct_id: str | None = None


@dataclass(frozen=True, eq=False)
class Plan:
    programs: tuple[str, ...]
    on: date
    derived: tuple[tuple[pl.Expr, ...], ...]
    criterion_columns: tuple[pl.Expr, ...]
    output_columns: tuple[pl.Expr, ...]
    outcome_columns: tuple[pl.Expr, ...]
    criteria: dict[str, tuple[CriterionPlan, ...]]
    outputs: dict[str, tuple[Output, ...]]
    parameters: Parameters
    parameters_digest: str


def _need(need: str | Need) -> Need:
    return need if isinstance(need, Need) else Need(need)


def _mask_dtype(count: int) -> pl.DataType:
    """The narrowest unsigned integer with a bit per flag: results of a million rows stay small."""
    for bits, dtype in ((8, pl.UInt8()), (16, pl.UInt16()), (32, pl.UInt32()), (64, pl.UInt64())):
        if count <= bits:
            return dtype
    raise ValueError(f"{count} flags do not fit in 64 bits")


def _bitmask(flags: Sequence[pl.Expr], dtype: pl.DataType) -> pl.Expr:
    """Pack boolean flags into one integer column (bit i set where flag i holds) — cheap to carry for a million rows."""
    if not flags:
        return pl.lit(0, dtype=dtype)
    mask = flags[0].cast(dtype)
    for i, flag in enumerate(flags[1:], start=1):
        mask = mask + flag.cast(dtype) * (1 << i)
    return mask


def all_parts(cond: Condition) -> tuple[Part, ...]:
    """A condition's parts, its direct route first (the route that decides wherever it holds)."""
    if cond.direct is None:
        return tuple(cond.parts)
    return (Part(cond.direct_label, cond.direct, alternative=True), *cond.parts)


def _deciding_part(passed: pl.Expr, parts: Sequence[Part]) -> pl.Expr:
    """The index of the first part whose outcome is the criterion's (an alternative only where it passes)."""
    chain: Any = pl  # pl.when(...) starts the chain, each .when(...) extends it
    for i, part in enumerate(parts):
        own = part.passed.cast(pl.Boolean)
        same = pl.when(passed.is_null()).then(own.is_null()).otherwise(own == passed).fill_null(False)
        if part.alternative:
            same = same & own.fill_null(False)
        if part.applies is not None:
            same = same & part.applies.fill_null(False)
        chain = chain.when(same).then(pl.lit(i, dtype=pl.UInt8))
    return chain.otherwise(pl.lit(None, dtype=pl.UInt8)) if parts else pl.lit(None, dtype=pl.UInt8)


def _shown(own: pl.Expr | None, parts: Sequence[pl.Expr | None], deciding: pl.Expr) -> pl.Expr:
    """The value of the deciding part, or the criterion's own where no part decides."""
    shown: pl.Expr = own if own is not None else pl.lit(None)
    for i in reversed(range(len(parts))):
        part = parts[i]
        shown = pl.when(deciding == i).then(part if part is not None else pl.lit(None)).otherwise(shown)
    return shown.cast(pl.Float64)


def _part_columns(prefix: str, i: int, part: Part) -> list[pl.Expr]:
    passed = part.passed.cast(pl.Boolean)
    columns = [
        passed.alias(f"{prefix}.parts.{i}.passed"),
        (part.value if part.value is not None else pl.lit(None)).cast(pl.Float64).alias(f"{prefix}.parts.{i}.value"),
        (part.threshold if part.threshold is not None else pl.lit(None))
        .cast(pl.Float64)
        .alias(f"{prefix}.parts.{i}.threshold"),
        pl.when(passed.not_())
        .then(part.gap if part.gap is not None else pl.lit(None))
        .cast(pl.Float64)
        .alias(f"{prefix}.parts.{i}.gap"),
    ]
    if part.value_max is not None:
        columns.append(part.value_max.cast(pl.Float64).alias(f"{prefix}.parts.{i}.value_max"))
    if part.applies is not None:
        columns.append(part.applies.fill_null(False).alias(f"{prefix}.parts.{i}.applies"))
    return columns


def _criterion_columns(c: Criterion, cond: Condition) -> list[pl.Expr]:
    prefix = f"{c.program}.{c.id}"
    passed = cond.passed.cast(pl.Boolean)
    parts = all_parts(cond)
    deciding = _deciding_part(passed, parts)
    needs = [_need(n) for n in cond.needs]
    missing_flags = [
        pl.col(n.column).is_null() if n.when is None else (pl.col(n.column).is_null() & n.when).fill_null(False)
        for n in needs
    ]
    note_flags = [pl.lit(True) if n.when is None else n.when.fill_null(False) for n in cond.notes]
    columns = [
        passed.alias(f"{prefix}.passed"),
        _shown(cond.value, [p.value for p in parts], deciding).alias(f"{prefix}.value"),
        _shown(cond.threshold, [p.threshold for p in parts], deciding).alias(f"{prefix}.threshold"),
        pl.when(passed.not_())
        .then(_shown(cond.gap, [p.gap for p in parts], deciding))
        .cast(pl.Float64)
        .alias(f"{prefix}.gap"),
        pl.when(passed.is_null())
        .then(_bitmask(missing_flags, _mask_dtype(len(missing_flags))))
        .otherwise(pl.lit(0, dtype=_mask_dtype(len(missing_flags))))
        .alias(f"{prefix}.missing"),
        _bitmask(note_flags, _mask_dtype(len(note_flags))).alias(f"{prefix}.notes"),
    ]
    if _has_value_max(cond):
        value_max = _shown(cond.value_max, [p.value_max for p in parts], deciding)
        columns.append(value_max.alias(f"{prefix}.value_max"))
    if cond.direct is not None:
        columns.append(cond.direct.fill_null(False).alias(f"{prefix}.direct"))
    if parts:
        columns.append(deciding.alias(f"{prefix}.part"))
        for i, part in enumerate(parts):
            columns.extend(_part_columns(prefix, i, part))
    return columns


def _has_value_max(cond: Condition) -> bool:
    return cond.value_max is not None or any(p.value_max is not None for p in cond.parts)


def _overrides_key(overrides: Overrides | None) -> str:
    return json.dumps(overrides or {}, sort_keys=True, default=str)


@lru_cache(maxsize=64)
def _plan(programs: tuple[str, ...], on: date, overrides_json: str) -> Plan:
    overrides = json.loads(overrides_json) or None
    p = load_parameters().at(on, overrides)
    lineage: dict[str, tuple[set[str], set[tuple[str, date]]]] = {}

    def stage(derive: Callable[[Parameters], dict[str, pl.Expr]]) -> tuple[pl.Expr, ...]:
        with p.recording():
            exprs = derive(p)
        read = _last_read(p)
        for col, expr in exprs.items():
            lineage[col] = (set(expr.meta.root_names()), read)
        return tuple(expr.alias(col) for col, expr in exprs.items())

    derived: list[tuple[pl.Expr, ...]] = [stage(derive) for derive in COMMON.derivations]
    columns: list[pl.Expr] = []
    output_columns: list[pl.Expr] = []
    outcome_columns: list[pl.Expr] = []
    criteria: dict[str, tuple[CriterionPlan, ...]] = {}
    outputs: dict[str, tuple[Output, ...]] = {}
    for name in programs:
        prog = PROGRAMS[name]
        derived.extend(stage(derive) for derive in prog.derivations)
        plans = []
        for c in prog.criteria_on(on):
            with p.recording():
                cond = c.build(p)
            read = _last_read(p) | _inherited_reads(cond, lineage)
            columns.extend(_criterion_columns(c, cond))
            plans.append(
                CriterionPlan(
                    c,
                    tuple(_need(n).column for n in cond.needs),
                    tuple(n.text for n in cond.notes),
                    tuple(sorted(read)),
                    _has_value_max(cond),
                    cond.direct_label if cond.direct is not None else None,
                    all_parts(cond),
                    cond.direct_id if cond.direct is not None else None,
                )
            )
        criteria[name] = tuple(plans)
        outcome_columns.append(
            pl.all_horizontal(
                [pl.col(f"{name}.{cp.criterion.id}.passed") for cp in plans if cp.criterion.decides]
            ).alias(f"{name}.outcome")
            if any(cp.criterion.decides for cp in plans)
            else pl.lit(None, dtype=pl.Boolean).alias(f"{name}.outcome")
        )
        outs = tuple(o for o in prog.outputs if o.is_in_force(on))
        for out in outs:
            with p.recording():
                output_columns.append(out.build(p).alias(f"{name}.{out.name}"))
        outputs[name] = outs
    return Plan(
        programs,
        on,
        tuple(derived),
        tuple(columns),
        tuple(output_columns),
        tuple(outcome_columns),
        criteria,
        outputs,
        p,
        p.digest(),
    )


def _last_read(p: Parameters) -> set[tuple[str, date]]:
    return {(key, day) for key, dates in p.last_recorded.items() for day in dates}


def _inherited_reads(
    cond: Condition, lineage: dict[str, tuple[set[str], set[tuple[str, date]]]]
) -> set[tuple[str, date]]:
    """The parameters read by the derived columns a condition uses, directly or through other derived columns."""
    exprs = [cond.passed, cond.value, cond.threshold, cond.gap, cond.value_max, cond.direct]
    exprs += [
        e
        for part in cond.parts
        for e in (part.passed, part.value, part.threshold, part.gap, part.value_max, part.applies)
    ]
    exprs += [n.when for n in cond.notes] + [_need(n).when for n in cond.needs]
    pending = [root for e in exprs if e is not None for root in e.meta.root_names()]
    seen: set[str] = set()
    reads: set[tuple[str, date]] = set()
    while pending:
        column = pending.pop()
        if column in seen or column not in lineage:
            continue
        seen.add(column)
        roots, read = lineage[column]
        reads |= read
        pending.extend(roots)
    return reads


def plan_for(programs: Iterable[str], on: date, overrides: Overrides | None = None) -> Plan:
    return _plan(tuple(programs), on, _overrides_key(overrides))


def run(plan: Plan, facts: pl.DataFrame, keep: Sequence[str] = ()) -> pl.DataFrame:
    """Evaluate a plan over a facts frame: derived columns, then criteria and outputs, then program outcomes."""
    lazy = facts.lazy()
    for stage in plan.derived:
        lazy = lazy.with_columns(stage)
    lazy = lazy.select(*[pl.col(k) for k in keep], *plan.criterion_columns, *plan.output_columns)
    return lazy.with_columns(plan.outcome_columns).collect()
