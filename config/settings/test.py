"""Tests: the same settings, a fast password hasher, a fixed key."""

import os
import tempfile

from config.settings.base import *  # noqa: F403

SECRET_KEY = "gaoqi-tests-only"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Tasks run at once, inside the call that enqueues them; the tests of the queue itself switch to the database backend
# and run a worker (gaoqi/imports/tests/worker.py).
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
STORAGES = {
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
}

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A file, not SQLite's shared in-memory database: there a reader and a writer on two threads (the live server and
    # an import's worker) fail at once with "table is locked" instead of waiting, which the real database never does.
    DATABASES["default"]["TEST"] = {"NAME": os.path.join(tempfile.gettempdir(), f"gaoqi-test-{os.getpid()}.sqlite3")}  # noqa: F405
