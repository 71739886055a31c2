"""The programs: each registers its criteria with the engine when imported, in the order results list them."""

from gaoqi.rules.programs import (
    hnte,  # noqa: F401
    innovative_sme,  # noqa: F401
    little_giant,  # noqa: F401
    rd_super_deduction,  # noqa: F401
    srdi_sme,  # noqa: F401
    tsme,  # noqa: F401
)
