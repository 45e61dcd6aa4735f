from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView
from django.views.i18n import JavaScriptCatalog
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from lms.api import api

urlpatterns = [
    # One login page for staff and learners (django-axes guards it).
    path(
        "admin/login/",
        RedirectView.as_view(url="/tai-khoan/dang-nhap/", query_string=True),
        name="admin_login_redirect",
    ),
    path("admin/", include(wagtailadmin_urls)),
    path("api/", api.urls),
    path("django-admin/", admin.site.urls),
    path("documents/", include(wagtaildocs_urls)),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("tai-khoan/", include("lms.accounts.urls")),
    path("hoc-tap/diem-danh/", include("lms.training.urls")),  # QR check-in for sessions
    path("hoc-tap/thong-bao/", include("lms.training.urls_notifications")),  # “Thông báo”
    path("hoc-tap/", include("courses.urls")),
    path("kiem-tra/", include("assessments.urls")),
    path("tim-kiem/", include("cms.public.urls")),  # site-wide search
    path("xac-minh/", include("certificates.urls")),  # public certificate verification
    path("chung-nhan/", include("certificates.urls_learner")),  # “Chứng nhận của tôi”
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Wagtail's page serving catches everything else, so it comes last.
urlpatterns += [path("", include(wagtail_urls))]
