"""Fixtures of the import's tests."""

from __future__ import annotations

from typing import Any

import pytest

from gaoqi.imports.tests.worker import DATABASE_QUEUE


@pytest.fixture
def database_queue(settings: Any) -> None:
    """Tasks go on the database-backed queue, as in production, and wait there for a worker (see ``worker.py``)."""
    settings.TASKS = DATABASE_QUEUE
