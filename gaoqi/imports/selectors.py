"""Reads of the import: which batches a user may see, and the counties and industries the template offers them."""

from __future__ import annotations

from django.db.models import QuerySet

from gaoqi.accounts.models import Role, User
from gaoqi.codes.models import Industry, Region
from gaoqi.imports.models import ImportBatch

IMPORTERS = (Role.BUREAU_OFFICER, Role.DISTRICT_OFFICER, Role.ADMINISTRATOR)
"""The roles that keep the registry, and so may import into it (within their scope)."""


def may_import(user: User) -> bool:
    return bool(user.is_authenticated and user.is_active and user.role in IMPORTERS)


def import_batches_visible_to(user: User) -> QuerySet[ImportBatch]:
    """A user's own uploads; an administrator sees everyone's. The file itself never leaves its uploader's scope."""
    batches = ImportBatch.objects.select_related("created_by").defer("content")
    if not may_import(user):
        return batches.none()
    return batches if user.role == Role.ADMINISTRATOR else batches.filter(created_by=user)


def template_regions(user: User) -> list[tuple[str, str]]:
    """The counties a user may import enterprises into, as (code, name)."""
    counties = Region.objects.filter(level=Region.Level.COUNTY)
    if user.role == Role.DISTRICT_OFFICER:
        counties = counties.filter(code=user.region_code)
    return list(counties.values_list("code", "name"))


def template_industries() -> list[tuple[str, str]]:
    return list(Industry.objects.values_list("code", "name"))
