"""高新技术企业认定 (HNTE recognition): 国科发火〔2016〕32号 art. 11 (C1–C8) and the innovation score."""

from gaoqi.rules.programs.hnte import conditions, score  # noqa: F401  (registers)
from gaoqi.rules.programs.hnte.program import hnte

__all__ = ["hnte"]
