"""研发费用税前加计扣除 (R&D super deduction) for the latest accounting year: may the enterprise claim, and how much.

Eligibility (:mod:`.conditions`): 查账征收 and not an excluded industry. Amounts (:mod:`.amounts`): the eligible base
on the 119号 caliber, the rate for the enterprise and tax year, the extra deduction and the income tax it saves.
"""

# importing the modules registers their criteria and outputs; the aliases mark them as re-exported for mypy
from gaoqi.rules.programs.rd_super_deduction import amounts as amounts
from gaoqi.rules.programs.rd_super_deduction import conditions as conditions
from gaoqi.rules.programs.rd_super_deduction.program import rd_super_deduction

__all__ = ["rd_super_deduction"]
