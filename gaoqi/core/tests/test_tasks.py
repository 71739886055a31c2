"""The nightly jobs: `manage.py nightly` enqueues them, and the results of old finished tasks are let go."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from gaoqi.core.tasks import task_results_prune


def result(*, status: str, finished_days_ago: int | None) -> DBTaskResult[..., Any]:
    finished = None if finished_days_ago is None else timezone.now() - timedelta(days=finished_days_ago)
    return DBTaskResult.objects.create(
        status=status,
        finished_at=finished,
        args_kwargs={"args": [], "kwargs": {}},
        task_path="gaoqi.core.tasks.task_results_prune",
        backend_name="default",
    )


@pytest.mark.django_db
def test_finished_task_results_are_kept_30_days_and_unfinished_ones_always() -> None:
    gone = [result(status="SUCCESSFUL", finished_days_ago=31), result(status="FAILED", finished_days_ago=45)]
    kept = [
        result(status="SUCCESSFUL", finished_days_ago=29),
        result(status="FAILED", finished_days_ago=1),
        result(status="READY", finished_days_ago=None),
        result(status="RUNNING", finished_days_ago=None),
    ]

    assert task_results_prune.call() == 2
    assert set(DBTaskResult.objects.values_list("id", flat=True)) == {r.id for r in kept}
    assert not DBTaskResult.objects.filter(id__in=[r.id for r in gone]).exists()


@pytest.mark.django_db
def test_the_nightly_command_enqueues_every_nightly_job() -> None:
    result(status="SUCCESSFUL", finished_days_ago=60)
    out = StringIO()
    call_command("nightly", stdout=out)
    lines = out.getvalue().splitlines()
    assert [line.split(":")[0] for line in lines] == [
        "gaoqi.imports.tasks.import_batches_purge_task",
        "gaoqi.core.tasks.task_results_prune",
    ]
    assert all("SUCCESSFUL" in line for line in lines)  # the tests' settings run a task as it is enqueued
    assert not DBTaskResult.objects.exists()
