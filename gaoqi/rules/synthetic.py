"""A synthetic population of enterprises with plausible figures, reproducible from a seed.

Used by ``make demo`` (a screening of a generated city) and ``make bench`` (a million rows). Nothing here is real
data; distributions are chosen so that every outcome — pass, fail, undetermined — occurs for every program.

>>> frame = population(1000, seed=7, as_of=date(2025, 6, 30))
>>> frame.height, frame["sales_revenue_y3"].null_count() > 0
(1000, True)
"""

from __future__ import annotations

from datetime import date

import numpy as np
import polars as pl

from gaoqi.rules.aggregate import CLASS_1
from gaoqi.rules.evaluate import conform

JIANGMEN_REGIONS = ("440703", "440704", "440705", "440781", "440783", "440784", "440785")
"""Jiangmen's seven county-level divisions: 蓬江区 江海区 新会区 台山市 开平市 鹤山市 恩平市."""
INDUSTRIES = (
    "C3989",
    "C3825",
    "C3484",
    "C2929",
    "C3360",
    "I6513",
    "I6510",
    "M7320",
    "C2710",
    "C3874",
    "F5179",
    "H6210",
)
_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def uscc_for(region: str, serial: int) -> str:
    """A well-formed unified social credit code (GB 32100-2015) for a region and serial number."""
    from stdnum.cn import uscc

    body = f"91{region}" + "".join(_ALPHABET[(serial // 31**i) % 31] for i in range(9))[::-1]
    return body + uscc.calc_check_digit(body)


class _Gaps:
    """Cells to blank out after the frame is built (unknown facts), kept as boolean masks — cheap for a million rows."""

    def __init__(self, rng: np.random.Generator, n: int) -> None:
        self.rng, self.n = rng, n
        self.masks: dict[str, np.ndarray] = {}

    def __call__(self, name: str, values: np.ndarray, share: float, existed: np.ndarray | None = None) -> np.ndarray:
        mask = self.rng.random(self.n) < share
        if existed is not None:
            mask |= ~existed
        if mask.any():
            self.masks[name] = mask
        return values

    def same_as(self, first: str, name: str, values: np.ndarray, share: float) -> np.ndarray:
        """Blank ``name`` in the same rows as ``first`` (items known together, as from one expert panel)."""
        if first not in self.masks:
            self.masks[first] = self.rng.random(self.n) < share
        self.masks[name] = self.masks[first]
        return values

    def apply(self, frame: pl.DataFrame) -> pl.DataFrame:
        return frame.with_columns(
            pl.when(pl.Series(mask)).then(None).otherwise(pl.col(name)).alias(name) for name, mask in self.masks.items()
        )


def population(n: int, *, seed: int = 20251121, as_of: date, with_ids: bool = True) -> pl.DataFrame:
    """``n`` enterprises as a facts frame: three years of figures, staff, IP counts, some gaps in the data."""
    rng = np.random.default_rng(seed)
    age_days = rng.integers(120, 20 * 365, n)
    sales_3 = np.round(np.exp(rng.normal(17.2, 1.3, n))).astype(np.int64)  # median ≈ 3,000万
    growth = rng.normal(0.12, 0.2, (n, 2)).clip(-0.6, 1.5)
    sales_2 = np.round(sales_3 / (1 + growth[:, 1])).astype(np.int64)
    sales_1 = np.round(sales_2 / (1 + growth[:, 0])).astype(np.int64)
    rd_share = rng.gamma(2.0, 0.025, n).clip(0, 0.4)
    domestic = rng.uniform(0.5, 1.0, n)
    staff_total = np.round(np.exp(rng.normal(4.0, 1.0, n))).clip(3, 3000)
    st_share = rng.beta(2, 8, n)
    assets = np.round(sales_3 * rng.uniform(0.6, 2.5, n)).astype(np.int64)
    debt = rng.uniform(0.1, 0.95, n)
    registered = np.datetime64(as_of.isoformat(), "D") - age_days.astype("timedelta64[D]")
    registered_year = registered.astype("datetime64[Y]").astype(np.int64) + 1970
    gap = _Gaps(rng, n)
    columns: dict[str, object] = {
        "registered_on": registered,
        "region_code": rng.choice(JIANGMEN_REGIONS, n),
        "industry_code": rng.choice(INDUSTRIES, n),
        "hnte_domain": gap("hnte_domain", rng.integers(0, 9, n), 0.05),
        "is_strategic_emerging": rng.random(n) < 0.4,
        "tax_collection": np.where(rng.random(n) < 0.95, "actual", "deemed"),
        "is_sme": rng.random(n) < 0.9,
        "ip_class_1": rng.poisson(0.8, n),
        "ip_class_2": rng.poisson(4.0, n),
        "num_major_incidents_365d": (rng.random(n) < 0.01).astype(np.int64),
        "num_major_incidents_this_and_last_year": (rng.random(n) < 0.015).astype(np.int64),
        "num_major_incidents_3y": (rng.random(n) < 0.02).astype(np.int64),
        "is_on_abnormal_list": rng.random(n) < 0.02,
        "is_seriously_dishonest": rng.random(n) < 0.005,
        "has_research_misconduct": rng.random(n) < 0.002,
        "has_prohibited_products": rng.random(n) < 0.002,
        "has_tax_evasion_3y": rng.random(n) < 0.003,
        "has_certificate_record": np.ones(n, dtype=bool),
        "hnte_issued_on": gap(
            "hnte_issued_on",
            np.datetime64(as_of.isoformat(), "D") - rng.integers(30, 2000, n).astype("timedelta64[D]"),
            0.7,
        ),
        "num_awards_national_top3_5y": (rng.random(n) < 0.01).astype(np.int64),
        "num_awards_national_top3_3y": (rng.random(n) < 0.006).astype(np.int64),
        "num_awards_national_top5_3y": (rng.random(n) < 0.008).astype(np.int64),
        "num_awards_provincial_top3_3y": (rng.random(n) < 0.03).astype(np.int64),
        "num_awards_3y": (rng.random(n) < 0.05).astype(np.int64),
        "rd_institution_level": rng.choice([0, 0, 0, 1, 2, 3, 4], n),
        "num_standards_led_5y": rng.poisson(0.1, n),
        "num_standards_drafted": rng.poisson(0.2, n),
        "equity_financing_2y": np.where(rng.random(n) < 0.05, rng.integers(1, 100, n) * 1_000_000, 0),
        "equity_financing_3y": np.where(rng.random(n) < 0.07, rng.integers(1, 120, n) * 1_000_000, 0),
        "num_maker_china_top50_3y": np.zeros(n, dtype=np.int64),
        "num_maker_china_top500_3y": (rng.random(n) < 0.01).astype(np.int64),
        "niche_years": gap("niche_years", rng.integers(0, 15, n), 0.3),
        "market_share": gap("market_share", rng.beta(1, 12, n), 0.5),
        "digital_level_y3": gap("digital_level_y3", rng.integers(1, 5, n), 0.4),
        # about four in ten have been through an expert pre-assessment (专家预评): the judged items are known
        **{
            name: gap.same_as("ip_advancement", name, rng.integers(low, high + 1, n), 0.6)
            for name, low, high in (
                ("ip_advancement", 3, 8),
                ("ip_core_support", 3, 8),
                ("ip_acquisition", 2, 6),
                ("standard_bonus", 0, 2),
                ("conversion_score", 10, 28),
                ("rd_management_1", 3, 6),
                ("rd_management_2", 2, 6),
                ("rd_management_3", 1, 4),
                ("rd_management_4", 1, 4),
            )
        },
        "conversions_y1": rng.poisson(2.0, n),
        "conversions_y2": rng.poisson(2.5, n),
        "conversions_y3": gap("conversions_y3", rng.poisson(3.0, n), 0.1),
    }
    columns["ip_class_1_tsme"] = columns["ip_class_1"]
    columns["ip_class_1_self"] = np.minimum(columns["ip_class_1"], rng.poisson(0.6, n))  # type: ignore[call-overload]
    columns["ip_class_2_unused"] = np.minimum(columns["ip_class_2"], rng.poisson(3.0, n))  # type: ignore[call-overload]
    eligible = columns["ip_class_1"] + columns["ip_class_2_unused"]  # type: ignore[operator]
    columns["ip_core"] = np.minimum(eligible, rng.poisson(1.5, n))
    columns["ip_core_unknown"] = np.zeros(n, dtype=np.int64)
    columns["ip_self"] = np.minimum(eligible, rng.poisson(2.0, n))
    for name in ("ip_class_1_sme", "ip_class_1_sme_self", "ip_class_1_sme_benefit"):
        columns[name] = columns["ip_class_1_self"]
    columns["ip_class_1_sme_high_value"] = np.minimum(columns["ip_class_1"], rng.poisson(0.1, n))  # type: ignore[call-overload]
    columns["ip_class_2_sme"] = columns["ip_class_2"]
    for k, sales in ((1, sales_1), (2, sales_2), (3, sales_3)):
        existed = registered_year <= as_of.year - 4 + k
        rd = np.round(sales * rd_share * rng.uniform(0.8, 1.2, n)).astype(np.int64)
        yearly = {
            "sales_revenue": sales,
            "operating_revenue": sales,
            "main_business_revenue": np.round(sales * rng.uniform(0.5, 1.0, n)).astype(np.int64),
            "total_income": np.round(sales * rng.uniform(1.0, 1.1, n)).astype(np.int64),
            "non_taxable_income": np.round(sales * rng.uniform(0, 0.02, n)).astype(np.int64),
            "investment_income": np.round(sales * rng.uniform(-0.01, 0.03, n)).astype(np.int64),
            "rd_expense": rd,
            "rd_expense_domestic": np.round(rd * domestic).astype(np.int64),
            "rd_expense_tax": np.round(rd * rng.uniform(0.85, 1.0, n)).astype(np.int64),
            "cost_expense_total": np.round(sales * rng.uniform(0.7, 1.05, n)).astype(np.int64),
            "net_profit": np.round(sales * rng.normal(0.06, 0.08, n)).astype(np.int64),
            "total_assets": np.round(assets * (0.8 + 0.1 * k)).astype(np.int64),
            "total_liabilities": np.round(assets * (0.8 + 0.1 * k) * debt).astype(np.int64),
            "staff_total": np.round(staff_total * (0.85 + 0.05 * k)),
            "staff_st": np.round(staff_total * (0.85 + 0.05 * k) * st_share),
            "staff_rd": np.round(staff_total * (0.85 + 0.05 * k) * st_share * 0.8),
        }
        if k == 3:
            yearly["hightech_income"] = np.round(sales * rng.uniform(0.3, 1.0, n)).astype(np.int64)
        for base, values in yearly.items():
            share = 0.03 if base in ("sales_revenue", "rd_expense", "staff_st", "hightech_income") else 0.0
            columns[f"{base}_y{k}"] = gap(f"{base}_y{k}", values, share, existed)
    frame = gap.apply(pl.DataFrame(columns, strict=False))
    if with_ids:
        regions = frame["region_code"].to_list()
        frame = frame.with_columns(
            pl.Series("uscc", [uscc_for(r, i + 1000) for i, r in enumerate(regions)]),
            pl.Series("name", [f"江门示例{i:06d}科技有限公司" for i in range(n)]),
        )
    return conform(frame)


__all__ = ["CLASS_1", "population", "uscc_for"]
