"""The request a view behind ``login_required`` receives, typed so: its user is one of ours, never anonymous."""

from __future__ import annotations

from django.http import HttpRequest

from gaoqi.accounts.models import User


class AuthenticatedHttpRequest(HttpRequest):
    user: User
