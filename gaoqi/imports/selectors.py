"""Reads of the import: which batches a user may see, and the counties and industries the template offers them."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import F, QuerySet

from gaoqi.accounts.models import Role, User
from gaoqi.codes.models import Industry, Region
from gaoqi.imports.columns import ENTERPRISES, SHEETS, Column, Sheet
from gaoqi.imports.models import ImportBatch
from gaoqi.registry.models import Enterprise

IMPORTERS = (Role.BUREAU_OFFICER, Role.DISTRICT_OFFICER, Role.ADMINISTRATOR)
"""The roles that keep the registry, and so may import into it (within their scope)."""


def may_import(user: User | AnonymousUser) -> bool:
    return isinstance(user, User) and user.is_active and user.role in IMPORTERS


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


def template_rows(enterprises: QuerySet[Enterprise]) -> dict[str, Iterable[Sequence[Any]]]:
    """The stored data of ``enterprises`` as the template's rows, cell by cell as the reader reads them back: an
    exported file re-imported unchanged plans nothing, and an edited one updates what was edited.

    A stored row without its key (an IP item without a number) cannot be imported back, so it is not exported."""
    regions = dict(Region.objects.values_list("code", "name"))
    ids = enterprises.order_by().values("pk")
    rows: dict[str, Iterable[Sequence[Any]]] = {
        ENTERPRISES.name: _rows(ENTERPRISES, enterprises.order_by("uscc"), regions)
    }
    for sheet in SHEETS[1:]:
        stored = sheet.model.objects.filter(enterprise__in=ids)  # type: ignore[attr-defined]
        for name in sheet.key[1:]:
            stored = stored.exclude(**{f"{name}__isnull": True})
            if sheet.fields[name].kind == "text":
                stored = stored.exclude(**{name: ""})
        rows[sheet.name] = _rows(sheet, stored.order_by("enterprise__uscc", *sheet.key[1:], "pk"))
    return rows


def _rows(sheet: Sheet, queryset: QuerySet[Any], regions: dict[str, str] | None = None) -> Iterator[tuple[Any, ...]]:
    labels = {c.field: dict(c.read.labels) for c in sheet.columns if c.kind == "choice"}  # type: ignore[attr-defined]
    if sheet is not ENTERPRISES:
        queryset = queryset.annotate(uscc=F("enterprise__uscc"))
    for row in queryset.iterator(chunk_size=2000):
        yield tuple(_cell(column, getattr(row, column.field), labels, regions) for column in sheet.columns)


def _cell(column: Column, value: Any, labels: dict[str, dict[Any, str]], regions: dict[str, str] | None) -> Any:
    if value is None or value == "":
        return None
    if column.kind == "choice":
        return labels[column.field].get(value)
    if column.kind == "bool":
        return "是" if value else "否"
    if column.kind == "region" and regions is not None:
        return regions.get(value, value)
    if isinstance(value, list):  # parks, experts' scores: one cell, as the reader splits it
        return "、".join(str(item) for item in value) or None
    return value
