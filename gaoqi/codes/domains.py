"""The eight domains of 《国家重点支持的高新技术领域》 (the annex of 国科发火〔2016〕32号), numbered as the annex
numbers them and as an enterprise's ``hnte_domain`` records them (0: in none of them)."""

from __future__ import annotations

HNTE_DOMAINS: tuple[tuple[int, str], ...] = (
    (1, "电子信息"),
    (2, "生物与新医药"),
    (3, "航空航天"),
    (4, "新材料"),
    (5, "高技术服务"),
    (6, "新能源与节能"),
    (7, "资源与环境"),
    (8, "先进制造与自动化"),
)
DOMAIN_NAMES = dict(HNTE_DOMAINS)
