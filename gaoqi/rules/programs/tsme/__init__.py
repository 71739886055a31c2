"""科技型中小企业评价 (tech-based SME evaluation): 《科技型中小企业评价办法》（国科发政〔2017〕115号）.

Conditions (1)–(4) of art. 6 are in :mod:`.conditions`; the score of art. 7, condition (5) and the direct routes of
art. 8 are in :mod:`.score`.
"""

from gaoqi.rules.programs.tsme import conditions, score  # noqa: F401  (registers)
from gaoqi.rules.programs.tsme.program import tsme

__all__ = ["tsme"]
