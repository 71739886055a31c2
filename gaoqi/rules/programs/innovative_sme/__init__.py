"""创新型中小企业评价 (innovative SME): the common scope of 工信部企业〔2022〕63号 and the 100-point evaluation of its
annex 1, with the direct routes. 工信部企业〔2026〕2号 keeps this evaluation until the merged 科技和创新型中小企业
standard is issued (2号 第三十条, secondary sources — national-criteria §3B, §0.4-12), so it has one regime from
2022-06-01."""

from gaoqi.rules.programs.innovative_sme import conditions, score  # noqa: F401  (registers)
from gaoqi.rules.programs.innovative_sme.program import innovative_sme

__all__ = ["innovative_sme"]
