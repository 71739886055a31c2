"""The administrator sees and edits an enterprise's facts on one page."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.test import Client
from django.urls import reverse

from gaoqi.accounts.models import User
from gaoqi.registry.models import Certificate, Enterprise, EnterpriseRecord, YearlyFigures


def test_an_enterprise_page_shows_its_figures_and_certificates(
    client: Client, users: dict[str, User], city: dict[str, Enterprise]
) -> None:
    enterprise = city["a"]
    YearlyFigures.objects.create(enterprise=enterprise, year=2024, sales_revenue=Decimal("50000000"))
    Certificate.objects.create(enterprise=enterprise, program="hnte", issued_on=date(2022, 12, 22), number="GR2022")
    EnterpriseRecord.objects.create(enterprise=enterprise, has_ip_record=True)
    client.force_login(users["administrator"])
    response = client.get(reverse("admin:registry_enterprise_change", args=[enterprise.pk]))
    assert response.status_code == 200
    content = response.content.decode()
    assert "GR2022" in content and "50000000" in content and "已提供知识产权情况" in content
