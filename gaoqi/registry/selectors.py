"""Reads of the registry. Every list of enterprises starts from :func:`enterprises_visible_to`: scope is enforced
here, on the server, once — views and API endpoints never filter by role themselves."""

from __future__ import annotations

from django.db.models import QuerySet

from gaoqi.accounts.models import Role, User
from gaoqi.registry.models import Enterprise


def enterprises_visible_to(user: User) -> QuerySet[Enterprise]:
    """The enterprises a user may see: the city, a district, one enterprise, an agency's clients, a mentor's."""
    enterprises = Enterprise.objects.all()
    if not user.is_authenticated or not user.is_active:
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
