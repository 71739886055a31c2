"""专精特新“小巨人”企业认定 (little giant), in two regimes chosen by the evaluation date: the six conditions of
工信部企业〔2022〕63号 annex 3 (with the tiered R&D rule and the direct routes of the innovation condition) before
2026-04-01, and the seven conditions of 工信部企业〔2026〕2号 (national-criteria §3B) from then. There is no score."""

from gaoqi.rules.programs.little_giant import conditions, conditions_2026  # noqa: F401  (registers)
from gaoqi.rules.programs.little_giant.program import little_giant

__all__ = ["little_giant"]
