"""Reads of the registry. Every list of enterprises starts from :func:`enterprises_visible_to`: scope is enforced
here, on the server, once — views and API endpoints never filter by role themselves."""

from __future__ import annotations

import operator
from collections.abc import Iterable
from datetime import date, timedelta
from functools import reduce
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import Exists, OuterRef, Q, QuerySet

from gaoqi.accounts.models import Role, User
from gaoqi.registry.models import Certificate, Enterprise, YearlyFigures
from gaoqi.rules import ParameterError, first_valid_issue, load_parameters


def enterprises_visible_to(user: User | AnonymousUser) -> QuerySet[Enterprise]:
    """The enterprises a user may see: the city, a district, one enterprise, an agency's clients, a mentor's."""
    enterprises = Enterprise.objects.all()
    if isinstance(user, AnonymousUser) or not user.is_active:
        return enterprises.none()
    role = user.role
    if role in (Role.BUREAU_OFFICER, Role.ADMINISTRATOR):
        return enterprises
    if role == Role.DISTRICT_OFFICER:
        return enterprises.filter(region_code=user.region_code) if user.region_code else enterprises.none()
    if role == Role.ENTERPRISE:
        return enterprises.filter(pk=user.enterprise_id) if user.enterprise_id else enterprises.none()
    if role == Role.AGENCY:
        return enterprises.filter(agency_id=user.agency_id) if user.agency_id else enterprises.none()
    if role == Role.MENTOR:
        return enterprises.filter(mentors=user)
    return enterprises.none()  # auditors read the audit log, not the registry


P = Certificate.Program
TIERS = (
    # (tier, label, programs held, programs above it on the same ladder, which must not be held)
    ("none", "尚无有效资质", (), tuple(P)),
    ("tsme", "科技型中小企业（尚未认定高企）", (P.TSME,), (P.HNTE,)),
    ("hnte", "高新技术企业", (P.HNTE,), ()),
    ("innovative_sme", "创新型中小企业（尚非专精特新）", (P.INNOVATIVE_SME,), (P.SRDI_SME, P.LITTLE_GIANT)),
    ("srdi_sme", "专精特新中小企业（尚非“小巨人”）", (P.SRDI_SME,), (P.LITTLE_GIANT,)),
    ("little_giant", "专精特新“小巨人”企业", (P.LITTLE_GIANT,), ()),
)
"""The step an enterprise stands on in tiered cultivation (梯度培育), by its valid certificates: the highest held on
each ladder — tech SME → HNTE, and innovative SME → SRDI SME → little giant — or none at all."""


def validity_years(program: str, on: date) -> int:
    """How many years a certificate of ``program`` is valid from its issue date, from the rules' parameters.

    HNTE certificates: three years (国科发火〔2016〕32号 第十五条); innovative / SRDI / little-giant titles: three
    years; a tech-SME database entry: one year (入库按年度评价; before that parameter takes effect, also one year).
    """
    parameters = load_parameters().at(on)
    if program == Certificate.Program.HNTE:
        return int(parameters.hnte.validity_years)
    if program == Certificate.Program.TSME:
        try:
            return int(parameters.quality_sme.tsme_validity_years)
        except ParameterError:
            return 1
    return int(parameters.quality_sme.title_validity_years)


def certificate_valid_until(certificate: Certificate, on: date) -> date:
    """The last day a certificate is valid: its stated expiry, else the day before the anniversary of issue."""
    if certificate.expires_on is not None:
        return certificate.expires_on
    years = validity_years(certificate.program, on)
    issued = certificate.issued_on
    try:
        anniversary = issued.replace(year=issued.year + years)
    except ValueError:  # 29 February
        anniversary = issued.replace(year=issued.year + years, day=28) + timedelta(days=1)
    return anniversary - timedelta(days=1)


def valid_certificate(program: str, on: date) -> Q:
    """The condition on a certificate of ``program`` valid on ``on``: issued by then, and not past its stated or
    default expiry. A condition rather than a queryset, so that several programs can be read in one query."""
    stated = Q(expires_on__isnull=False, expires_on__gte=on)
    default = Q(expires_on__isnull=True, issued_on__gte=first_valid_issue(on, validity_years(program, on)))
    return Q(program=program, issued_on__lte=on) & (stated | default)


def valid_certificates(program: str, on: date) -> QuerySet[Certificate]:
    """Certificates of ``program`` valid on ``on``."""
    return Certificate.objects.filter(valid_certificate(program, on))


def valid_programs_by_enterprise(enterprises: Iterable[int] | QuerySet[Enterprise], on: date) -> dict[int, set[str]]:
    """``{enterprise id: programs of the certificates valid on ``on``}`` for ``enterprises`` (ids or a queryset).

    One query for every program: each program's validity is its own condition, joined by OR (a page of the list
    read five queries before). An enterprise holding none is absent.
    """
    among: Any = enterprises.order_by().values("pk") if isinstance(enterprises, QuerySet) else list(enterprises)
    valid = reduce(operator.or_, (valid_certificate(program, on) for program in Certificate.Program.values))
    pairs = (
        Certificate.objects.filter(valid, enterprise_id__in=among).order_by().values_list("enterprise_id", "program")
    )
    programs: dict[int, set[str]] = {}
    for pk, program in pairs.values_list("enterprise_id", "program"):
        programs.setdefault(pk, set()).add(program)
    return programs


def enterprises_filtered(
    enterprises: QuerySet[Enterprise], *, filters: dict[str, Any], on: date
) -> QuerySet[Enterprise]:
    """Narrow ``enterprises`` (already scoped to the user) by the list's filters (``q``, ``district``, ``section``,
    ``division``, ``domain``, ``certificate``, ``tier``; certificates valid on ``on``) and sort them by ``sort``."""
    query = (filters.get("q") or "").strip()
    if query:
        enterprises = enterprises.filter(Q(name__icontains=query) | Q(uscc__icontains=query.upper()))
    if filters.get("district"):
        enterprises = enterprises.filter(region_code=filters["district"])
    if filters.get("section"):
        enterprises = enterprises.filter(industry_code__startswith=filters["section"])
    if filters.get("division"):
        enterprises = enterprises.filter(industry_code__startswith=filters["division"])
    if filters.get("domain") is not None:
        enterprises = enterprises.filter(hnte_domain=filters["domain"])
    if filters.get("certificate"):
        holders = valid_certificates(filters["certificate"], on).values("enterprise_id")
        enterprises = enterprises.filter(pk__in=holders)
    if filters.get("tier"):
        enterprises = _on_tier(enterprises, filters["tier"], on)
    return enterprises.order_by(filters.get("sort") or "name", "pk")


def _on_tier(enterprises: QuerySet[Enterprise], tier: str, on: date) -> QuerySet[Enterprise]:
    """One semi-join for the step held and one anti-join for the steps above it (the database plans them as such)."""
    _, _, held, above = next(t for t in TIERS if t[0] == tier)
    for programs, wanted in ((held, True), (above, False)):
        if programs:
            valid = reduce(operator.or_, (valid_certificate(program, on) for program in programs))
            holds = Exists(Certificate.objects.filter(valid, enterprise_id=OuterRef("pk")))
            enterprises = enterprises.filter(holds if wanted else ~holds)
    return enterprises


def latest_yearly_figures(enterprise: Enterprise, *, years: int = 3) -> list[YearlyFigures]:
    """The enterprise's latest ``years`` fiscal years of figures, oldest first."""
    return list(enterprise.yearly_figures.order_by("-year")[:years])[::-1]
