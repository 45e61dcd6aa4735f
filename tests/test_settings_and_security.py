"""Production settings: deploy checks pass, missing configuration fails fast, headers are sent."""

from __future__ import annotations

import json
import os
import secrets
import string
import subprocess
import sys
from pathlib import Path

import pytest

from cms.site_setup import home_page_ensure

ROOT = Path(__file__).resolve().parent.parent

PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "lms.settings.production",
    "ALLOWED_HOSTS": "lms.example.org",
    "DATABASE_URL": "postgres://lms@db.example.org:5432/lms",
    "REDIS_URL": "redis://cache.example.org:6379/0",
    "EMAIL_URL": "smtp://mailer:secret@mail.example.org:587/?tls=True",
    "WAGTAILADMIN_BASE_URL": "https://lms.example.org",
    "ALLOW_LOCAL_MEDIA": "true",
}
CONFIG_VARIABLES = (
    *PRODUCTION_ENV, "SECRET_KEY", "AWS_STORAGE_BUCKET_NAME", "AWS_S3_ENDPOINT_URL",
    "AWS_S3_REGION_NAME", "CELERY_BROKER_URL", "CELERY_RESULT_BACKEND", "DEBUG",
    "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "LMS_VAR_DIR",
)  # fmt: skip


def _secret_key() -> str:
    alphabet = string.ascii_letters + string.digits + "!@#%^&*(-_=+)"
    return "".join(secrets.choice(alphabet) for _ in range(60))


def _run(args: list[str], **overrides: str | None) -> subprocess.CompletedProcess:
    # The browser tests set DJANGO_ALLOW_ASYNC_UNSAFE in this process; a deployment never does.
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in CONFIG_VARIABLES and k != "DJANGO_ALLOW_ASYNC_UNSAFE"
    }
    env.update(PRODUCTION_ENV, SECRET_KEY=_secret_key())
    for name, value in overrides.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_check_deploy_reports_nothing_with_production_settings():
    result = _run(["manage.py", "check", "--deploy", "--fail-level", "DEBUG"])
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


MISSING_CASES = [
    ("SECRET_KEY", None),
    ("SECRET_KEY", "too-short"),
    ("ALLOWED_HOSTS", None),
    ("DATABASE_URL", None),
    ("REDIS_URL", None),
    ("EMAIL_URL", None),
    ("WAGTAILADMIN_BASE_URL", None),
    ("ALLOW_LOCAL_MEDIA", None),  # and no AWS_STORAGE_BUCKET_NAME either
]

# One interpreter tries every case: each imports the production settings afresh.
_TRY_CASES = """
import importlib, json, os, sys
from django.core.exceptions import ImproperlyConfigured
results = []
base_env = dict(os.environ)
for variable, value in json.loads(sys.argv[1]):
    os.environ.clear()
    os.environ.update(base_env)
    if value is None:
        os.environ.pop(variable, None)
    else:
        os.environ[variable] = value
    for name in [m for m in sys.modules if m.startswith("lms.settings")]:
        del sys.modules[name]
    try:
        importlib.import_module("lms.settings.production")
        results.append(None)
    except ImproperlyConfigured as error:
        results.append(str(error))
print(json.dumps(results))
"""


@pytest.fixture(scope="module")
def startup_errors() -> dict[tuple[str, str | None], str | None]:
    result = _run(["-c", _TRY_CASES, json.dumps(MISSING_CASES)])
    assert result.returncode == 0, result.stderr
    errors = json.loads(result.stdout.strip().splitlines()[-1])
    return dict(zip(MISSING_CASES, errors, strict=True))


@pytest.mark.parametrize(("variable", "value"), MISSING_CASES)
def test_production_refuses_to_start_without_required_configuration(
    startup_errors, variable, value
):
    message = startup_errors[(variable, value)]
    assert message is not None, f"production settings started without {variable}"
    expected = "AWS_STORAGE_BUCKET_NAME" if variable == "ALLOW_LOCAL_MEDIA" else variable
    assert expected in message


def test_production_settings_load_when_everything_is_configured():
    result = _run(["-c", _TRY_CASES, json.dumps([["UNUSED_VARIABLE", None]])])
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1]) == [None]


_PRINT_SETTINGS = (
    "import django, json; django.setup(); from django.conf import settings as s; "
    "print(json.dumps({'storage': s.STORAGES['default'], 'email': s.EMAIL_BACKEND, "
    "'email_host': s.EMAIL_HOST, 'email_tls': s.EMAIL_USE_TLS, 'cache': s.CACHES['default'], "
    "'broker': s.CELERY_BROKER_URL, 'eager': s.CELERY_TASK_ALWAYS_EAGER, "
    "'db': s.DATABASES['default']['ENGINE']}, default=str))"
)


def test_production_uses_s3_media_smtp_email_redis_and_postgresql():
    result = _run(
        ["-c", _PRINT_SETTINGS],
        AWS_STORAGE_BUCKET_NAME="lms-media",
        AWS_S3_ENDPOINT_URL="https://s3.example.org",
        ALLOW_LOCAL_MEDIA=None,
    )
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout.strip().splitlines()[-1])
    assert values["storage"]["BACKEND"] == "storages.backends.s3.S3Storage"
    assert values["storage"]["OPTIONS"]["bucket_name"] == "lms-media"
    assert values["storage"]["OPTIONS"]["endpoint_url"] == "https://s3.example.org"
    assert values["email"] == "django.core.mail.backends.smtp.EmailBackend"
    assert (values["email_host"], values["email_tls"]) == ("mail.example.org", True)
    assert values["cache"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert values["broker"] == PRODUCTION_ENV["REDIS_URL"]
    assert values["eager"] is False
    assert values["db"] == "django.db.backends.postgresql"


@pytest.mark.django_db
def test_public_page_sends_security_headers_and_a_content_security_policy(client):
    home_page_ensure()
    response = client.get("/")
    assert response.status_code == 200
    csp = response.headers["Content-Security-Policy"]
    directives = dict(
        (part.split(" ", 1) + [""])[:2] for part in (d.strip() for d in csp.split(";")) if part
    )
    assert directives["default-src"] == "'self'"
    # Scripts only from the site itself (plus a per-request nonce where a page needs one).
    assert directives["script-src"].split()[0] == "'self'"
    assert "'unsafe-inline'" not in directives["script-src"]
    assert "'unsafe-eval'" not in directives["script-src"]
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'self'"
    assert directives["base-uri"] == "'self'"
    assert directives["form-action"] == "'self'"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response.headers["X-Frame-Options"] in {"DENY", "SAMEORIGIN"}
