"""Development: the embedded defaults (SQLite, local files, console email, no broker needed)."""

from .base import *  # noqa: F403
from .env import env_bool

DEBUG = env_bool("DEBUG", True)
# Local development only; never used by production.py.
SECRET_KEY = SECRET_KEY  # noqa: F405

VAR_DIR.mkdir(parents=True, exist_ok=True)  # noqa: F405
