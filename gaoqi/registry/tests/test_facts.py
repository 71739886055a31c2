"""The registry's facts: one selector for any set of enterprises gives exactly what each enterprise's facts.md
document gives when the rules read it, and scope still holds."""

from __future__ import annotations

import random
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError

import gaoqi.rules
from gaoqi.accounts.models import User
from gaoqi.registry.facts import enterprise_document, facts_frame
from gaoqi.registry.models import (
    Award,
    Certificate,
    Enterprise,
    EnterpriseRecord,
    EquityFinancing,
    Incident,
    IPItem,
    RDInstitution,
    Standard,
    YearlyFigures,
)
from gaoqi.registry.selectors import enterprises_visible_to
from gaoqi.rules import IP_FLAGS
from gaoqi.rules.facts import RD_BREAKDOWN
from gaoqi.rules.ingest import read_document
from gaoqi.rules.synthetic import uscc_for

AS_OF = date(2025, 6, 30)
RECORDS = ("ip", "certificate", "incident", "award", "rd_institution", "standard", "equity_financing")


def _enterprise(serial: int, **fields: Any) -> Enterprise:
    fields.setdefault("region_code", "440703")
    return Enterprise.objects.create(uscc=uscc_for(fields["region_code"], serial), name=f"企业{serial}", **fields)


def _years(enterprise: Enterprise, figures: dict[int, dict[str, Any]]) -> None:
    for year, values in figures.items():
        YearlyFigures.objects.create(enterprise=enterprise, year=year, **values)


def _rich(serial: int) -> Enterprise:
    """Every group filled, with cents to round, items after the evaluation date, and every kind of IP."""
    e = _enterprise(
        serial, registered_on=date(2015, 3, 1), industry_code="C3989", hnte_domain=3, is_strategic_emerging=True,
        tax_collection="actual", zones=["talent_island"], is_sme=True,
    )  # fmt: skip
    _years(
        e,
        {
            2021: {"sales_revenue": Decimal("1")},  # before the three years: not read
            2022: {"sales_revenue": Decimal("30000000.49"), "rd_expense": Decimal("1500000"),
                   "rd_expense_domestic": Decimal("1500000"), "net_profit": Decimal("-1234.50"),
                   "staff_total": Decimal("100.50"), "staff_st": Decimal("12.25"), "conversions": 3},
            2023: {"sales_revenue": Decimal("42000000"), "rd_personnel": Decimal("1000000.50"),
                   "rd_direct": Decimal("500000"), "rd_entrusted_overseas": Decimal("10000"),
                   "rd_entrusted_overseas_individuals": Decimal("2500.50"),
                   "rd_expense_tax": Decimal("1400000"), "total_assets": Decimal("9000000"), "digital_level": 2},
            2024: {"sales_revenue": Decimal("50000000.50"), "operating_revenue": Decimal("51000000"),
                   "main_business_revenue": Decimal("49000000"), "total_income": Decimal("52000000"),
                   "non_taxable_income": Decimal("100000"), "investment_income": Decimal("-50000"),
                   "hightech_income": Decimal("40000000"), "rd_expense": Decimal("2600000"),
                   "cost_expense_total": Decimal("45000000"), "net_assets": Decimal("20000000"),
                   "total_liabilities": Decimal("5000000"), "staff_total": Decimal("120"),
                   "staff_st": Decimal("15"), "staff_rd": Decimal("10.5"), "rd_intangible_amortisation": Decimal("1")},
            2025: {"sales_revenue": Decimal("99")},  # the application year: not read
        },
    )  # fmt: skip
    kinds = [k for k, _ in IPItem.Kind.choices]
    for i, kind in enumerate(kinds):
        IPItem.objects.create(
            enterprise=e, kind=kind, count=1 + i % 3, granted_on=date(2018 + i % 7, 5, 1), acquired="self",
            is_core_to_main_product=i % 2 == 0, is_high_value=i % 3 == 0, is_used_in_hnte=i % 4 == 0,
            has_economic_benefit=True, number=f"ZL{i}", title=f"专利{i}",
        )  # fmt: skip
    transfers = [date(2025, 1, 10), date(2023, 2, 1), date(2024, 6, 30)]  # within a year, long ago, exactly a year
    for on in transfers:
        IPItem.objects.create(enterprise=e, kind="invention_patent", granted_on=date(2020, 1, 1), acquired="transfer",
                              acquired_on=on, is_core_to_main_product=True, has_economic_benefit=True)  # fmt: skip
    IPItem.objects.create(enterprise=e, kind="invention_patent", acquired="gift", acquired_on=date(2021, 1, 1))
    IPItem.objects.create(enterprise=e, kind="utility_model", granted_on=date(2023, 6, 30), acquired="merger")
    IPItem.objects.create(enterprise=e, kind="invention_patent", granted_on=date(2025, 8, 1))  # granted later
    IPItem.objects.create(enterprise=e, kind="invention_patent", acquired="transfer", acquired_on=date(2025, 7, 1))
    IPItem.objects.filter(enterprise=e).update(is_related_to_main_product=True)
    for program, on in [("hnte", date(2019, 12, 2)), ("hnte", date(2022, 12, 22)), ("srdi_sme", date(2024, 1, 5)),
                        ("little_giant", date(2025, 9, 1))]:  # fmt: skip
        Certificate.objects.create(enterprise=e, program=program, issued_on=on, number=f"GR{on:%Y}")
    for on in (date(2025, 3, 1), date(2024, 6, 30), date(2023, 1, 1), date(2022, 7, 1), date(2020, 1, 1),
               date(2025, 7, 1)):  # fmt: skip
        Incident.objects.create(enterprise=e, date=on, kind="safety")
    for level, rank, year in [("national", 2, 2023), ("provincial", 1, 2024), ("national", 4, 2021),
                              ("national", None, 2024), ("provincial", 3, 2026), ("national", 1, None)]:  # fmt: skip
        Award.objects.create(enterprise=e, level=level, rank=rank, year=year, name="科技进步奖")
    for level, rank, year in [("international", 1, 2021), ("industry", 7, 2024), ("national", None, None),
                              ("national", 2, 2026)]:  # fmt: skip
        Standard.objects.create(enterprise=e, level=level, rank=rank, year=year)
    RDInstitution.objects.create(enterprise=e, level="municipal", kind="engineering_centre")
    RDInstitution.objects.create(enterprise=e, level="provincial", name="省级工程技术研究中心")
    for on, amount in [(date(2024, 3, 1), "8000000.50"), (date(2023, 1, 1), "1000000"), (date(2022, 1, 1), "5"),
                       (date(2025, 12, 1), "7")]:  # fmt: skip
        EquityFinancing.objects.create(enterprise=e, date=on, amount=Decimal(amount), investor="基金")
    EnterpriseRecord.objects.create(
        enterprise=e, is_on_abnormal_list=False, has_tax_evasion_3y=False, ip_advancement=6, conversion_score=24,
        rd_management_1=5, rd_management_3=3, expert_scores=[70, 82], niche_years=5, market_share=Decimal("0.1234"),
        market_rank=2, chain_field="six_bases", has_own_brand=True, local_score=10, platform_score=Decimal("88.5"),
    )  # fmt: skip
    return e


def _unknowns(serial: int) -> Enterprise:
    """IP whose counts cannot be known: a transfer without its date, a design without its grant, no acquisition."""
    e = _enterprise(serial, registered_on=date(2023, 5, 1), hnte_domain=0, is_mainland_resident=False)
    _years(e, {2022: {"sales_revenue": Decimal("5")}, 2024: {"sales_revenue": Decimal("2000000")}})
    IPItem.objects.create(enterprise=e, kind="invention_patent", acquired="transfer", granted_on=date(2020, 1, 1))
    IPItem.objects.create(enterprise=e, kind="design_patent", acquired="self")
    IPItem.objects.create(enterprise=e, kind="software_copyright", count=4)
    EnterpriseRecord.objects.create(enterprise=e, rd_management_2=4, expert_scores=[70, None])
    return e


def _declared_empty(serial: int) -> Enterprise:
    """Every list declared complete and empty — or holding only what happens after the evaluation date."""
    e = _enterprise(serial, registered_on=date(2010, 1, 1), region_code="440705")
    EnterpriseRecord.objects.create(enterprise=e, **{f"has_{r}_record": True for r in RECORDS}, expert_scores=[])
    Certificate.objects.create(enterprise=e, program="hnte", issued_on=date(2025, 12, 1))
    return e


def _later_only(serial: int) -> Enterprise:
    """Lists holding only what happens after the evaluation date, without a record: given, and counting nothing."""
    e = _enterprise(serial, registered_on=date(2025, 1, 1), region_code="440705")
    Incident.objects.create(enterprise=e, date=date(2025, 7, 1), kind="quality")
    Certificate.objects.create(enterprise=e, program="tsme", issued_on=date(2025, 12, 1))
    IPItem.objects.create(enterprise=e, kind="invention_patent", granted_on=date(2026, 1, 1))
    return e


@pytest.fixture
def population(db: None) -> dict[str, Enterprise]:
    return {
        "rich": _rich(11),
        "unknowns": _unknowns(12),
        "declared_empty": _declared_empty(13),
        "later_only": _later_only(14),
        "bare": _enterprise(15),  # nothing known beyond the name
    }


def _rows_by_id(enterprises: Any, as_of: date) -> dict[int, dict[str, Any]]:
    frame = facts_frame(enterprises, as_of=as_of)
    return {row.pop("enterprise_id"): row for row in frame.to_dicts()}


def _document_row(enterprise: Enterprise, as_of: date) -> dict[str, Any]:
    return read_document(enterprise_document(enterprise, as_of=as_of)).facts.row(0, named=True)


@pytest.mark.parametrize("as_of", [AS_OF, date(2024, 2, 29), date(2026, 1, 1)], ids=str)
def test_the_frame_holds_exactly_the_facts_of_each_document(population: dict[str, Enterprise], as_of: date) -> None:
    rows = _rows_by_id(Enterprise.objects.all(), as_of)
    assert set(rows) == {e.pk for e in population.values()}
    for name, enterprise in population.items():
        if enterprise.registered_on is not None and enterprise.registered_on > as_of:
            # not yet established: no document on that date, but the frame keeps the enterprise and its date
            assert rows[enterprise.pk]["registered_on"] == enterprise.registered_on
            continue
        expected = _document_row(enterprise, as_of)
        differing = {k: (rows[enterprise.pk][k], v) for k, v in expected.items() if rows[enterprise.pk][k] != v}
        assert not differing, (name, differing)


def test_one_enterprise_is_a_frame_of_one_row(population: dict[str, Enterprise]) -> None:
    rich = population["rich"]
    rows = _rows_by_id(Enterprise.objects.filter(pk=rich.pk), AS_OF)
    assert list(rows) == [rich.pk]
    assert rows[rich.pk] == _rows_by_id(Enterprise.objects.all(), AS_OF)[rich.pk]


def test_amounts_are_whole_yuan_rounded_half_up(population: dict[str, Enterprise]) -> None:
    row = _rows_by_id(Enterprise.objects.all(), AS_OF)[population["rich"].pk]
    assert (row["sales_revenue_y1"], row["sales_revenue_y3"]) == (30_000_000, 50_000_001)
    assert row["net_profit_y1"] == -1235  # ties away from zero
    assert row["rd_personnel_y2"] == 1_000_001
    assert row["equity_financing_2y"] == 8_000_001
    assert enterprise_document(population["rich"], as_of=AS_OF)["years"]["2024"]["sales_revenue"] == "50000001"


def test_only_the_three_years_since_establishment_are_read(population: dict[str, Enterprise]) -> None:
    row = _rows_by_id(Enterprise.objects.all(), AS_OF)[population["unknowns"].pk]
    # registered in 2023: its 2022 figures are dropped, not read as the oldest year
    assert (row["sales_revenue_y1"], row["sales_revenue_y2"], row["sales_revenue_y3"]) == (None, None, 2_000_000)
    assert "2022" not in enterprise_document(population["unknowns"], as_of=AS_OF)["years"]


def test_a_breakdown_gives_all_ten_items_and_replaces_the_total(population: dict[str, Enterprise]) -> None:
    row = _rows_by_id(Enterprise.objects.all(), AS_OF)[population["rich"].pk]
    assert (row["rd_expense_y2"], row["rd_direct_y2"], row["rd_design_y2"]) == (None, 500_000, 0)
    assert (row["rd_expense_y1"], row["rd_design_y1"]) == (1_500_000, None)


def test_lists_not_given_are_unknown_and_declared_empty_lists_count_zero(population: dict[str, Enterprise]) -> None:
    rows = _rows_by_id(Enterprise.objects.all(), AS_OF)
    bare, empty, later = (rows[population[n].pk] for n in ("bare", "declared_empty", "later_only"))
    for name in ("ip_class_1", "num_major_incidents_365d", "num_awards_3y", "rd_institution_level",
                 "num_standards_drafted", "equity_financing_3y", "has_certificate_record"):  # fmt: skip
        assert bare[name] is None, name
        assert empty[name] is not None, name
    assert (empty["ip_class_1"], empty["rd_institution_level"], empty["equity_financing_3y"]) == (0, 0, 0)
    assert (empty["has_certificate_record"], empty["hnte_issued_on"]) == (True, None)
    assert (later["ip_class_1"], later["num_major_incidents_3y"], later["tsme_issued_on"]) == (0, 0, None)
    assert later["num_awards_3y"] is None  # no awards and none declared


def test_ip_counts_follow_transfer_dates_and_stay_unknown_when_they_cannot_be_known(
    population: dict[str, Enterprise],
) -> None:
    rows = _rows_by_id(Enterprise.objects.all(), AS_OF)
    rich, unknowns = rows[population["rich"].pk], rows[population["unknowns"].pk]
    # the transfer of 2025-01-10 is less than a year old on 2025-06-30: not counted by the quality-SME tiers
    assert rich["ip_class_1"] - rich["ip_class_1_sme"] == 1
    assert unknowns["ip_class_1_sme"] is None  # a transfer without its date
    assert unknowns["ip_class_2_sme"] is None  # a design patent without its grant date
    assert unknowns["ip_class_1"] == 1 and unknowns["ip_class_2"] == 5


def test_incidents_awards_and_certificates_are_counted_in_their_windows(population: dict[str, Enterprise]) -> None:
    row = _rows_by_id(Enterprise.objects.all(), AS_OF)[population["rich"].pk]
    # 2025-03-01 only: 2024-06-30 is exactly 365 days before, outside "the 365 days before"
    assert (row["num_major_incidents_365d"], row["num_major_incidents_this_and_last_year"]) == (1, 2)
    assert row["num_major_incidents_3y"] == 4
    assert (row["num_awards_national_top3_5y"], row["num_awards_national_top5_3y"], row["num_awards_3y"]) == (1, 1, 3)
    assert (row["hnte_issued_on"], row["little_giant_issued_on"]) == (date(2022, 12, 22), None)
    assert (row["expert_score_sum"], row["expert_score_count"], row["market_share"]) == (152, 2, 0.1234)


def test_facts_of_a_scoped_set_hold_only_that_users_enterprises(
    users: dict[str, User], city: dict[str, Enterprise]
) -> None:
    _years(city["c"], {2024: {"sales_revenue": Decimal("1000000")}})
    scopes = {"district_officer": {"a", "b"}, "enterprise": {"c"}, "agency": {"a"}, "mentor": {"b"}, "auditor": set()}
    for role, names in scopes.items():
        frame = facts_frame(enterprises_visible_to(users[role]), as_of=AS_OF)
        assert set(frame["uscc"]) == {city[n].uscc for n in names}, role


def test_the_rules_evaluate_the_frame(population: dict[str, Enterprise]) -> None:
    facts = facts_frame(Enterprise.objects.all(), as_of=AS_OF)
    results = gaoqi.rules.evaluate(facts, as_of=AS_OF)
    outcomes = dict(zip(results.frame["uscc"], results.frame["hnte.registered_365_days.passed"], strict=True))
    assert outcomes[population["rich"].uscc] is True
    assert outcomes[population["later_only"].uscc] is False  # established on 2025-01-01
    assert outcomes[population["bare"].uscc] is None


def test_a_year_takes_the_rd_total_or_its_breakdown_not_both(city: dict[str, Enterprise]) -> None:
    figures = YearlyFigures(enterprise=city["a"], year=2024, rd_expense=Decimal("100"), rd_personnel=Decimal("60"))
    with pytest.raises(ValidationError, match="只能二选一"):
        figures.full_clean()
    figures.rd_expense = None
    figures.full_clean()


def test_a_part_may_not_exceed_its_whole(city: dict[str, Enterprise]) -> None:
    figures = YearlyFigures(enterprise=city["a"], year=2024, staff_total=Decimal("10"), staff_st=Decimal("11"))
    with pytest.raises(ValidationError, match="科技人员数不能超过职工总数"):
        figures.full_clean()


@pytest.mark.parametrize("overseas", [Decimal("99.99"), None], ids=["below the part", "not given"])
def test_rd_entrusted_to_overseas_individuals_is_part_of_the_overseas_item(
    overseas: Decimal | None, city: dict[str, Enterprise]
) -> None:
    figures = YearlyFigures(
        enterprise=city["a"],
        year=2024,
        rd_personnel=Decimal("1000"),
        rd_entrusted_overseas=overseas,
        rd_entrusted_overseas_individuals=Decimal("100"),
    )
    with pytest.raises(ValidationError, match="委托境外个人研发费用不能超过委托境外研发费用"):
        figures.full_clean()
    figures.rd_entrusted_overseas = Decimal("100")
    figures.full_clean()


@pytest.mark.parametrize("scores", [[70, 80.5], [101], "80", [True]], ids=str)
def test_expert_scores_are_whole_points(scores: Any, city: dict[str, Enterprise]) -> None:
    with pytest.raises(ValidationError, match="专家评分"):
        EnterpriseRecord(enterprise=city["a"], expert_scores=scores).full_clean()


def test_a_slice_of_enterprises_is_a_set_like_any_other(population: dict[str, Enterprise]) -> None:
    first_two = Enterprise.objects.order_by("pk")[:2]
    assert facts_frame(first_two, as_of=AS_OF)["enterprise_id"].to_list() == sorted(e.pk for e in first_two)


def _maybe(rng: random.Random, value: Any, p: float = 0.6) -> Any:
    return value if rng.random() < p else None


def _random_enterprise(rng: random.Random, serial: int) -> Enterprise:
    """An enterprise with any mix of known and unknown facts that a valid document can hold."""
    e = _enterprise(
        serial,
        registered_on=_maybe(rng, date(rng.randint(2015, 2024), rng.randint(1, 12), rng.randint(1, 28)), 0.9),
        hnte_domain=_maybe(rng, rng.randint(0, 8)),
        is_sme=_maybe(rng, rng.random() < 0.5),
        zones=rng.choice([[], ["talent_island"]]),
    )
    cents = lambda low, high: Decimal(rng.randint(low * 100, high * 100)) / 100  # noqa: E731
    for year in range(2020, 2026):
        if rng.random() < 0.3:
            continue
        total, operating, income = cents(0, 10**8), cents(0, 10**8), cents(0, 10**8)
        values = {
            "sales_revenue": _maybe(rng, cents(0, 10**8)),
            "operating_revenue": operating,
            "main_business_revenue": _maybe(rng, round(operating * Decimal("0.9"), 2)),
            "total_income": income,
            "non_taxable_income": _maybe(rng, round(income / 10, 2)),
            "hightech_income": _maybe(rng, round(income / 2, 2)),
            "net_profit": _maybe(rng, cents(-(10**6), 10**6)),
            "staff_total": _maybe(rng, round(total / 10**6, 2)),
            "conversions": _maybe(rng, rng.randint(0, 9)),
            "digital_level": _maybe(rng, rng.randint(1, 4)),
        }
        if rng.random() < 0.5:
            values |= {"rd_expense": cents(0, 10**6), "rd_expense_domestic": Decimal(0)}
        else:
            values |= {f"rd_{key}": _maybe(rng, cents(0, 10**5), 0.3) for key in RD_BREAKDOWN}
            overseas = values["rd_entrusted_overseas"] or Decimal(0)  # an item a breakdown does not give is none
            values["rd_entrusted_overseas_individuals"] = _maybe(rng, round(overseas * Decimal(rng.random()), 2))
        YearlyFigures.objects.create(enterprise=e, year=year, **values)
    for _ in range(rng.randint(0, 6)):
        IPItem.objects.create(
            enterprise=e,
            kind=rng.choice(IPItem.Kind.values),
            count=rng.randint(1, 3),
            granted_on=_maybe(rng, date(rng.randint(2018, 2026), rng.randint(1, 12), 1), 0.8),
            acquired=rng.choice(["", *IPItem.Acquired.values]),
            acquired_on=_maybe(rng, date(rng.randint(2022, 2025), rng.randint(1, 12), 15), 0.5),
            **{flag: _maybe(rng, rng.random() < 0.5) for flag in IP_FLAGS},
        )
    for _ in range(rng.randint(0, 2)):
        Incident.objects.create(enterprise=e, date=date(rng.randint(2020, 2025), rng.randint(1, 12), 1), kind="safety")
    for _ in range(rng.randint(0, 2)):
        Award.objects.create(enterprise=e, level=rng.choice(Award.Level.values), rank=_maybe(rng, rng.randint(1, 6)),
                             year=_maybe(rng, rng.randint(2019, 2025)),
                             kind=rng.choice(["", *Award.Kind.values]))  # fmt: skip
    if rng.random() < 0.5:
        EnterpriseRecord.objects.create(
            enterprise=e,
            **{f"has_{r}_record": rng.random() < 0.5 for r in RECORDS},
            is_seriously_dishonest=_maybe(rng, rng.random() < 0.1),
            ip_core_support=_maybe(rng, rng.randint(0, 8)),
            expert_scores=_maybe(rng, [rng.randint(50, 90) for _ in range(rng.randint(0, 3))]),
        )
    return e


def test_random_enterprises_have_the_facts_of_their_documents(db: None) -> None:
    rng = random.Random(20250630)
    enterprises = [_random_enterprise(rng, serial) for serial in range(100, 160)]
    for as_of in (date(2025, 6, 30), date(2025, 1, 1)):
        rows = _rows_by_id(Enterprise.objects.all(), as_of)
        for enterprise in enterprises:
            if enterprise.registered_on is not None and enterprise.registered_on > as_of:
                continue
            expected = _document_row(enterprise, as_of)
            differing = {k: (rows[enterprise.pk][k], v) for k, v in expected.items() if rows[enterprise.pk][k] != v}
            assert not differing, (enterprise.pk, as_of, differing)


def test_the_number_of_queries_does_not_grow_with_the_enterprises(
    population: dict[str, Enterprise], django_assert_num_queries: Any
) -> None:
    with django_assert_num_queries(10):  # one per table
        facts_frame(Enterprise.objects.filter(pk=population["rich"].pk), as_of=AS_OF)
    rng = random.Random(1)
    for serial in range(200, 230):
        _random_enterprise(rng, serial)
    with django_assert_num_queries(10):
        assert facts_frame(Enterprise.objects.all(), as_of=AS_OF).height == 35
