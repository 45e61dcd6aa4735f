"""Wagtail admin for certificates: templates and course settings (snippets), plus the scoped
certificate list, manual issue, revoke, re-render and bulk ZIP screens, in one menu group."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from lms.org.api import has_role

from . import admin_views as views
from .models import CertificateTemplate, CourseCertificateSetting


class CertificateTemplateViewSet(SnippetViewSet):
    model = CertificateTemplate
    icon = "doc-full-inverse"
    menu_label = _("Mẫu giấy chứng nhận")
    add_to_admin_menu = False
    list_display = ["name", "issuing_body", "serial_prefix", "orientation"]
    search_fields = ["name", "issuing_body"]


class CourseCertificateSettingViewSet(SnippetViewSet):
    model = CourseCertificateSetting
    icon = "cog"
    menu_label = _("Cấp chứng nhận theo khóa học")
    add_to_admin_menu = False
    list_display = ["course", "template", "validity_months", "is_active"]

    def get_queryset(self, request):
        return CourseCertificateSetting.objects.select_related("course", "template")


register_snippet(CertificateTemplateViewSet)
register_snippet(CourseCertificateSettingViewSet)

urlpatterns = [
    path("", views.certificate_list, name="list"),
    path("cap/", views.certificate_issue_view, name="issue"),
    path("<int:pk>/pdf/", views.certificate_pdf, name="pdf"),
    path("<int:pk>/thu-hoi/", views.certificate_revoke_view, name="revoke"),
    path("<int:pk>/tao-lai/", views.certificate_rerender_view, name="rerender"),
    path("mau/tao-lai/", views.template_rerender_view, name="template_rerender"),
    path("zip/", views.bulk_export_view, name="bulk"),
    path("zip/<int:pk>/", views.bulk_export_detail, name="bulk_detail"),
    path("zip/<int:pk>/trang-thai/", views.bulk_export_status, name="bulk_status"),
    path("zip/<int:pk>/tai-ve/", views.bulk_export_download, name="bulk_download"),
]


@hooks.register("register_admin_urls")
def register_certificate_urls():
    return [path("chung-nhan/", include((urlpatterns, "certificates_admin")))]


class ManagerMenuItem(MenuItem):
    def is_shown(self, request):
        return has_role(request.user, *views.MANAGING)


class PermissionMenuItem(MenuItem):
    def __init__(self, *args, model, **kwargs):
        self.model = model
        super().__init__(*args, **kwargs)

    def is_shown(self, request):
        opts = self.model._meta
        return request.user.has_perm(f"{opts.app_label}.change_{opts.model_name}")


@hooks.register("register_admin_menu_item")
def register_certificates_menu():
    menu = Menu(
        items=[
            ManagerMenuItem(
                _("Danh sách giấy chứng nhận"),
                reverse("certificates_admin:list"),
                icon_name="list-ul",
                order=100,
            ),
            ManagerMenuItem(
                _("Tải ZIP theo đơn vị"),
                reverse("certificates_admin:bulk"),
                icon_name="download",
                order=200,
            ),
            PermissionMenuItem(
                _("Mẫu giấy chứng nhận"),
                reverse("wagtailsnippets_certificates_certificatetemplate:list"),
                icon_name="doc-full-inverse",
                order=300,
                model=CertificateTemplate,
            ),
            PermissionMenuItem(
                _("Cấp chứng nhận theo khóa học"),
                reverse("wagtailsnippets_certificates_coursecertificatesetting:list"),
                icon_name="cog",
                order=400,
                model=CourseCertificateSetting,
            ),
        ]  # fmt: skip
    )
    return SubmenuMenuItem(
        _("Giấy chứng nhận"), menu, name="certificates", icon_name="doc-full", order=450
    )
