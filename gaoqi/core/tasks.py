"""Tasks that keep the queue itself in order."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django_tasks import task
from django_tasks_db.models import DBTaskResult


@task()
def task_results_prune() -> int:
    """Nightly: delete the results of tasks finished more than ``GAOQI_TASK_RESULTS_KEEP_DAYS`` days ago, failed ones
    included (their error has long been recorded where the work belongs, an import on its batch); returns how many."""
    before = timezone.now() - timedelta(days=settings.GAOQI_TASK_RESULTS_KEEP_DAYS)
    deleted, _by_model = DBTaskResult.objects.finished().filter(finished_at__lt=before).delete()
    return deleted
