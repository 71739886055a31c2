"""What users read is plain Chinese: no field names, formulas or references to our own notes in a label or note."""

from __future__ import annotations

import re
from datetime import date

import pytest

from gaoqi.rules.engine import PROGRAMS, plan_for

INTERNAL = re.compile(r"§|facts\.md|national-criteria|sqrt|\w*_\w+|\b[a-z]{3,}\b", re.ASCII)
"""Section signs, our reference files, formulas, snake_case identifiers and English words."""
SECONDARY = "二手资料"


def _texts(on: date) -> list[tuple[str, str]]:
    plan = plan_for(tuple(PROGRAMS), on)
    texts = []
    for program, plans in plan.criteria.items():
        for cp in plans:
            where = f"{program}.{cp.criterion.id}"
            texts += [(where, cp.criterion.label), *((where, note) for note in cp.notes)]
            texts += [(where, part.label) for part in cp.parts]
            if cp.direct_label is not None:
                texts.append((where, cp.direct_label))
    return texts


@pytest.mark.parametrize("on", [date(2025, 6, 30), date(2026, 9, 30)], ids=str)
def test_every_label_and_note_is_plain_chinese(on: date) -> None:
    internal = [(where, text) for where, text in _texts(on) if INTERNAL.search(text)]
    assert not internal


def test_a_secondary_source_is_marked_once_per_program() -> None:
    """Under 2号 (known from secondary sources only) the warning is one note of the program, not one per row."""
    plan = plan_for(tuple(PROGRAMS), date(2026, 9, 30))
    for program in ("srdi_sme", "little_giant"):
        marked = [cp for cp in plan.criteria[program] if any(SECONDARY in n and "认定条件" in n for n in cp.notes)]
        assert len(marked) == 1, program
