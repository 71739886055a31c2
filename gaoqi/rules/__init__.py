"""gaoqi.rules — the national criteria as code: facts in, explained results out, one row or a million.

The platform (the Django apps, the API, the CLI) imports only the names listed in ``__all__``; a test keeps it so.

>>> from datetime import date
>>> from gaoqi.rules import evaluate, facts_frame
>>> results = evaluate(facts_frame([{"registered_on": date(2019, 4, 2)}]), program="hnte", as_of=date(2025, 6, 30))
>>> results.outcome(0, "hnte")
'undetermined'
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from gaoqi.rules import programs as _programs  # noqa: F401  (registers every program)
from gaoqi.rules.aggregate import (
    CLASS_1,
    CLASS_2,
    GROUPS,
    INSTITUTION_LEVELS,
    IP_FLAGS,
    ITEM_SCHEMAS,
    aggregate,
    with_rd_breakdown,
)
from gaoqi.rules.assess import assess, json_syntax_error, programs_from_text
from gaoqi.rules.engine import PROGRAMS
from gaoqi.rules.evaluate import Results, evaluate, program_names
from gaoqi.rules.facts import (
    FACTS,
    FACTS_SCHEMA,
    PARTS_OF_WHOLES,
    RD_BREAKDOWN,
    RD_BREAKDOWN_PARTS,
    YEARLY_BASES,
    YEARS,
    facts_frame,
)
from gaoqi.rules.index import criteria_index
from gaoqi.rules.ingest import INDUSTRY_CODE
from gaoqi.rules.parameters import ParameterError, load_parameters
from gaoqi.rules.problems import InputError, Problem
from gaoqi.rules.programs.quality_sme import first_valid_issue
from gaoqi.rules.report import MARK, OUTCOME_TEXT, PART_LABELS, deciding_part, gap_text, render, show
from gaoqi.rules.tables import read_table, write_table
from gaoqi.rules.version import __version__

if TYPE_CHECKING:
    from gaoqi.rules.synthetic import population, uscc_for

_LAZY = {"population": "gaoqi.rules.synthetic", "uscc_for": "gaoqi.rules.synthetic"}
"""Names loaded on first use: the synthetic population needs numpy, which no assessment does."""


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "CLASS_1",
    "CLASS_2",
    "FACTS",
    "FACTS_SCHEMA",
    "GROUPS",
    "INDUSTRY_CODE",
    "INSTITUTION_LEVELS",
    "IP_FLAGS",
    "ITEM_SCHEMAS",
    "MARK",
    "OUTCOME_TEXT",
    "PARTS_OF_WHOLES",
    "PART_LABELS",
    "PROGRAMS",
    "RD_BREAKDOWN",
    "RD_BREAKDOWN_PARTS",
    "YEARLY_BASES",
    "YEARS",
    "InputError",
    "ParameterError",
    "Problem",
    "Results",
    "__version__",
    "aggregate",
    "assess",
    "criteria_index",
    "deciding_part",
    "evaluate",
    "facts_frame",
    "first_valid_issue",
    "gap_text",
    "json_syntax_error",
    "load_parameters",
    "population",
    "program_names",
    "programs_from_text",
    "read_table",
    "render",
    "show",
    "uscc_for",
    "with_rd_breakdown",
    "write_table",
]
