"""Production: PostgreSQL, Redis, S3-compatible media. Refuses to start without its configuration."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .env import env_bool, env_int, env_list, env_str

DEBUG = False
SECRET_KEY = env_str("SECRET_KEY", required=True)
if len(SECRET_KEY) < 50 or SECRET_KEY.startswith("dev-only"):
    raise ImproperlyConfigured("SECRET_KEY phải là chuỗi ngẫu nhiên dài ít nhất 50 ký tự.")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("Thiếu biến môi trường bắt buộc ALLOWED_HOSTS.")
env_str("DATABASE_URL", required=True)
REDIS_URL = env_str("REDIS_URL", required=True)
env_str("EMAIL_URL", required=True)

CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
}
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", REDIS_URL)
CELERY_RESULT_BACKEND = env_str("CELERY_RESULT_BACKEND", REDIS_URL)
CELERY_TASK_ALWAYS_EAGER = False
SESSION_ENGINE = "django.contrib.sessions.backends.cache"
DATABASES["default"]["CONN_MAX_AGE"] = env_int("DB_CONN_MAX_AGE", 60)  # noqa: F405
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True  # noqa: F405

# Media on S3-compatible storage: no state on an app server's local disk.
if env_str("AWS_STORAGE_BUCKET_NAME"):
    STORAGES["default"] = {  # noqa: F405
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env_str("AWS_STORAGE_BUCKET_NAME"),
            "endpoint_url": env_str("AWS_S3_ENDPOINT_URL") or None,
            "region_name": env_str("AWS_S3_REGION_NAME") or None,
            "default_acl": None,
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
elif not env_bool("ALLOW_LOCAL_MEDIA", False):
    raise ImproperlyConfigured(
        "Cần AWS_STORAGE_BUCKET_NAME (lưu trữ S3) hoặc ALLOW_LOCAL_MEDIA=true khi chỉ có một máy chủ."
    )

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
# Nothing may frame the site; Wagtail's preview views opt back in to SAMEORIGIN themselves,
# and the CSP `frame-ancestors 'self'` directive governs modern browsers.
X_FRAME_OPTIONS = "DENY"
WAGTAILADMIN_BASE_URL = env_str("WAGTAILADMIN_BASE_URL", required=True)
