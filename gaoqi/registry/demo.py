"""A generated city for the demo: Jiangmen's seven county-level divisions, enterprises across tiers, one user per role.

Nothing here is real data. Enterprises fall in three tiers — leaders (strong R&D, many patents, most of them HNTEs),
growing firms and small firms — so that a screening finds passes, failures and gaps in every program. The numbers
follow the ideas of :mod:`gaoqi.rules.synthetic`, but are written as registry rows (``bulk_create``, a few seconds
for 3,000 enterprises), so that every page, the API and ``facts_frame`` read them as they would real data.

Demo enterprises are recognisable by their codes: the serial part of every USCC starts with ``Y``
(:data:`DEMO_SERIAL`), so that ``--reset`` removes the demo and nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from functools import reduce
from operator import or_
from typing import Any

import numpy as np
from django.db import transaction
from django.db.models import Q

from gaoqi.accounts.models import Role, User
from gaoqi.core.services import audit_log_record
from gaoqi.registry.models import (
    Award,
    Certificate,
    Enterprise,
    EnterpriseRecord,
    EquityFinancing,
    Incident,
    IPItem,
    RDInstitution,
    ServiceAgency,
    Standard,
    YearlyFigures,
)
from gaoqi.rules import RD_BREAKDOWN, uscc_for

REGIONS: dict[str, tuple[str, float]] = {
    "440703": ("江门市蓬江区", 0.24),
    "440704": ("江门市江海区", 0.14),
    "440705": ("江门市新会区", 0.20),
    "440781": ("台山市", 0.10),
    "440783": ("开平市", 0.10),
    "440784": ("鹤山市", 0.13),
    "440785": ("恩平市", 0.09),
}
"""Code → (prefix of enterprise names, share of enterprises)."""

INDUSTRIES: tuple[tuple[str, str, int], ...] = (
    ("C3484", "精密机械", 8),
    ("C3825", "光伏设备", 6),
    ("C3989", "电子元件", 1),
    ("C2929", "新材料", 4),
    ("C3360", "表面处理", 7),
    ("C3874", "智能照明", 1),
    ("C2710", "生物医药", 2),
    ("C3823", "电机", 8),
    ("C3857", "厨卫电器", 8),
    ("C3670", "汽车零部件", 8),
    ("I6513", "软件", 1),
    ("I6510", "信息技术", 1),
    ("M7320", "检测技术", 5),
    ("C2641", "涂料", 4),
)
"""GB/T 4754-2017 class, the word it gives a name, and the HNTE priority domain (1–8) it usually falls in."""

TRADE_CHARS = "华恒达信科创泰宏鑫盛利源浩瑞丰联合力兴嘉新明远德和顺安正宝通佳俊誉龙"
SUFFIXES = ("有限公司", "有限公司", "有限公司", "股份有限公司", "科技有限公司")

TIERS = ("leader", "growing", "small")
TIER_SHARES = (0.18, 0.42, 0.40)

DEMO_SERIAL = 30 * 31**8
"""The first demo serial: base-31 ``Y00000000``; every demo code's serial part starts with ``Y``."""
PASSWORD = "Gaoqi-demo-2026"
"""The demo users' password, printed by ``manage.py demo_city`` (and so by ``make demo``)."""

AGENCIES = (("江门市科信知识产权代理有限公司", 0.06), ("广东粤创企业管理咨询有限公司", 0.04))


@dataclass(frozen=True)
class DemoUser:
    username: str
    role: Role
    scope: str


@dataclass
class DemoCity:
    """What :func:`demo_city_build` made (or found)."""

    enterprises: int
    created: bool
    users: list[DemoUser] = field(default_factory=list)
    seconds: float = 0.0


def demo_enterprises() -> Any:
    """The demo enterprises (codes with a serial starting with ``Y``), whatever size they were built with."""
    return Enterprise.objects.filter(reduce(or_, (Q(uscc__startswith=f"91{code}Y") for code in REGIONS)))


def demo_agencies() -> Any:
    return ServiceAgency.objects.filter(uscc__in=[uscc_for("440703", DEMO_SERIAL - 1 - i) for i in range(9)])


USERS: tuple[tuple[str, Role, str], ...] = (
    ("bureau", Role.BUREAU_OFFICER, "市局 王科长"),
    ("pengjiang", Role.DISTRICT_OFFICER, "蓬江区 李干事"),
    ("enterprise", Role.ENTERPRISE, "企业 陈经理"),
    ("agency", Role.AGENCY, "服务机构 张顾问"),
    ("mentor", Role.MENTOR, "挂点服务专员 刘老师"),
    ("auditor", Role.AUDITOR, "审计 赵审计"),
    ("admin", Role.ADMINISTRATOR, "系统管理员"),
)


@transaction.atomic
def demo_city_build(*, size: int = 3000, seed: int = 20251121, as_of: date, reset: bool = False) -> DemoCity:
    """Build the demo city once: enterprises with three fiscal years before ``as_of``'s year, and the demo users.

    Idempotent: when demo enterprises exist, they are kept (the users are made sure of); ``reset`` rebuilds them.
    """
    existing = demo_enterprises()
    if reset:
        User.objects.filter(username__in=[u for u, _, _ in USERS]).delete()
        existing.delete()
        demo_agencies().delete()
    created = not existing.exists()
    if created:
        _generate(size=size, seed=seed, as_of=as_of)
    users = _ensure_users()
    count = demo_enterprises().count()
    if created:
        audit_log_record(
            actor=None,
            action="demo.city_built",
            target_type="registry.enterprise",
            target_repr=f"演示城市：{count} 家企业",
            changes={"size": size, "seed": seed, "as_of": as_of.isoformat(), "reset": reset},
        )
    return DemoCity(enterprises=count, created=created, users=users)


# ---------------------------------------------------------------------------------------------------- users


def _ensure_users() -> list[DemoUser]:
    city = demo_enterprises()
    agency = demo_agencies().order_by("uscc").last()
    pengjiang = city.filter(region_code="440703")
    own = pengjiang.filter(certificates__program=Certificate.Program.HNTE).order_by("uscc").first() or city.first()
    made = []
    for username, role, full_name in USERS:
        scope: dict[str, Any] = {"region_code": "", "enterprise": None, "agency": None}
        label = "全市"
        if role == Role.DISTRICT_OFFICER:
            scope["region_code"], label = "440703", "蓬江区"
        elif role == Role.ENTERPRISE:
            scope["enterprise"], label = own, str(own)
        elif role == Role.AGENCY:
            scope["agency"], label = agency, f"{agency}（{agency.clients.count() if agency else 0} 家客户）"
        elif role == Role.AUDITOR:
            label = "审计日志"
        is_admin = role == Role.ADMINISTRATOR
        user, _ = User.objects.update_or_create(
            username=username,
            defaults={
                "role": role,
                "first_name": full_name,
                "is_staff": is_admin,
                "is_superuser": is_admin,
                "is_active": True,
                **scope,
            },
        )
        user.set_password(PASSWORD)
        user.save(update_fields=["password"])
        if role == Role.MENTOR:
            assigned = pengjiang.filter(record__niche_years__isnull=False).order_by("uscc")[:20]
            for enterprise in assigned:
                enterprise.mentors.add(user)
            label = f"{city.filter(mentors=user).count()} 家挂点企业"
        made.append(DemoUser(username, role, label))
    return made


# ---------------------------------------------------------------------------------------------------- generation


def _yuan(value: float) -> Decimal:
    return Decimal(int(np.rint(value)))


def _staff(value: float) -> Decimal:
    return Decimal(int(np.rint(value)))


def _names(rng: np.random.Generator, regions: np.ndarray, industries: np.ndarray) -> list[str]:
    seen: set[str] = set()
    names = []
    for region, industry in zip(regions, industries, strict=True):
        prefix, word = REGIONS[region][0], INDUSTRIES[industry][1]
        for attempt in range(50):
            trade = "".join(rng.choice(list(TRADE_CHARS), 2))
            if attempt > 20:
                trade += rng.choice(list(TRADE_CHARS))
            name = f"{prefix}{trade}{word}{SUFFIXES[rng.integers(len(SUFFIXES))]}"
            if name not in seen:
                break
        seen.add(name)
        names.append(name)
    return names


def _generate(*, size: int, seed: int, as_of: date) -> None:
    rng = np.random.default_rng(seed)
    n = size
    codes = list(REGIONS)
    regions = rng.choice(codes, n, p=np.array([REGIONS[c][1] for c in codes]))
    industries = rng.integers(0, len(INDUSTRIES), n)
    tier = rng.choice(len(TIERS), n, p=TIER_SHARES)  # 0 leader, 1 growing, 2 small
    leader, growing = tier == 0, tier == 1

    def pick(lead: np.ndarray, grow: np.ndarray, small: np.ndarray) -> np.ndarray:
        """Per enterprise, the value drawn for its tier."""
        return np.select([leader, growing], [lead, grow], small)

    age_days = pick(rng.integers(4 * 365, 20 * 365, n), rng.integers(400, 15 * 365, n), rng.integers(120, 10 * 365, n))
    sales_3 = np.exp(pick(rng.normal(18.2, 0.9, n), rng.normal(17.3, 1.0, n), rng.normal(15.8, 1.0, n)))
    growth = pick(rng.normal(0.2, 0.1, n), rng.normal(0.1, 0.18, n), rng.normal(0.03, 0.2, n)).clip(-0.5, 1.2)
    rd_share = pick(rng.uniform(0.055, 0.11, n), rng.gamma(2.0, 0.022, n), rng.gamma(1.5, 0.015, n)).clip(0, 0.4)
    domestic = pick(rng.uniform(0.85, 1.0, n), rng.uniform(0.5, 1.0, n), rng.uniform(0.5, 1.0, n))
    staff = np.exp(pick(rng.normal(4.8, 0.6, n), rng.normal(4.0, 0.8, n), rng.normal(3.0, 0.8, n))).clip(3, 3000)
    st_share = pick(rng.uniform(0.15, 0.4, n), rng.beta(2, 8, n), rng.beta(1.5, 10, n))
    hightech = pick(rng.uniform(0.65, 0.95, n), rng.uniform(0.3, 0.9, n), rng.uniform(0.0, 0.7, n))
    assets_3 = sales_3 * rng.uniform(0.6, 2.0, n)
    debt = rng.uniform(0.2, 0.8, n)
    breakdown = rng.random(n) < 0.3
    names = _names(rng, regions, industries)

    agencies = []
    for i, (name, _share) in enumerate(AGENCIES):
        agencies.append(ServiceAgency(uscc=uscc_for("440703", DEMO_SERIAL - 1 - i), name=name))
    ServiceAgency.objects.bulk_create(agencies)
    agency_of = rng.choice(len(AGENCIES) + 1, n, p=[*(s for _, s in AGENCIES), 1 - sum(s for _, s in AGENCIES)])

    enterprises = []
    for i in range(n):
        ind = INDUSTRIES[industries[i]]
        sales = float(sales_3[i])
        enterprises.append(
            Enterprise(
                uscc=uscc_for(str(regions[i]), DEMO_SERIAL + i),
                name=names[i],
                registered_on=as_of - timedelta(days=int(age_days[i])),
                region_code=str(regions[i]),
                industry_code=ind[0],
                hnte_domain=ind[2] if rng.random() < 0.95 else None,
                is_strategic_emerging=bool(rng.random() < (0.6 if leader[i] else 0.3)),
                tax_collection="actual" if rng.random() < 0.96 else "deemed",
                zones=["江门高新区"] if regions[i] == "440704" and rng.random() < 0.5 else [],
                is_sme=bool(sales < 4e8 and staff[i] < 1000),
                is_tech_innovation_demo=False,  # the demo city's officers know of no such title among them
                is_ip_advantage_or_demo=False,
                agency=agencies[agency_of[i]] if agency_of[i] < len(AGENCIES) else None,
            )
        )
    enterprises = Enterprise.objects.bulk_create(enterprises)

    figures, ip, certificates, records = [], [], [], []
    incidents, awards, institutions, standards, financing = [], [], [], [], []
    first_year = as_of.year - 3
    for i, e in enumerate(enterprises):
        assert e.registered_on is not None
        g = float(growth[i])
        for k in range(3):
            year = first_year + k
            if year < e.registered_on.year:
                continue
            back = (1 + g) ** (2 - k)
            sales = float(sales_3[i]) / back
            rd = sales * float(rd_share[i]) * rng.uniform(0.85, 1.15)
            people = float(staff[i]) * (0.85 + 0.05 * k)
            assets = float(assets_3[i]) / back
            row = YearlyFigures(
                enterprise=e,
                year=year,
                sales_revenue=_yuan(sales),
                operating_revenue=_yuan(sales * 1.02),
                main_business_revenue=_yuan(sales * rng.uniform(0.8, 1.0)),
                total_income=_yuan(sales * rng.uniform(1.02, 1.08)),
                non_taxable_income=_yuan(sales * rng.uniform(0, 0.01)),
                investment_income=_yuan(sales * rng.uniform(-0.005, 0.02)),
                hightech_income=_yuan(sales * hightech[i]) if (k == 2 or tier[i] != 2) else None,
                rd_expense_domestic=_yuan(rd * domestic[i]),
                rd_expense_tax=_yuan(rd * rng.uniform(0.85, 1.0)),
                cost_expense_total=_yuan(sales * rng.uniform(0.75, 1.0)),
                net_profit=_yuan(sales * rng.normal(0.07, 0.06)),
                total_assets=_yuan(assets),
                total_liabilities=_yuan(assets * debt[i]),
                net_assets=_yuan(assets * (1 - debt[i])),
                staff_total=_staff(people),
                staff_st=_staff(people * st_share[i]),
                staff_rd=_staff(people * st_share[i] * 0.8),
                conversions=int(rng.poisson((5.0, 2.0, 0.4)[tier[i]])),
                digital_level=int(rng.integers(1, 5)) if k == 2 and rng.random() < 0.7 else None,
            )
            if breakdown[i]:
                parts = rng.dirichlet([12, 5, 2, 1, 1, 1, 1, 1, 0.3, 1]) * rd
                for key, value in zip(RD_BREAKDOWN, parts, strict=True):
                    setattr(row, f"rd_{key}", _yuan(value))
                row.rd_expense_domestic = min(row.rd_expense_domestic, _yuan(rd))
            else:
                row.rd_expense = _yuan(rd)
            figures.append(row)
        ip.extend(_ip(rng, e, int(tier[i]), as_of))
        certificates.extend(_certificates(rng, e, int(tier[i]), as_of))
        records.append(_record(rng, e, int(tier[i])))
        if rng.random() < 0.01:
            incidents.append(
                Incident(
                    enterprise=e,
                    date=as_of - timedelta(days=int(rng.integers(30, 1000))),
                    kind=str(rng.choice(Incident.Kind.values)),
                )
            )
        if leader[i] and rng.random() < 0.08:
            level = Award.Level.NATIONAL if rng.random() < 0.15 else Award.Level.PROVINCIAL
            awards.append(
                Award(
                    enterprise=e,
                    level=level,
                    rank=int(rng.integers(1, 6)),
                    year=as_of.year - int(rng.integers(0, 4)),
                    name="科学技术进步奖",
                )
            )
        if tier[i] < 2 and rng.random() < (0.5 if leader[i] else 0.15):
            institutions.append(
                RDInstitution(
                    enterprise=e,
                    level=str(rng.choice(RDInstitution.Level.values, p=[0.03, 0.27, 0.5, 0.2])),
                    kind="engineering_centre",
                    name=f"{e.name[:-4]}工程技术研究中心",
                )
            )
        if leader[i] and rng.random() < 0.12:
            standards.append(
                Standard(
                    enterprise=e,
                    level=str(rng.choice(["national", "industry"])),
                    rank=int(rng.integers(1, 8)),
                    year=as_of.year - int(rng.integers(0, 5)),
                    name="精密零部件通用技术条件",
                )
            )
        if tier[i] < 2 and rng.random() < 0.06:
            financing.append(
                EquityFinancing(
                    enterprise=e,
                    date=as_of - timedelta(days=int(rng.integers(60, 1000))),
                    amount=Decimal(int(rng.integers(5, 120)) * 1_000_000),
                    investor="江门市创新创业投资基金",
                )
            )
    groups: list[tuple[Any, list[Any]]] = [
        (YearlyFigures, figures),
        (IPItem, ip),
        (Certificate, certificates),
        (EnterpriseRecord, records),
        (Incident, incidents),
        (Award, awards),
        (RDInstitution, institutions),
        (Standard, standards),
        (EquityFinancing, financing),
    ]
    for model, rows in groups:
        model.objects.bulk_create(rows, batch_size=500)


def _ip(rng: np.random.Generator, e: Enterprise, tier: int, as_of: date) -> list[IPItem]:
    """A few grouped IP items: self-developed and acquired invention patents, utility models, software."""
    mean = {"invention": (3.5, 0.8, 0.1), "transfer": (0.5, 0.2, 0.05), "utility": (8, 3, 0.8), "software": (3, 2, 0.8)}
    items: list[IPItem] = []

    def granted() -> date:
        return as_of - timedelta(days=int(rng.integers(60, 6 * 365)))

    def add(kind: str, count: int, **extra: Any) -> None:
        if count > 0:  # a group of like items, numbered as the enterprise's ledger would (the import keys on it)
            number = f"汇总-{len(items) + 1:02d}"
            items.append(IPItem(enterprise=e, kind=kind, count=count, number=number, **extra))

    core = rng.random() < (0.9, 0.7, 0.4)[tier]
    add(
        "invention_patent",
        int(rng.poisson(mean["invention"][tier])) + (tier == 0),
        granted_on=granted(),
        acquired="self",
        is_core_to_main_product=core,
        is_related_to_main_product=True,
        is_among_first_three_holders=True,
        is_high_value=bool(rng.random() < 0.3),
        has_economic_benefit=True,
        title="核心工艺发明专利",
    )
    add(
        "invention_patent",
        int(rng.poisson(mean["transfer"][tier])),
        granted_on=granted(),
        acquired="transfer",
        acquired_on=as_of - timedelta(days=int(rng.integers(30, 900))),
        is_core_to_main_product=core,
        is_related_to_main_product=True,
        title="受让发明专利",
    )
    add(
        "utility_model",
        int(rng.poisson(mean["utility"][tier])),
        granted_on=granted(),
        acquired="self",
        is_core_to_main_product=core,
        is_related_to_main_product=True,
        is_used_in_hnte=bool(rng.random() < 0.3),
        title="结构改进实用新型",
    )
    add(
        "software_copyright",
        int(rng.poisson(mean["software"][tier])),
        granted_on=granted(),
        acquired="self",
        is_core_to_main_product=bool(rng.random() < 0.5),
        is_related_to_main_product=True,
        title="生产管理软件V1.0",
    )
    return items


def _plus_years(on: date, years: int) -> date:
    try:
        return on.replace(year=on.year + years)
    except ValueError:  # 29 February
        return on.replace(year=on.year + years, day=28)


def _certificates(rng: np.random.Generator, e: Enterprise, tier: int, as_of: date) -> list[Certificate]:
    """Valid HNTEs for about one in six, tech SMEs, some innovative and SRDI SMEs, a few little giants."""
    made = []

    def add(program: str, days_ago: int, years: int, serial: str) -> None:
        issued = as_of - timedelta(days=days_ago)
        expires = _plus_years(issued, years) - timedelta(days=1)
        made.append(
            Certificate(
                enterprise=e,
                program=program,
                issued_on=issued,
                expires_on=expires,
                number=f"{serial}{issued.year}{e.uscc[-6:]}",
            )
        )

    r = rng.random()
    if r < (0.62, 0.12, 0.01)[tier]:
        add("hnte", int(rng.integers(20, 1090)), 3, "GR")
    elif r < (0.75, 0.2, 0.02)[tier]:
        add("hnte", int(rng.integers(1100, 2000)), 3, "GR")  # expired: up for re-recognition
    if rng.random() < (0.45, 0.4, 0.1)[tier]:
        add("tsme", int(rng.integers(10, 300)), 1, "TSME")
    if rng.random() < (0.55, 0.2, 0.02)[tier]:
        add("innovative_sme", int(rng.integers(30, 900)), 3, "CX")
        if rng.random() < (0.45, 0.1, 0.0)[tier]:
            add("srdi_sme", int(rng.integers(30, 900)), 3, "ZJTX")
            if rng.random() < (0.12, 0.0, 0.0)[tier]:
                add("little_giant", int(rng.integers(30, 900)), 3, "XJR")
    return made


def _record(rng: np.random.Generator, e: Enterprise, tier: int) -> EnterpriseRecord:
    """The lists declared, the credit records, and for some an expert pre-assessment (专家预评) and SRDI review."""
    known = rng.random() < 0.9
    record = EnterpriseRecord(
        enterprise=e,
        has_ip_record=True,
        has_certificate_record=True,
        has_incident_record=known,
        has_award_record=known,
        has_rd_institution_record=known,
        has_standard_record=known,
        has_equity_financing_record=known,
    )
    if known:
        record.is_on_abnormal_list = bool(rng.random() < 0.02)
        record.is_seriously_dishonest = bool(rng.random() < 0.004)
        record.has_research_misconduct = False
        record.has_prohibited_products = bool(rng.random() < 0.002)
        record.has_tax_evasion_3y = bool(rng.random() < 0.003)
    if rng.random() < (0.85, 0.4, 0.05)[tier]:
        high = tier == 0
        record.ip_advancement = int(rng.integers(6, 9) if high else rng.integers(3, 8))
        record.ip_core_support = int(rng.integers(6, 9) if high else rng.integers(3, 8))
        record.ip_acquisition = int(rng.integers(5, 7) if high else rng.integers(2, 6))
        record.standard_bonus = int(rng.integers(0, 3))
        record.conversion_score = int(rng.integers(23, 31) if high else rng.integers(10, 25))
        record.rd_management_1 = int(rng.integers(5, 7) if high else rng.integers(3, 6))
        record.rd_management_2 = int(rng.integers(5, 7) if high else rng.integers(2, 6))
        record.rd_management_3 = int(rng.integers(3, 5) if high else rng.integers(1, 4))
        record.rd_management_4 = int(rng.integers(3, 5) if high else rng.integers(1, 4))
    if rng.random() < (0.75, 0.35, 0.05)[tier]:
        high = tier == 0
        record.niche_years = int(rng.integers(3, 20) if high else rng.integers(1, 10))
        record.market_share = Decimal(str(round(float(rng.beta(2, 8) if high else rng.beta(1, 15)), 4)))
        record.market_rank = int(rng.integers(1, 30)) if high else None
        record.chain_field = str(rng.choice(["gap_filling", "six_bases", "key_field", "other"]))
        record.is_time_honoured_brand = record.is_chain_leader_supplier = False
        record.has_information_system = bool(rng.random() < (0.95 if high else 0.7))
        record.has_certification = bool(rng.random() < (0.9 if high else 0.6))
        record.has_own_brand = bool(rng.random() < (0.9 if high else 0.5))
        record.has_quality_award = bool(rng.random() < (0.2 if high else 0.03))
        record.local_score = int(rng.integers(8, 16) if high else rng.integers(2, 12))
        record.platform_score = Decimal(str(round(float(rng.uniform(65, 95) if high else rng.uniform(40, 80)), 2)))
    return record
