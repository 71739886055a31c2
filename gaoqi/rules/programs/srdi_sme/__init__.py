"""专精特新中小企业认定 (SRDI SME), in two regimes chosen by the evaluation date: 工信部企业〔2022〕63号 annex 2 (four
conditions, the 13-indicator 100-point score or its direct routes) before 2026-04-01, and 工信部企业〔2026〕2号 (the
table of national-criteria §3B, with the platform's SRDI development score) from then."""

from gaoqi.rules.programs.srdi_sme import conditions, conditions_2026, score  # noqa: F401  (registers)
from gaoqi.rules.programs.srdi_sme.program import srdi_sme

__all__ = ["srdi_sme"]
