"""Large files on the task queue, as in production: the database backend and a real worker. The request only enqueues;
the page shows progress until a worker has done the work, which survives a restart of the web process; a failure is
recorded on the batch and in the task result, with nothing written."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from gaoqi.accounts.models import Role, User
from gaoqi.codes.services import codes_load
from gaoqi.imports.models import ImportBatch
from gaoqi.imports.tasks import import_batches_purge_task
from gaoqi.imports.tests.helpers import filled_template
from gaoqi.imports.tests.test_import import ENTERPRISE, NEW, YEAR_2024, signed_in, uploaded
from gaoqi.imports.tests.worker import run_queue, worker_process
from gaoqi.registry.models import Enterprise, YearlyFigures

Status = ImportBatch.Status
YEARS = [{**YEAR_2024, "会计年度": year} for year in range(2016, 2025)]


@pytest.fixture
def queued(database_queue: None, settings: Any) -> None:
    """Every file goes to the queue, however small; a transactional test's database may have been emptied by the one
    before, code tables included."""
    settings.GAOQI_IMPORT_INLINE_ROWS = 0
    codes_load()


def progress(client: Client, batch: ImportBatch) -> tuple[int, str]:
    response = client.get(reverse("imports:progress", args=[batch.pk]))
    if response.status_code == 204:
        assert response["HX-Redirect"] == reverse("imports:detail", args=[batch.pk])
    return response.status_code, response.content.decode()


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("queued")
def test_a_large_file_waits_for_the_worker_and_the_page_shows_its_progress(users: dict[str, User]) -> None:
    client = signed_in(users[Role.BUREAU_OFFICER])
    batch = uploaded(client, filled_template({"企业": [ENTERPRISE], "年度数据": YEARS}))
    assert batch.status == Status.CHECKING and batch.task_id
    assert DBTaskResult.objects.get(id=batch.task_id).status == "READY"
    status, page = progress(client, batch)
    assert status == 200 and "等待后台校验" in page

    run_queue()
    assert progress(client, batch)[0] == 204
    batch.refresh_from_db()
    assert batch.status == Status.CHECKED and batch.progress_done == batch.progress_total == 10
    assert DBTaskResult.objects.get(id=batch.task_id).return_value == "checked"

    client.post(reverse("imports:commit", args=[batch.pk]), {"mode": "all"})
    assert "正在写入企业库" in progress(client, batch)[1]
    assert not Enterprise.objects.filter(uscc=NEW).exists()  # the request only enqueued the commit
    run_queue()
    batch.refresh_from_db()
    assert progress(client, batch)[0] == 204 and batch.status == Status.COMMITTED
    assert YearlyFigures.objects.filter(enterprise__uscc=NEW).count() == 9
    assert DBTaskResult.objects.get(id=batch.task_id).return_value == "committed"


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("queued")
def test_a_task_survives_a_restart_of_the_web_process(users: dict[str, User]) -> None:
    """Enqueued through a request; then a worker that is a new process, knowing only the database, does the work."""
    client = signed_in(users[Role.BUREAU_OFFICER])
    batch = uploaded(client, filled_template({"企业": [ENTERPRISE], "年度数据": YEARS}))
    assert batch.status == Status.CHECKING and DBTaskResult.objects.get(id=batch.task_id).status == "READY"

    worker = worker_process()
    assert worker.returncode == 0, worker.stderr[-3000:]
    batch.refresh_from_db()
    assert batch.status == Status.CHECKED and batch.importable_count == 10
    task = DBTaskResult.objects.get(id=batch.task_id)
    assert task.status == "SUCCESSFUL" and task.worker_ids and task.finished_at is not None


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("queued")
def test_a_check_that_fails_is_recorded_on_the_batch_and_in_the_task_result(
    users: dict[str, User], monkeypatch: pytest.MonkeyPatch
) -> None:
    from gaoqi.imports import services

    def broken(*_args: Any, **_kwargs: Any) -> None:
        raise RuntimeError("a bug in the check")

    monkeypatch.setattr(services, "check_workbook", broken)
    client = signed_in(users[Role.BUREAU_OFFICER])
    batch = uploaded(client, filled_template({"企业": [ENTERPRISE]}))
    run_queue()

    batch.refresh_from_db()
    assert batch.status == Status.REJECTED and "内部错误，未导入任何数据" in batch.message
    task = DBTaskResult.objects.get(id=batch.task_id)
    assert task.status == "FAILED" and task.exception_class_path == "builtins.RuntimeError"
    assert "a bug in the check" in task.traceback
    assert "内部错误" in client.get(reverse("imports:detail", args=[batch.pk])).content.decode()


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("queued")
def test_a_commit_that_fails_half_way_writes_nothing_and_says_so(
    users: dict[str, User], monkeypatch: pytest.MonkeyPatch
) -> None:
    from gaoqi.imports import services

    client = signed_in(users[Role.BUREAU_OFFICER])
    batch = uploaded(client, filled_template({"企业": [ENTERPRISE], "年度数据": YEARS}))
    run_queue()

    def broken(*_args: Any, **_kwargs: Any) -> None:
        raise RuntimeError("the audit log is down")

    monkeypatch.setattr(services, "audit_log_bulk", broken)  # after every row of the file has been written
    client.post(reverse("imports:commit", args=[batch.pk]), {"mode": "all"})
    run_queue()

    batch.refresh_from_db()
    assert batch.status == Status.REJECTED and "未导入任何数据" in batch.message
    assert not Enterprise.objects.filter(uscc=NEW).exists()
    task = DBTaskResult.objects.get(id=batch.task_id)
    assert task.status == "FAILED" and "the audit log is down" in task.traceback


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("queued")
def test_work_given_up_on_while_it_waited_is_not_done(users: dict[str, User]) -> None:
    """A batch the nightly purge marked interrupted is not committed when a worker comes back to it much later."""
    client = signed_in(users[Role.BUREAU_OFFICER])
    batch = uploaded(client, filled_template({"企业": [ENTERPRISE]}))
    run_queue()
    client.post(reverse("imports:commit", args=[batch.pk]), {"mode": "all"})
    ImportBatch.objects.filter(pk=batch.pk).update(updated_at=timezone.now() - timedelta(days=60))

    import_batches_purge_task.call()
    run_queue()
    batch.refresh_from_db()
    assert batch.status == Status.REJECTED and "处理中断" in batch.message
    assert not Enterprise.objects.filter(uscc=NEW).exists()
    assert DBTaskResult.objects.get(id=batch.task_id).return_value == "rejected"


@pytest.mark.django_db
def test_the_nightly_purge_lets_go_of_batches_untouched_for_30_days(users: dict[str, User]) -> None:
    officer = users[Role.BUREAU_OFFICER]

    def batch(status: str, days_ago: int) -> ImportBatch:
        made = ImportBatch.objects.create(created_by=officer, file_name=f"{status}.xlsx", content=b"PK", status=status)
        ImportBatch.objects.filter(pk=made.pk).update(updated_at=timezone.now() - timedelta(days=days_ago))
        return made

    previewed, committed, stalled = batch(Status.CHECKED, 31), batch(Status.COMMITTED, 40), batch(Status.CHECKING, 31)
    recent = batch(Status.CHECKED, 29)

    assert import_batches_purge_task.call() == 3
    assert import_batches_purge_task.call() == 0  # nothing left to drop the next night
    states = {b.pk: (b.status, bytes(b.content)) for b in ImportBatch.objects.all()}
    assert states == {
        previewed.pk: (Status.CANCELLED, b""),
        committed.pk: (Status.COMMITTED, b""),
        stalled.pk: (Status.REJECTED, b""),
        recent.pk: (Status.CHECKED, b"PK"),
    }
    assert "自动取消" in ImportBatch.objects.get(pk=previewed.pk).message
