"""Enqueue the nightly jobs: run once a night by cron or a systemd timer, while a worker (`manage.py db_worker`) runs.

    # /etc/cron.d/gaoqi
    30 2 * * *  gaoqi  cd /srv/gaoqi && .venv/bin/python manage.py nightly

    # or /etc/systemd/system/gaoqi-nightly.timer, beside a gaoqi-nightly.service (Type=oneshot) whose ExecStart is
    # the same command
    [Timer]
    OnCalendar=*-*-* 02:30
    Persistent=true

The jobs are the tasks named in ``settings.GAOQI_NIGHTLY_TASKS``; each runs on the worker like any other task, and
one that fails is kept with its error among the task results.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils.module_loading import import_string
from django_tasks.base import Task


class Command(BaseCommand):
    help = "Enqueue the nightly jobs (settings.GAOQI_NIGHTLY_TASKS) for the task worker."

    def handle(self, *args: Any, **options: Any) -> None:
        for path in settings.GAOQI_NIGHTLY_TASKS:
            job = import_string(path)
            if not isinstance(job, Task):
                raise TypeError(f"{path} is not a task")
            result = job.enqueue()
            self.stdout.write(f"{path}: {result.status} ({result.id})")
