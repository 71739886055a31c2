"""The programs: each registers its criteria with the engine when imported."""

from gaoqi.rules.programs import hnte  # noqa: F401  (registers)
