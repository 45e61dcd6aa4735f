"""Test settings: fast hashing, in-memory email, Celery always eager (worker tests excepted)."""

from .base import *  # noqa: F403
from .env import env_str

DEBUG = False
SECRET_KEY = "test-only-secret-key-not-for-production-use-0123456789"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = VAR_DIR / "test-media"  # noqa: F405
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Tests use SQLite in memory unless DATABASE_URL says otherwise (CI runs the suite on PostgreSQL too).
if not env_str("DATABASE_URL"):
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": ":memory:",
            "TEST": {"NAME": ":memory:"},
        }
    }
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
if env_str("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": env_str("REDIS_URL"),
        }
    }
AXES_FAILURE_LIMIT = 5
WAGTAILADMIN_BASE_URL = "http://testserver"
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
# Tasks run eagerly in tests even when CI provides a broker; only the tests marked
# `celery_worker` switch to a real worker process (tests/test_celery_worker.py).
CELERY_TASK_ALWAYS_EAGER = True
# Tests never run collectstatic: WhiteNoise looks files up on each request instead.
WHITENOISE_AUTOREFRESH = True
# Most tests run inside one transaction that never commits, so on-commit hooks never fire: report
# counts are refreshed at once by the same code (tests/reports/test_counts.py turns this off to
# exercise the real on-commit → Celery path).
REPORTS_COUNTS_IMMEDIATE = True
