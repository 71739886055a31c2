"""The programs: each registers its criteria with the engine when imported."""

from gaoqi.rules.programs import hnte  # noqa: F401  (registers)
from gaoqi.rules.programs import tsme  # noqa: F401
from gaoqi.rules.programs import rd_super_deduction  # noqa: F401
