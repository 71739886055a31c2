"""Reads of the code tables: names for codes, and choices for filter forms."""

from __future__ import annotations

from collections.abc import Callable

from gaoqi.codes.models import Industry, Region


def region_names() -> dict[str, str]:
    """``{code: name}`` of every region."""
    return dict(Region.objects.values_list("code", "name"))


def district_choices() -> list[tuple[str, str]]:
    """``(code, name)`` of every county-level region, for a district filter."""
    return list(Region.objects.filter(level=Region.Level.COUNTY).values_list("code", "name"))


def industry_name(code: str, names: dict[str, str] | None = None) -> str:
    """The name of the most specific known category of ``code`` (``C3989`` falls back to ``C398``, ``C39``, ``C``).

    Pass ``names`` (from :func:`industry_names`) to name many codes with one query.
    """
    prefixes = [code[:n] for n in range(len(code), 0, -1)]
    if names is None:
        names = dict(Industry.objects.filter(code__in=prefixes).values_list("code", "name"))
    return next((names[p] for p in prefixes if p in names), "")


def industry_names() -> dict[str, str]:
    """``{code: name}`` of every industry category."""
    return dict(Industry.objects.values_list("code", "name"))


def industry_choices(level: str) -> list[tuple[str, str]]:
    return [(code, f"{code} {name}") for code, name in Industry.objects.filter(level=level).values_list("code", "name")]


def code_namers() -> dict[str, Callable[[str], str]]:
    """How a district or industry code reads where a person sees it: its name with the code, ``蓬江区（440703）``.

    Two queries, then no more however many codes are named (an audit log page names hundreds).
    """
    regions, industries = region_names(), industry_names()

    def region(code: str) -> str:
        return f"{regions[code]}（{code}）" if code in regions else code

    def industry(code: str) -> str:
        name = industry_name(code, industries)
        return f"{name}（{code}）" if name else code

    return {"region_code": region, "industry_code": industry}
