"""Tests: the same settings, a fast password hasher, a fixed key."""

from config.settings.base import *  # noqa: F403

SECRET_KEY = "gaoqi-tests-only"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
}
