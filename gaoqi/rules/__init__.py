"""gaoqi.rules — the national criteria as code: facts in, explained results out, one row or a million.

>>> from datetime import date
>>> from gaoqi.rules import evaluate, facts_frame
>>> results = evaluate(facts_frame([{"registered_on": date(2019, 4, 2)}]), program="hnte", as_of=date(2025, 6, 30))
>>> results.outcome(0, "hnte")
'undetermined'
"""

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
from gaoqi.rules.evaluate import Results, evaluate
from gaoqi.rules.facts import FACTS, FACTS_SCHEMA, RD_BREAKDOWN, YEARLY_BASES, YEARS, facts_frame
from gaoqi.rules.parameters import load_parameters
from gaoqi.rules.problems import InputError, Problem
from gaoqi.rules.version import __version__

__all__ = [
    "CLASS_1",
    "CLASS_2",
    "FACTS",
    "FACTS_SCHEMA",
    "GROUPS",
    "INSTITUTION_LEVELS",
    "IP_FLAGS",
    "ITEM_SCHEMAS",
    "RD_BREAKDOWN",
    "YEARLY_BASES",
    "YEARS",
    "InputError",
    "Problem",
    "Results",
    "__version__",
    "aggregate",
    "evaluate",
    "facts_frame",
    "load_parameters",
    "with_rd_breakdown",
]
