"""What every page needs to know about the import: whether to offer it to the user (the menu, home, the list)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from gaoqi.imports.selectors import may_import


def importer(request: HttpRequest) -> dict[str, Any]:
    return {"may_import": may_import(request.user)}
