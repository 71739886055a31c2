from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from gaoqi.accounts.models import Role
from gaoqi.registry.selectors import enterprises_visible_to


@login_required
def home(request: HttpRequest) -> HttpResponse:
    visible = None if request.user.role == Role.AUDITOR else enterprises_visible_to(request.user).count()
    return render(request, "core/home.html", {"visible": visible})
