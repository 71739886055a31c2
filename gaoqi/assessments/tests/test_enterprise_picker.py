"""Choosing the enterprise to assess in a city of many: the self-assessment page never lists every enterprise. The
"从企业库数据开始" picker becomes a search within the user's scope, and the guided form takes a known enterprise by
id or an unknown one by its credit code — a code outside the scope answered exactly like a code nobody has."""

from __future__ import annotations

import json
import re

import pytest
from django.test import Client
from django.urls import reverse

from gaoqi.accounts.models import User
from gaoqi.assessments.forms import UNKNOWN_USCC
from gaoqi.assessments.models import SavedAssessment
from gaoqi.assessments.selectors import PICKER_SELECT_MAX, SEARCH_LIMIT
from gaoqi.registry.models import Enterprise
from gaoqi.rules.synthetic import uscc_for

FIGURES = {"as_of": "2025-06-30", "y3_sales_revenue": "50000000", "y3_rd_expense": "2000000"}
PER_DISTRICT = 150
NOBODYS_CODE = uscc_for("440799", 7)  # well-formed, and no enterprise has it


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def large_city(city: dict[str, Enterprise]) -> dict[str, list[Enterprise]]:
    return _grow_city()


def _grow_city() -> dict[str, list[Enterprise]]:
    """300 more enterprises: 150 in 蓬江区 (the district officer's) and 150 in 江海区 (outside it)."""
    made = {}
    for region, district in (("440703", "蓬江"), ("440704", "江海")):
        made[region] = Enterprise.objects.bulk_create(
            Enterprise(
                uscc=uscc_for(region, 100 + n), name=f"江门市{district}测试{n:03d}电子有限公司", region_code=region
            )
            for n in range(PER_DISTRICT)
        )
    return made


def _selects(html: str) -> list[int]:
    """The number of options of each <select> on a page."""
    return [body.count("<option") for body in re.findall(r"<select\b.*?</select>", html, flags=re.S)]


# -------------------------------------------------------------------------------------------------------- the page


def test_an_officer_in_a_large_city_gets_a_search_box_not_a_list_of_every_enterprise(
    users: dict[str, User], city: dict[str, Enterprise]
) -> None:
    client = _client(users["bureau_officer"])
    small = client.get(reverse("assessments:new")).content.decode()
    large_city = _grow_city()
    response = client.get(reverse("assessments:new"))
    html = response.content.decode()

    assert response.status_code == 200
    assert 'id="prefill-q"' in html and 'id="prefill-enterprise"' not in html  # the search box, not the select
    assert max(_selects(html)) <= 10  # the longest is the list of the eight high-tech domains
    everyone = [e for enterprises in large_city.values() for e in enterprises]
    assert not [e.name for e in everyone if e.name in html or e.uscc in html]
    assert 'name="enterprise_uscc"' in html  # the guided form asks for a credit code instead
    # the page does not grow with the city: 303 enterprises as two lists of options added 28,000 characters
    assert len(html) < len(small) + 1_000, (len(small), len(html))


def test_a_few_enterprises_stay_a_drop_down(users: dict[str, User], city: dict[str, Enterprise]) -> None:
    """An agency with a few clients, and the enterprise user with its one, pick from a short list as before."""
    agency = _client(users["agency"]).get(reverse("assessments:new")).content.decode()
    assert 'id="prefill-enterprise"' in agency and 'id="prefill-q"' not in agency
    assert f'<option value="{city["a"].pk}" >甲科技</option>' in agency
    assert "乙科技" not in agency and "丙科技" not in agency

    own = _client(users["enterprise"]).get(reverse("assessments:new")).content.decode()
    assert f'<option value="{city["c"].pk}" selected>丙科技</option>' in own
    assert _selects(own)[0] == 1


def test_the_drop_down_ends_where_the_search_box_begins(
    users: dict[str, User], city: dict[str, Enterprise], large_city: dict[str, list[Enterprise]]
) -> None:
    """The district officer sees 152 enterprises: a search box. Down to the limit, a drop-down again."""
    client = _client(users["district_officer"])
    assert 'id="prefill-q"' in client.get(reverse("assessments:new")).content.decode()
    keep = PICKER_SELECT_MAX - 2  # with 甲科技 and 乙科技, exactly the limit
    Enterprise.objects.filter(pk__in=[e.pk for e in large_city["440703"][keep:]]).delete()
    html = client.get(reverse("assessments:new")).content.decode()
    assert 'id="prefill-enterprise"' in html and _selects(html)[0] == PICKER_SELECT_MAX


# -------------------------------------------------------------------------------------------------------- searching


def _found(client: Client, query: str, **extra: str) -> str:
    response = client.get(reverse("assessments:enterprise_search"), {"q": query, **extra}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    return response.content.decode()


def _names(html: str) -> list[str]:
    return re.findall(r"<a href=\"[^\"]*\">([^<]+)</a>", html)


def test_searching_finds_by_name_at_most_twenty(
    users: dict[str, User], large_city: dict[str, list[Enterprise]]
) -> None:
    client = _client(users["bureau_officer"])
    few = _names(_found(client, "江海测试01"))
    assert few == [f"江门市江海测试{n:03d}电子有限公司" for n in range(10, 20)]

    many = _found(client, "测试")
    assert len(_names(many)) == SEARCH_LIMIT
    assert "只列出前 20 家" in many


def test_searching_finds_by_credit_code_typed_in_any_case_and_with_spaces(
    users: dict[str, User], large_city: dict[str, list[Enterprise]]
) -> None:
    client = _client(users["bureau_officer"])
    target = large_city["440704"][42]
    typed = f"{target.uscc[:6]} {target.uscc[6:]}".lower()
    html = _found(client, typed, as_of="2025-06-30")
    assert _names(html) == [target.name]
    assert f"?enterprise={target.pk}&amp;from=registry&amp;as_of=2025-06-30" in html  # prefills as the select did
    by_start = _names(_found(client, "91440704"))
    assert len(by_start) == SEARCH_LIMIT and all("江海" in name for name in by_start)


def test_searching_never_finds_outside_the_scope(
    users: dict[str, User], city: dict[str, Enterprise], large_city: dict[str, list[Enterprise]]
) -> None:
    district = _client(users["district_officer"])
    assert all("蓬江" in name for name in _names(_found(district, "测试")))
    outside = large_city["440704"][3]
    hidden = _found(district, outside.uscc)
    unknown = _found(district, NOBODYS_CODE)
    assert outside.name not in hidden and _names(hidden) == []
    assert hidden.replace(outside.uscc, NOBODYS_CODE) == unknown  # outside the scope reads as nobody's code
    assert "没有找到名称或统一社会信用代码含" in unknown

    assert _names(_found(_client(users["enterprise"]), "科技")) == ["丙科技"]
    assert _names(_found(_client(users["agency"]), "科技")) == ["甲科技"]


def test_the_search_needs_no_javascript(users: dict[str, User], large_city: dict[str, list[Enterprise]]) -> None:
    """The picker's form posts to the page itself: one match prefills at once, several are listed, none is said."""
    client = _client(users["bureau_officer"])
    url = reverse("assessments:new")
    one = large_city["440703"][7]

    response = client.get(url, {"from": "registry", "q": one.uscc, "as_of": "2025-06-30"})
    assert response.status_code == 302
    assert response["Location"] == f"{url}?enterprise={one.pk}&from=registry&as_of=2025-06-30"
    prefilled = client.get(response["Location"]).content.decode()
    assert f"已从企业库带入 {one.name} 的数据" in prefilled

    several = client.get(url, {"from": "registry", "q": "蓬江测试00", "as_of": "2025-06-30"}).content.decode()
    assert len(_names(several.split('id="prefill-matches"')[1].split("</div>")[0])) == 10
    assert 'value="蓬江测试00"' in several

    none = client.get(url, {"from": "registry", "q": "没有这家", "as_of": "2025-06-30"}).content.decode()
    assert "没有找到名称或统一社会信用代码含“没有这家”的企业" in none


def test_an_auditor_may_not_search(users: dict[str, User], city: dict[str, Enterprise]) -> None:
    response = _client(users["auditor"]).get(reverse("assessments:enterprise_search"), {"q": "科技"})
    assert response.status_code == 403
    assert not [name for name in ("甲科技", "乙科技", "丙科技") if name in response.content.decode()]


# -------------------------------------------------------------------------------------------------------- the form


def test_the_credit_code_links_an_enterprise_in_scope_and_the_result_is_saved_for_it(
    users: dict[str, User], city: dict[str, Enterprise]
) -> None:
    client = _client(users["district_officer"])
    typed = city["a"].uscc.lower()[:9] + " " + city["a"].uscc.lower()[9:]
    response = client.post(reverse("assessments:new"), {**FIGURES, "enterprise_uscc": typed})
    page = response.content.decode()
    assert "display" in response.context
    assert "保存自评结果（甲科技）" in page
    assert f'<input type="hidden" name="enterprise" value="{city["a"].pk}">' in page

    saved = client.post(
        reverse("assessments:save"), {"document": response.context["document_json"], "enterprise": city["a"].pk}
    )
    assert saved.status_code == 302
    assert SavedAssessment.objects.get().enterprise == city["a"]


def test_a_credit_code_outside_the_scope_is_refused_like_an_unknown_one(
    users: dict[str, User], city: dict[str, Enterprise]
) -> None:
    client = _client(users["district_officer"])
    outside = client.post(reverse("assessments:new"), {**FIGURES, "enterprise_uscc": city["c"].uscc})
    unknown = client.post(reverse("assessments:new"), {**FIGURES, "enterprise_uscc": NOBODYS_CODE})

    assert outside.status_code == unknown.status_code == 200
    assert outside.context["form"].errors == unknown.context["form"].errors == {"enterprise_uscc": [UNKNOWN_USCC]}
    assert "display" not in outside.context  # nothing evaluated for an enterprise the officer may not see
    page = outside.content.decode()
    assert "丙科技" not in page
    field = re.search(r'name="enterprise_uscc".*?</label>', page, flags=re.S)
    assert field and f'<small class="field-error" role="alert">{UNKNOWN_USCC}</small>' in field.group()  # next to it


def test_a_malformed_credit_code_is_named(users: dict[str, User]) -> None:
    response = _client(users["bureau_officer"]).post(reverse("assessments:new"), {**FIGURES, "enterprise_uscc": "123"})
    assert response.context["form"].errors == {"enterprise_uscc": ["统一社会信用代码应为18位数字或大写字母，请核对。"]}


def test_an_officer_may_still_assess_a_blank_form(users: dict[str, User], city: dict[str, Enterprise]) -> None:
    client = _client(users["bureau_officer"])
    response = client.post(reverse("assessments:new"), {**FIGURES, "enterprise_uscc": ""})
    assert "display" in response.context and response.context["enterprise"] is None
    assert 'name="enterprise"' not in response.content.decode().split('class="save')[1].split("</form>")[0]
    client.post(reverse("assessments:save"), {"document": response.context["document_json"]})
    assert SavedAssessment.objects.get().enterprise is None


def test_the_enterprise_user_needs_its_enterprise(users: dict[str, User], city: dict[str, Enterprise]) -> None:
    client = _client(users["enterprise"])
    form = client.get(reverse("assessments:new")).content.decode()
    assert f'<input type="hidden" name="enterprise" value="{city["c"].pk}"' in form  # known: its own, by id
    assert 'name="enterprise_uscc"' not in form

    missing = client.post(reverse("assessments:new"), FIGURES)
    assert missing.context["form"].errors == {"enterprise_uscc": ["请填写评价企业的统一社会信用代码。"]}
    other = client.post(reverse("assessments:new"), {**FIGURES, "enterprise_uscc": city["a"].uscc})
    assert other.context["form"].errors == {"enterprise_uscc": [UNKNOWN_USCC]}
    own = client.post(reverse("assessments:new"), {**FIGURES, "enterprise_uscc": city["c"].uscc})
    assert own.context["enterprise"] == city["c"]


def test_a_prefilled_form_shows_its_enterprise_by_name(
    users: dict[str, User], city: dict[str, Enterprise], large_city: dict[str, list[Enterprise]]
) -> None:
    client = _client(users["bureau_officer"])
    target = large_city["440704"][0]
    page = client.get(reverse("assessments:new"), {"enterprise": str(target.pk), "from": "registry"}).content.decode()
    linked = page.split('id="linked-enterprise"')[1].split("</div>")[0]
    assert target.name in linked and f'<input type="hidden" name="enterprise" value="{target.pk}"' in linked
    assert 'name="enterprise_uscc"' not in page

    tampered = client.post(reverse("assessments:new"), {**FIGURES, "enterprise": "1 OR 1=1"})
    assert "enterprise" in tampered.context["form"].errors and "display" not in tampered.context
    assert json.dumps(target.name, ensure_ascii=False)[1:-1] not in tampered.content.decode()
