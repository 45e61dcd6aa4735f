"""Settings for bench/quiz_load.py: production settings over plain HTTP on loopback, plus the reference view.

Everything else (PostgreSQL, Redis cache and sessions, persistent DB connections, no DEBUG) is production's.
"""

from lms.settings.production import *  # noqa: F403

# The benchmark talks plain HTTP to 127.0.0.1; secure-only cookies would never be sent back.
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
ROOT_URLCONF = "bench.quiz_bench_urls"
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
