"""The project HTTP API (django-ninja), mounted at /api/, documented at /api/docs.

Callers authenticate with their session (staff screens) or with a bearer token
(`Authorization: Bearer <token>`) created in the admin under Settings → API tokens. A token acts
as its owner: it sees exactly what the owner sees on the staff screens.
"""

from django.contrib.auth.decorators import login_required
from ninja import NinjaAPI
from ninja.security import django_auth
from wagtail.api.v3.auth import BearerTokenAuth

from lms.org.api_routes import router as org_router

api = NinjaAPI(
    title="API hệ thống bồi dưỡng dân chủ ở cơ sở",
    version="1",
    description="Dữ liệu tổ chức (đơn vị, người học) theo đúng phạm vi quản lý của tài khoản gọi API.",
    auth=[BearerTokenAuth(), django_auth],
    urls_namespace="api",
    docs_url="/docs",
    docs_decorator=login_required,
)
api.add_router("/org/", org_router)
api.add_router("/reports/", "lms.reports.api_routes.router")
