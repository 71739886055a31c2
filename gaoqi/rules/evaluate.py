"""``evaluate``: a facts frame and a date in, a :class:`Results` out."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import polars as pl

from gaoqi.rules.engine import PROGRAMS, Plan, plan_for, run
from gaoqi.rules.facts import DEFAULTS, FACTS_SCHEMA
from gaoqi.rules.parameters import Overrides
from gaoqi.rules.results import OUTCOME_WORDS, program_result
from gaoqi.rules.version import __version__

KEEP: tuple[str, ...] = ("uscc", "name")


def program_names(program: str | Sequence[str]) -> tuple[str, ...]:
    """``"all"``, one name, or several, checked against the registered programs (in registration order)."""
    if program == "all":
        return tuple(PROGRAMS)
    names = (program,) if isinstance(program, str) else tuple(program)
    unknown = [n for n in names if n not in PROGRAMS]
    if unknown:
        raise ValueError(f"unknown program {', '.join(unknown)}; known: {', '.join(PROGRAMS)}")
    return names


def conform(facts: pl.DataFrame) -> pl.DataFrame:
    """Give a frame every fact column in its dtype; absent columns are unknown (or their documented default)."""
    missing = [name for name in FACTS_SCHEMA if name not in facts.columns]
    added = [pl.lit(DEFAULTS.get(name), dtype=FACTS_SCHEMA[name]).alias(name) for name in missing]
    casts = [
        pl.col(name).cast(dtype)
        for name, dtype in FACTS_SCHEMA.items()
        if name in facts.columns and facts.schema[name] != dtype
    ]
    if added or casts:
        facts = facts.with_columns(*added, *casts)
    return facts


@dataclass(frozen=True)
class Results:
    """The results frame (one row per enterprise, columns ``<program>.<criterion>.<field>``) and how to read it."""

    frame: pl.DataFrame
    plan: Plan

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
        return OUTCOME_WORDS[self.frame[f"{program}.outcome"][row]]

    def to_dict(self, row: int = 0, *, path_of: Callable[[str], str] | None = None) -> dict[str, Any]:
        """One enterprise's results in the JSON shape of ``facts.md``; ``path_of`` names missing facts."""
        values = self.frame.row(row, named=True)
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
    facts: pl.DataFrame,
    *,
    program: str | Sequence[str] = "all",
    as_of: date,
    overrides: Overrides | None = None,
    keep: Sequence[str] = KEEP,
) -> Results:
    """Evaluate every row of ``facts`` against ``program`` (or ``"all"``) as in force on ``as_of``.

    ``overrides`` change parameters on a copy (``{"hnte.rd_ratio_small": {"2027-01-01": 4}}``) for what-if and
    reform simulation. ``keep`` names fact columns copied into the results frame (identifiers).

    >>> from gaoqi.rules.facts import facts_frame
    >>> frame = facts_frame([{"registered_on": date(2024, 9, 1)}, {"registered_on": date(2020, 1, 1)}])
    >>> results = evaluate(frame, program="hnte", as_of=date(2025, 6, 30))
    >>> results.frame["hnte.registered_365_days.passed"].to_list()
    [False, True]
    """
    plan = plan_for(program_names(program), as_of, overrides)
    return Results(run(plan, conform(facts), keep=[k for k in keep if k in facts.columns]), plan)
