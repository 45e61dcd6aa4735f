"""Settings shared by every environment. Everything configurable comes from the environment."""

from pathlib import Path

import dj_database_url
import dj_email_url
from django.utils.translation import gettext_lazy as _

from .env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(env_str("LMS_VAR_DIR", str(BASE_DIR / "var")))

SECRET_KEY = env_str("SECRET_KEY", "dev-only-insecure-key-change-me")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    # Project apps (listed first so their templates override third-party ones).
    "lms.accounts",
    "lms.org",
    "lms.training",
    "lms.reports",
    "lms.dissemination",
    "courses",
    "assessments",
    "certificates",
    "cms",
    "cms.consultations",
    "cms.contests",
    "cms.legal",
    "cms.public",
    # Wagtail
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    # API tokens (hashed, revocable, managed in the admin) for the project API at /api/.
    "wagtail.api.v3",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    # Django
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # Third party
    "axes",
    "csp",
    "ninja",  # serves the API docs assets locally (no CDN, strict CSP holds)
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "lms.accounts.middleware.AdminContentSecurityPolicyMiddleware",
    "lms.accounts.middleware.ForcePasswordChangeMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Axes must be last: it inspects the response of the login views.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "lms.urls"
WSGI_APPLICATION = "lms.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "lms" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "wagtail.contrib.settings.context_processors.settings",
                "lms.accounts.context_processors.roles",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
# Embedded default: SQLite in var/. Production: DATABASE_URL=postgres://...
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
        conn_max_age=env_int("DB_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {})
    # WAL + a busy timeout let the dev server and an eager Celery task share the file.
    DATABASES["default"]["OPTIONS"].update(
        {"timeout": 20, "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"}
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Auth -----------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "lms.accounts.backends.IdentifierBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:home"
LOGOUT_REDIRECT_URL = "/"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 8},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24

# django-axes: lock an identifier+IP after repeated failures.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 0.5  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False
# Count failures per account however it is spelled (username, email, +84/0 phone forms).
AXES_USERNAME_CALLABLE = "lms.accounts.backends.axes_username"

# --- Internationalisation --------------------------------------------------------------------
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
WAGTAIL_CONTENT_LANGUAGES = [("vi", "Tiếng Việt")]
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
# locale_overrides/ holds hand-maintained Vietnamese for Wagtail admin strings that Wagtail's own
# vi catalogue lacks. Every LOCALE_PATHS catalogue wins over app catalogues (Wagtail's); it stays
# second because makemessages writes into LOCALE_PATHS[0] (the two share no msgid).
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale_overrides"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
# Django's "vi" locale defines no input formats, so forms would read 05/03/2026 as May 3rd.
# Vietnamese readers write day/month/year (also what WAGTAIL_DATE_FORMAT shows).
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y"]
DATETIME_INPUT_FORMATS = [
    "%d/%m/%Y %H:%M",
    "%d/%m/%Y %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%dT%H:%M",
    "%Y-%m-%d",
    "%d/%m/%Y",
]

# --- Static and media ----------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "lms" / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

# Uploads: keep request bodies bounded; per-feature limits live in lms.core.uploads.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 5000
MAX_IMPORT_FILE_BYTES = env_int("MAX_IMPORT_FILE_BYTES", 10 * 1024 * 1024)
MAX_IMPORT_ROWS = env_int("MAX_IMPORT_ROWS", 50_000)
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILIMAGES_EXTENSIONS = ["jpg", "jpeg", "png", "webp", "gif"]
# Size limits per format for every document upload: cms/public/uploads.py.
WAGTAILDOCS_DOCUMENT_FORM_BASE = "cms.public.uploads.LimitedDocumentForm"
WAGTAILDOCS_EXTENSIONS = [
    "pdf",
    "docx",
    "xlsx",
    "doc",
    "xls",
    "odt",
    "mp3",
    "mp4",
    "m4a",
    "ogg",
    "wav",
    "txt",
    "csv",
]

# --- Email ---------------------------------------------------------------------------------
_email = dj_email_url.parse(env_str("EMAIL_URL", "console://"))
EMAIL_BACKEND = _email["EMAIL_BACKEND"]
EMAIL_HOST = _email.get("EMAIL_HOST") or "localhost"
EMAIL_PORT = _email.get("EMAIL_PORT") or 25
EMAIL_HOST_USER = _email.get("EMAIL_HOST_USER") or ""
EMAIL_HOST_PASSWORD = _email.get("EMAIL_HOST_PASSWORD") or ""
EMAIL_USE_TLS = bool(_email.get("EMAIL_USE_TLS"))
EMAIL_USE_SSL = bool(_email.get("EMAIL_USE_SSL"))
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Hệ thống bồi dưỡng DCCS <no-reply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Cache ---------------------------------------------------------------------------------
REDIS_URL = env_str("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "lms_cache",
        }
    }

# --- Celery (see lms/celery.py) --------------------------------------------------------------
# With no broker configured (the embedded default) tasks run eagerly in-process.
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", REDIS_URL)
CELERY_RESULT_BACKEND = env_str("CELERY_RESULT_BACKEND", REDIS_URL)
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
if CELERY_TASK_ALWAYS_EAGER:
    # Eager apply_async still builds a (never used) producer; an in-memory transport keeps it
    # from looking for an AMQP server and warning "No hostname was supplied".
    CELERY_BROKER_URL = "memory://localhost/"
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE: dict = {}
# Quiz attempts left open past deadline + grace are submitted with their saved answers.
CELERY_BEAT_SCHEDULE["assessments-close-expired-attempts"] = {
    "task": "assessments.tasks.attempts_close_expired",
    "schedule": 60.0,
}
# Training reminders (at most once per event, keyed) and the weekly digest to unit managers.
from celery.schedules import crontab  # noqa: E402

CELERY_BEAT_SCHEDULE["training-due-reminders"] = {
    "task": "training.send_due_reminders",
    "schedule": crontab(hour=7, minute=0),
}
CELERY_BEAT_SCHEDULE["training-manager-digests"] = {
    "task": "training.send_manager_digests",
    "schedule": crontab(hour=7, minute=30, day_of_week="mon"),
}
# Certificates: one email per certificate, 30 days before it expires (idempotent).
CELERY_BEAT_SCHEDULE["certificates-expiry-reminders"] = {
    "task": "certificates.send_expiry_reminders",
    "schedule": crontab(hour=6, minute=45),
}
# Report completion counts: safety net behind the on-commit refresh (decision 0008).
CELERY_BEAT_SCHEDULE["reports-counts-reconcile"] = {
    "task": "reports.counts_reconcile",
    "schedule": 60.0,
}
# Contest rounds past their close are summed up once (ranking fixed, dissemination recorded).
CELERY_BEAT_SCHEDULE["contests-close-due-rounds"] = {
    "task": "contests.close_due_rounds",
    "schedule": 60.0,
}
# Public certificate verification: requests per client IP per window (seconds).
CERTIFICATES_VERIFY_RATE_LIMIT = (env_int("CERTIFICATES_VERIFY_RATE_LIMIT", 30), 300)
# Seconds after an attempt's deadline during which in-flight answer saves are still accepted.
ASSESSMENTS_GRACE_SECONDS = env_int("ASSESSMENTS_GRACE_SECONDS", 30)
# Public (no-account) quiz registrations allowed per client IP per hour.
ASSESSMENTS_PUBLIC_RATE_PER_HOUR = env_int("ASSESSMENTS_PUBLIC_RATE_PER_HOUR", 30)
# Rate limits key on the client address: REMOTE_ADDR, or the META key of a header that the reverse
# proxy overwrites with the client's address (e.g. HTTP_X_REAL_IP). lms/core/http.py.
CLIENT_IP_HEADER = env_str("CLIENT_IP_HEADER", "")

# --- Wagtail -------------------------------------------------------------------------------
WAGTAIL_SITE_NAME = "Bồi dưỡng dân chủ ở cơ sở"
WAGTAILADMIN_BASE_URL = env_str("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAIL_I18N_ENABLED = False
WAGTAIL_ENABLE_UPDATE_CHECK = False
# Page URLs stay ASCII ("bai-1-quyen-cua-cong-dan"), so shared links are not percent-encoded.
WAGTAIL_ALLOW_UNICODE_SLUGS = False
WAGTAIL_DATE_FORMAT = "%d/%m/%Y"
WAGTAIL_DATETIME_FORMAT = "%d/%m/%Y %H:%M"
WAGTAIL_PASSWORD_RESET_ENABLED = True
# One login page for everyone: the admin sends anonymous visitors to the site login.
WAGTAILADMIN_LOGIN_URL = "/tai-khoan/dang-nhap/"
WAGTAIL_FRONTEND_LOGIN_URL = WAGTAILADMIN_LOGIN_URL
WAGTAILUSERS_PASSWORD_ENABLED = True

# --- Security (tightened further in production.py) ------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "SAMEORIGIN"
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the cookie-free meta tag; keep default
SESSION_COOKIE_AGE = 60 * 60 * 12

from csp.constants import NONCE, SELF  # noqa: E402

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        # Wagtail admin uses inline style attributes.
        "style-src": [SELF, "'unsafe-inline'"],
        "img-src": [SELF, "data:", "blob:"],
        "media-src": [SELF, "blob:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "frame-src": [SELF, "https://www.youtube.com", "https://www.youtube-nocookie.com"],
        "frame-ancestors": [SELF],
        "form-action": [SELF],
        "base-uri": [SELF],
        "object-src": ["'none'"],
    }
}
# Wagtail admin needs inline scripts; its pages are served with a relaxed policy.
CSP_ADMIN_PATH_PREFIXES = ("/admin/", "/django-admin/")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

SITE_TITLE = _("Bồi dưỡng và phổ biến pháp luật về dân chủ ở cơ sở")
