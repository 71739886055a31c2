"""The programs: each registers its criteria with the engine when imported."""

from gaoqi.rules.engine import PROGRAMS
from gaoqi.rules.programs import (
    hnte,  # noqa: F401
    innovative_sme,  # noqa: F401
    little_giant,  # noqa: F401
    rd_super_deduction,  # noqa: F401
    srdi_sme,  # noqa: F401
    tsme,  # noqa: F401
)

ORDER = ("hnte", "tsme", "innovative_sme", "srdi_sme", "little_giant", "rd_super_deduction")
"""The order results list the programs in (facts.md's): tiers first, the tax measure last."""

PROGRAMS.update({name: PROGRAMS.pop(name) for name in ORDER})
