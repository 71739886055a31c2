"""The import's long work as tasks on the queue: a large file's check and commit, and the nightly letting go of old
batches. A worker process (``manage.py db_worker``) runs them, so they go on when the web process restarts.

A task that fails in a way nobody foresaw says so twice: on the batch, which the officer's page shows, and in the task
result, which keeps the error and its traceback for the administrator. Nothing of the file is written then: the
commit's transaction has rolled back.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django_tasks import task

# the module, not its names: the services enqueue these tasks, so each module reads the other only when called
from gaoqi.imports import services
from gaoqi.imports.models import ImportBatch

Status = ImportBatch.Status


@task()
def import_batch_check_task(*, batch_id: int) -> str:
    """Check an uploaded batch into its preview; returns the batch's status."""
    batch = ImportBatch.objects.get(pk=batch_id)
    if batch.status != Status.CHECKING:
        return str(batch.status)  # given up on while it waited (the nightly purge marks long-stalled work interrupted)
    try:
        return str(services.import_batch_check(batch).status)
    except Exception:
        services.import_batch_fail(batch_id=batch_id)
        raise


@task()
def import_batch_commit_task(*, batch_id: int, actor_id: int) -> str:
    """Commit a batch claimed for committing, checking it again first; returns the batch's status."""
    batch = ImportBatch.objects.get(pk=batch_id)
    if batch.status != Status.COMMITTING:
        return str(batch.status)
    try:
        return str(services.import_batch_commit(batch, actor_id=actor_id).status)
    except Exception:
        services.import_batch_fail(batch_id=batch_id)
        raise


@task()
def import_batches_purge_task() -> int:
    """Nightly: let go of the batches untouched for ``GAOQI_IMPORT_KEEP_DAYS`` days; returns how many files were
    dropped."""
    before = timezone.now() - timedelta(days=settings.GAOQI_IMPORT_KEEP_DAYS)
    return services.import_batches_purge(before=before)
