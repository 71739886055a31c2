"""The access matrix: every role (and an anonymous visitor) against every page and API endpoint.

Each URL pattern of the project has an entry in ``MATRIX``; a view added later without one fails
``test_every_view_is_in_the_matrix``. For a URL with an id, every enterprise of the city fixture is tried — the
ones inside the user's scope and the ones outside — plus an id that does not exist (a guessed id): outside the
scope must look exactly like missing (404), never like "forbidden" (403), so ids cannot be probed.

Scopes (``gaoqi/conftest.py``): a, b in 蓬江区 (a is the agency's client, b the mentor's), c in 新会区; the
enterprise user belongs to c, the district officer to 蓬江区.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import openpyxl
import pytest
from django.contrib import admin
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from gaoqi.accounts.models import Role, User
from gaoqi.assessments.models import SavedAssessment
from gaoqi.assessments.services import assessment_save
from gaoqi.imports.models import ImportBatch
from gaoqi.registry.models import Enterprise, YearlyFigures

ANONYMOUS = "anonymous"
ROLES = (ANONYMOUS, *(str(role) for role in Role))
VISIBLE = {
    ANONYMOUS: "",
    Role.BUREAU_OFFICER: "abc",
    Role.DISTRICT_OFFICER: "ab",
    Role.ENTERPRISE: "c",
    Role.AGENCY: "a",
    Role.MENTOR: "b",
    Role.AUDITOR: "",
    Role.ADMINISTRATOR: "abc",
}
NAMES = {"a": "甲科技", "b": "乙科技", "c": "丙科技"}
ENTERPRISES = ("a", "b", "c", "missing")
ASSESSMENTS = ("a", "b", "c", "blank", "missing")  # "blank": a blank-form assessment by the district officer
REGISTRY_WRITERS = {Role.BUREAU_OFFICER, Role.DISTRICT_OFFICER, Role.ADMINISTRATOR}
FIGURES_WRITERS = REGISTRY_WRITERS | {Role.ENTERPRISE}
YEAR = 2024
LOGIN = "login"  # a redirect to the login page
OK, BAD, UNAUTHORIZED, FORBIDDEN, NOT_FOUND, NOT_ALLOWED = 200, 400, 401, 403, 404, 405

Expect = Callable[[str, str | None], int | str]


# ------------------------------------------------------------------------------------------------ expectations


def _page(role: str, _target: str | None) -> int | str:
    """A page every signed-in role may open."""
    return LOGIN if role == ANONYMOUS else OK


def _assessor_page(role: str, _target: str | None) -> int | str:
    """Self-assessment pages: every signed-in role except the auditor."""
    return LOGIN if role == ANONYMOUS else FORBIDDEN if role == Role.AUDITOR else OK


def _assessor_post(role: str, _target: str | None) -> int | str:
    """A POST without the document: refused before it is read for the auditor, a bad request for the others."""
    return LOGIN if role == ANONYMOUS else FORBIDDEN if role == Role.AUDITOR else BAD


def _signed_in(status: int) -> Expect:
    return lambda role, _target: LOGIN if role == ANONYMOUS else status


def _enterprise_page(role: str, target: str | None) -> int | str:
    if role == ANONYMOUS:
        return LOGIN
    return OK if target is not None and target in VISIBLE[role] else NOT_FOUND


def _assessment_page(role: str, target: str | None) -> int | str:
    if role == ANONYMOUS:
        return LOGIN
    if role == Role.AUDITOR:
        return FORBIDDEN
    if target == "blank":
        return OK if role == Role.DISTRICT_OFFICER else NOT_FOUND
    return OK if target is not None and target in VISIBLE[role] else NOT_FOUND


def _login_page(role: str, _target: str | None) -> int | str:
    return OK if role == ANONYMOUS else "home"  # a signed-in user is sent home


def _api(status: int) -> Expect:
    """An endpoint every signed-in role but the auditor may use."""
    return lambda role, _target: UNAUTHORIZED if role == ANONYMOUS else FORBIDDEN if role == Role.AUDITOR else status


def _api_enterprise_create(role: str, _target: str | None) -> int | str:
    if role == ANONYMOUS:
        return UNAUTHORIZED
    return BAD if role in REGISTRY_WRITERS else FORBIDDEN


def _api_enterprise(read: bool, writers: set[Role]) -> Expect:
    """Out of scope is 404 for every method; in scope, reading is allowed and an invalid write is 400 or 403."""

    def expect(role: str, target: str | None) -> int | str:
        if role == ANONYMOUS:
            return UNAUTHORIZED
        if role == Role.AUDITOR:
            return FORBIDDEN
        if target is None or target not in VISIBLE[role]:
            return NOT_FOUND
        return OK if read else BAD if role in writers else FORBIDDEN

    return expect


def _audit_log(role: str, _target: str | None) -> int | str:
    """The audit log: auditors and administrators read it, every other role is refused."""
    if role == ANONYMOUS:
        return LOGIN
    return OK if role in (Role.AUDITOR, Role.ADMINISTRATOR) else FORBIDDEN


IMPORTERS = {Role.BUREAU_OFFICER, Role.DISTRICT_OFFICER, Role.ADMINISTRATOR}
BATCHES = ("own", "missing")  # a batch the district officer uploaded, and an id that does not exist
BATCH = "batch"  # a redirect to the batch's own page
IMPORT_PAGE = "imports"  # a redirect to the import page (after cancelling)


def _importer(status: int) -> Expect:
    """Import pages: the roles that keep the registry; every other signed-in role is refused."""
    return lambda role, _target: LOGIN if role == ANONYMOUS else status if role in IMPORTERS else FORBIDDEN


def _batch(status: int | str) -> Expect:
    """One upload: its uploader and the administrator; another importer finds nothing there, as for a guessed id."""

    def expect(role: str, target: str | None) -> int | str:
        if role == ANONYMOUS:
            return LOGIN
        if role not in IMPORTERS:
            return FORBIDDEN
        return status if target == "own" and role in (Role.DISTRICT_OFFICER, Role.ADMINISTRATOR) else NOT_FOUND

    return expect


def _schema(role: str, _target: str | None) -> int | str:
    return UNAUTHORIZED if role == ANONYMOUS else OK


@dataclass(frozen=True)
class Check:
    method: str
    expect: Expect
    targets: tuple[str, ...] = (None,)  # type: ignore[assignment]
    data: Any = None  # a harmless invalid body for a write


EMPTY_JSON = "{}"
MATRIX: dict[str, tuple[Check, ...]] = {
    "home": (Check("get", _page),),
    "accounts:login": (Check("get", _login_page),),
    "accounts:logout": (Check("get", lambda role, _t: NOT_ALLOWED),),  # logging out is POST only
    "assessments:list": (Check("get", _assessor_page),),
    "assessments:export": (Check("get", _assessor_page),),
    "assessments:new": (Check("get", _assessor_page),),
    "assessments:enterprise_search": (Check("get", _assessor_page),),
    "assessments:what_if": (Check("get", _signed_in(NOT_ALLOWED)), Check("post", _assessor_post, data={})),
    "assessments:save": (Check("get", _signed_in(NOT_ALLOWED)), Check("post", _assessor_post, data={})),
    "assessments:detail": (Check("get", _assessment_page, ASSESSMENTS),),
    "assessments:report": (Check("get", _assessment_page, ASSESSMENTS),),
    "assessments:revise": (Check("get", _assessment_page, ASSESSMENTS),),
    "registry:list": (Check("get", _page),),
    "registry:export": (Check("get", _page),),
    "registry:detail": (Check("get", _enterprise_page, ENTERPRISES),),
    "api:assess": (Check("get", _api(NOT_ALLOWED)), Check("post", _api(BAD), data="not json")),
    "api:enterprises": (Check("get", _api(OK)), Check("post", _api_enterprise_create, data=EMPTY_JSON)),
    "api:enterprise": (
        Check("get", _api_enterprise(True, REGISTRY_WRITERS), ENTERPRISES),
        Check("patch", _api_enterprise(False, REGISTRY_WRITERS), ENTERPRISES, data='{"name": ""}'),
    ),
    "api:years": (
        Check("get", _api_enterprise(True, FIGURES_WRITERS), ENTERPRISES),
        Check("post", _api_enterprise(False, FIGURES_WRITERS), ENTERPRISES, data=EMPTY_JSON),
    ),
    "api:year": (
        Check("get", _api_enterprise(True, FIGURES_WRITERS), ENTERPRISES),
        Check("patch", _api_enterprise(False, FIGURES_WRITERS), ENTERPRISES, data='{"sales_revenue": "-1"}'),
    ),
    "api:token": (Check("get", lambda role, _t: NOT_ALLOWED), Check("post", lambda role, _t: BAD, data=EMPTY_JSON)),
    "api:schema": (Check("get", _schema),),
    "api:docs": (Check("get", _schema),),
    "imports:index": (Check("get", _importer(OK)), Check("post", _importer(BAD), data={})),
    "imports:template": (Check("get", _importer(OK)),),
    "imports:detail": (Check("get", _batch(OK), BATCHES),),
    "imports:progress": (Check("get", _batch(204), BATCHES),),  # 204: the batch is not running
    "imports:problems": (Check("get", _batch(OK), BATCHES),),
    "imports:commit": (Check("get", lambda role, _t: NOT_ALLOWED, BATCHES), Check("post", _batch(BATCH), BATCHES, {})),
    "imports:cancel": (
        Check("get", lambda role, _t: NOT_ALLOWED, BATCHES),
        Check("post", _batch(IMPORT_PAGE), BATCHES, {}),
    ),
    "audit:list": (Check("get", _audit_log), Check("post", lambda role, _t: NOT_ALLOWED, data={})),  # read-only
    "audit:export": (Check("get", _audit_log), Check("post", lambda role, _t: NOT_ALLOWED, data={})),
    "admin": (),  # every admin URL, checked by test_admin_is_for_administrators_only
}


# ------------------------------------------------------------------------------------------------ the URL patterns


def _route_names(patterns: Any = None, namespace: str = "", prefix: str = "") -> set[str]:
    """Every URL pattern of the project as ``namespace:name`` (the whole admin site as ``admin``)."""
    names: set[str] = set()
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace or ""
            if inner == "admin":
                names.add("admin")
                continue
            joined = ":".join(part for part in (namespace, inner) if part)
            names |= _route_names(pattern.url_patterns, joined, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            name = pattern.name or f"<unnamed {prefix}{pattern.pattern}>"
            names.add(f"{namespace}:{name}" if namespace else name)
    return names


def test_every_view_is_in_the_matrix() -> None:
    routes = _route_names()
    assert routes - set(MATRIX) == set(), "every view must be in the access matrix"
    assert set(MATRIX) - routes == set(), "the matrix names views that no longer exist"


# ------------------------------------------------------------------------------------------------ fixture data


def _document() -> dict[str, Any]:
    return {
        "as_of": "2025-06-30",
        "enterprise": {"registered_on": "2019-04-02"},
        "years": {"2024": {"sales_revenue": "50000000"}},
    }


@pytest.fixture
def world(city: dict[str, Enterprise], users: dict[str, User]) -> dict[str, dict[str, int]]:
    """Ids by target: each enterprise with one fiscal year and one saved assessment, a blank-form assessment, and
    ids that do not exist."""
    bureau = users[Role.BUREAU_OFFICER]
    assessments: dict[str, int] = {}
    for key, enterprise in city.items():
        YearlyFigures.objects.create(enterprise=enterprise, year=YEAR, sales_revenue=Decimal("50000000"))
        assessments[key] = assessment_save(document=_document(), enterprise=enterprise, created_by=bureau).pk
    blank = assessment_save(document=_document(), enterprise=None, created_by=users[Role.DISTRICT_OFFICER])
    assessments["blank"] = blank.pk
    last_enterprise = Enterprise.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    last_assessment = SavedAssessment.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    assessments["missing"] = last_assessment + 1000
    enterprises = {key: e.pk for key, e in city.items()} | {"missing": last_enterprise + 1000}
    own = ImportBatch.objects.create(
        created_by=users[Role.DISTRICT_OFFICER], file_name="数据.xlsx", content=b"", sha256="0" * 64, status="checked"
    )
    batches = {"own": own.pk, "missing": own.pk + 1000}
    return {"enterprises": enterprises, "assessments": assessments, "batches": batches}


def _client(users: dict[str, User], role: str) -> Client:
    client = Client()
    if role != ANONYMOUS:
        client.force_login(users[role])
    return client


def _url(route: str, target: str | None, world: dict[str, dict[str, int]]) -> str:
    if target is None:
        return reverse(route)
    if route.startswith("assessments:"):
        return reverse(route, args=[world["assessments"][target]])
    if route.startswith("imports:"):
        return reverse(route, args=[world["batches"][target]])
    if route == "api:year":
        return reverse(route, args=[world["enterprises"][target], YEAR])
    return reverse(route, args=[world["enterprises"][target]])


def _answer(response: Any) -> int | str:
    """The class of an answer: a status, ``login`` for a redirect to the login page, ``home`` for one home."""
    if response.status_code == 302:
        location = response["Location"]
        if location.startswith(reverse("accounts:login")):
            return LOGIN
        if location == reverse("home"):
            return "home"
        if location.startswith(reverse("imports:index")):
            return BATCH if location != reverse("imports:index") else IMPORT_PAGE
        return f"302 → {location}"
    return response.status_code


# ------------------------------------------------------------------------------------------------ the matrix


CASES = [
    pytest.param(route, check, role, target, id=f"{route}-{check.method}-{role}-{target or '-'}")
    for route, checks in MATRIX.items()
    for check in checks
    for role in ROLES
    for target in check.targets
]


@pytest.mark.parametrize(("route", "check", "role", "target"), CASES)
def test_role_against_view(
    route: str,
    check: Check,
    role: str,
    target: str | None,
    users: dict[str, User],
    world: dict[str, dict[str, int]],
) -> None:
    client = _client(users, role)
    url = _url(route, target, world)
    if check.method == "get":
        response = client.get(url)
    elif isinstance(check.data, str):
        response = getattr(client, check.method)(url, data=check.data, content_type="application/json")
    else:
        response = getattr(client, check.method)(url, data=check.data)
    assert _answer(response) == check.expect(role, target), f"{check.method.upper()} {url} as {role}"


# ------------------------------------------------------------------------------------------------ what a list shows


def _shown_names(route: str, response: Any) -> set[str]:
    if route in ("registry:export", "assessments:export"):
        sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
        text = " ".join(str(cell) for row in sheet.iter_rows(values_only=True) for cell in row if cell)
    elif route == "api:enterprises":
        text = " ".join(item["name"] for item in json.loads(response.content)["results"])
    else:
        text = response.content.decode()
    return {key for key, name in NAMES.items() if name in text}


@pytest.mark.parametrize("role", [role for role in ROLES if role != ANONYMOUS])
@pytest.mark.parametrize(
    "route", ["registry:list", "registry:export", "api:enterprises", "assessments:list", "assessments:export"]
)
def test_a_list_shows_exactly_the_enterprises_in_scope(
    route: str, role: str, users: dict[str, User], world: dict[str, dict[str, int]]
) -> None:
    response = _client(users, role).get(reverse(route))
    if response.status_code == FORBIDDEN:  # the auditor, who has no list at all
        assert role == Role.AUDITOR
        return
    assert response.status_code == OK
    assert _shown_names(route, response) == set(VISIBLE[role])


@pytest.mark.parametrize("role", [role for role in ROLES if role != ANONYMOUS])
def test_the_home_page_counts_only_the_enterprises_in_scope(role: str, users: dict[str, User]) -> None:
    page = _client(users, role).get(reverse("home"))
    assert page.status_code == OK
    if role != Role.AUDITOR:
        assert page.context["visible"] == len(VISIBLE[role])


@pytest.mark.parametrize("role", [role for role in ROLES if role != ANONYMOUS])
def test_a_guessed_id_in_the_assessment_form_is_not_found(
    role: str, users: dict[str, User], world: dict[str, dict[str, int]]
) -> None:
    """``/assessments/new/?enterprise=<id>`` prefills from the registry: only an enterprise in scope."""
    client = _client(users, role)
    for target in ENTERPRISES:
        url = f"{reverse('assessments:new')}?enterprise={world['enterprises'][target]}&from=registry"
        expected = FORBIDDEN if role == Role.AUDITOR else OK if target in VISIBLE[role] else NOT_FOUND
        assert client.get(url).status_code == expected, f"GET {url} as {role}"


@pytest.mark.parametrize("role", [role for role in ROLES if role not in (ANONYMOUS, Role.AUDITOR)])
def test_saving_an_assessment_for_a_guessed_enterprise_is_not_found(
    role: str, users: dict[str, User], world: dict[str, dict[str, int]]
) -> None:
    """The save endpoint takes the enterprise id from the form: one outside the scope stores nothing."""
    client = _client(users, role)
    for target in ENTERPRISES:
        before = SavedAssessment.objects.count()
        posted = {"document": json.dumps(_document()), "enterprise": world["enterprises"][target]}
        response = client.post(reverse("assessments:save"), posted)
        if target in VISIBLE[role]:
            assert response.status_code == 302 and SavedAssessment.objects.count() == before + 1, target
        else:
            assert response.status_code == NOT_FOUND and SavedAssessment.objects.count() == before, target


# ------------------------------------------------------------------------------------------------ the admin site


def _admin_urls() -> list[str]:
    urls = [reverse("admin:index")]
    for model in admin.site._registry:
        meta = model._meta
        urls.append(reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist"))
        urls.append(reverse(f"admin:{meta.app_label}_{meta.model_name}_add"))
    return urls


@pytest.mark.parametrize("role", ROLES)
def test_admin_is_for_administrators_only(role: str, users: dict[str, User]) -> None:
    client = _client(users, role)
    login = reverse("admin:login")
    for url in _admin_urls():
        response = client.get(url)
        if role == Role.ADMINISTRATOR:
            assert response.status_code in (OK, FORBIDDEN), url  # 403: a model the admin may not add to
        else:
            assert response.status_code == 302 and response["Location"].startswith(login), f"{url} as {role}"
