"""Local development and the demo: debugging on, a fixed development key."""

from config.settings.base import *  # noqa: F403
from config.settings.base import SECRET_KEY

DEBUG = True
SECRET_KEY = SECRET_KEY or "gaoqi-local-development-only-not-secret"
