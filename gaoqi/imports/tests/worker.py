"""A real queue for the tests that need one: the database backend, and the worker of ``manage.py db_worker`` run to the
end of the queue in this process, on a thread beside a live server, or as a process of its own.

The tests' settings run tasks at once (the immediate backend); these use the queue as production does, so they need a
database their worker can see: ``django_db(transaction=True)`` or a live server.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote

from django.db import connection, connections
from django_tasks_db.management.commands.db_worker import Worker

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
ROOT = Path(__file__).resolve().parents[3]


def _worker(*, batch: bool) -> Worker:
    return Worker(
        queue_names=["default"],
        interval=0.2,  # how long an idle worker waits before it looks again; each look takes the write lock
        batch=batch,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id=f"test-{threading.get_ident()}",
        excluded_queue_names=[],
    )


def run_queue() -> None:
    """Run every task waiting, in this process and on this thread, as ``manage.py db_worker --batch`` would."""
    _worker(batch=True).run()


@contextmanager
def worker_running() -> Iterator[None]:
    """A worker polling the queue on a thread of its own (with its own database connection) until the block ends."""
    worker = _worker(batch=False)

    def run() -> None:
        try:
            worker.run()
        finally:
            connections.close_all()

    thread = threading.Thread(target=run, name="task-worker", daemon=True)
    thread.start()
    try:
        yield
    finally:
        worker.running = False
        thread.join(timeout=60)


def worker_process() -> subprocess.CompletedProcess[str]:
    """``manage.py db_worker --batch`` as a new process, with the demo's settings and the tests' database: it knows
    nothing of this process, only what the database holds."""
    env = {**os.environ, "DATABASE_URL": _database_url(connection.settings_dict)}
    env["DJANGO_SETTINGS_MODULE"] = "config.settings.local"
    command = ["manage.py", "db_worker", "--batch", "--no-startup-delay", "--no-reload", "--interval", "0"]
    return subprocess.run(
        [sys.executable, *command], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False
    )


def _database_url(database: dict[str, Any]) -> str:
    if database["ENGINE"] == "django.db.backends.sqlite3":
        return f"sqlite:///{database['NAME']}"
    user = quote(database["USER"] or "", safe="")
    password = f":{quote(database['PASSWORD'], safe='')}" if database["PASSWORD"] else ""
    return f"postgres://{user}{password}@{database['HOST']}:{database['PORT'] or 5432}/{database['NAME']}"
