"""Wagtail admin screens: the scoped certificate list, manual issue, revoke, re-render, bulk ZIP.

Every screen is for unit managers and administrators; each one sees only their unit subtree.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from lms.core.text import fold
from lms.org.api import StaffRole, has_role, is_system_admin, visible_people, visible_units

from .models import BulkExport, Certificate, CertificateTemplate
from .selectors import certificates_visible_to
from .services import (
    CertificateError,
    bulk_export_create,
    certificate_issue_manual,
    certificate_rerender,
    certificate_revoke,
)
from .tasks import template_rerender_task

MANAGING = (StaffRole.Role.MANAGER, StaffRole.Role.ADMIN)
MSG_ISSUED = _("Đã cấp giấy chứng nhận số %(serial)s cho %(name)s.")
MSG_REVOKED = _("Đã thu hồi giấy chứng nhận số %(serial)s.")
MSG_RERENDER = _("Đang tạo lại tệp PDF của giấy chứng nhận số %(serial)s; số và mã giữ nguyên.")
MSG_TEMPLATE_RERENDER = _("Đang tạo lại %(count)s giấy chứng nhận theo mẫu “%(name)s”.")
MSG_EXPORT_STARTED = _("Đang tạo tệp ZIP. Trang này tự cập nhật tiến độ.")
PAGE_SIZE = 50


def _require_manager(request) -> None:
    if not has_role(request.user, *MANAGING):
        raise PermissionDenied


def _scoped(request):
    return certificates_visible_to(user=request.user)


def _courses_with_setting():
    from courses.models import CoursePage  # the page model is what the setting points at

    return CoursePage.objects.filter(certificate_setting__isnull=False).order_by("-year", "title")


def _page(request, template: str, title: str, context: dict, status: int = 200):
    context = {"page_title": title, "header_icon": "doc-full", **context}
    return TemplateResponse(request, template, context, status=status)


# --- List ----------------------------------------------------------------------------------


class FilterForm(forms.Form):
    q = forms.CharField(label=_("Tìm theo tên, số"), required=False)
    year = forms.IntegerField(label=_("Năm"), required=False, min_value=2000, max_value=2100)
    status = forms.ChoiceField(
        label=_("Trạng thái"),
        required=False,
        choices=[("", _("Tất cả")), *Certificate.Status.choices],
    )


def certificate_list(request):
    _require_manager(request)
    form = FilterForm(request.GET or None)
    qs = _scoped(request).only(
        "pk", "serial_prefix", "serial_year", "serial_number", "holder_name", "unit_name",
        "course_title", "issued_on", "valid_until", "status", "cycle_year",
    )  # fmt: skip
    if form.is_valid():
        data = form.cleaned_data
        if data["q"]:
            text = data["q"].strip()
            number = text.split("/", 1)[0]
            condition = Q(holder_name__icontains=text)
            if number.isdigit():
                condition |= Q(serial_number=int(number))
            # Accent-insensitive fallback for names typed without diacritics.
            condition |= Q(person__search_text__contains=fold(text))
            qs = qs.filter(condition)
        if data["year"]:
            qs = qs.filter(cycle_year=data["year"])
        if data["status"]:
            qs = qs.filter(status=data["status"])
    page = Paginator(qs.order_by("-issued_on", "-id"), PAGE_SIZE).get_page(request.GET.get("p"))
    today = timezone.localdate()
    rows = [(c, c.display_status(today)) for c in page.object_list]
    return _page(
        request,
        "certificates/admin/list.html",
        _("Giấy chứng nhận"),
        {
            "form": form,
            "page": page,
            "rows": rows,
            "is_system_admin": is_system_admin(request.user),
            "templates": CertificateTemplate.objects.order_by("name")
            if is_system_admin(request.user)
            else [],
        },
    )


def certificate_pdf(request, pk: int):
    _require_manager(request)
    certificate = get_object_or_404(_scoped(request), pk=pk)
    if not certificate.pdf:
        raise Http404
    return FileResponse(
        certificate.pdf.open("rb"),
        as_attachment=True,
        filename=f"gcn-{certificate.serial_year}-{certificate.serial_number:04d}.pdf",
        content_type="application/pdf",
    )


# --- Issue, revoke, re-render --------------------------------------------------------------


class IssueForm(forms.Form):
    person = forms.ModelChoiceField(label=_("Người được cấp"), queryset=None)
    course = forms.ModelChoiceField(label=_("Khóa học"), queryset=None)
    reason = forms.CharField(
        label=_("Lý do cấp"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Ví dụ: học trực tiếp tại hội nghị ngày 05/3/2026, đã có danh sách điểm danh."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = visible_people(user=user).order_by("sort_key", "id")
        self.fields["course"].queryset = _courses_with_setting()


def certificate_issue_view(request):
    _require_manager(request)
    form = IssueForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            certificate = certificate_issue_manual(
                person=form.cleaned_data["person"],
                course=form.cleaned_data["course"],
                reason=form.cleaned_data["reason"],
                actor=request.user,
            )
        except CertificateError as exc:
            form.add_error(None, exc.messages[0])
        else:
            messages.success(
                request,
                MSG_ISSUED % {"serial": certificate.serial, "name": certificate.holder_name},
            )
            return redirect("certificates_admin:list")
    return _page(request, "certificates/admin/form.html", _("Cấp giấy chứng nhận"), {"form": form})


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=_("Lý do thu hồi"), max_length=300, widget=forms.Textarea(attrs={"rows": 3})
    )


def certificate_revoke_view(request, pk: int):
    _require_manager(request)
    certificate = get_object_or_404(_scoped(request), pk=pk)
    form = RevokeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            certificate_revoke(
                certificate=certificate, reason=form.cleaned_data["reason"], actor=request.user
            )
        except CertificateError as exc:
            form.add_error(None, exc.messages[0])
        else:
            messages.success(request, MSG_REVOKED % {"serial": certificate.serial})
            return redirect("certificates_admin:list")
    return _page(
        request,
        "certificates/admin/form.html",
        _("Thu hồi giấy chứng nhận"),
        {"form": form, "certificate": certificate},
    )


@require_POST
def certificate_rerender_view(request, pk: int):
    _require_manager(request)
    certificate = get_object_or_404(_scoped(request), pk=pk)
    certificate_rerender(certificate=certificate, actor=request.user)
    messages.success(request, MSG_RERENDER % {"serial": certificate.serial})
    return redirect("certificates_admin:list")


@require_POST
def template_rerender_view(request):
    """After a template fix: new PDF versions for all its live certificates (system admins)."""
    if not is_system_admin(request.user):
        raise PermissionDenied
    template = get_object_or_404(CertificateTemplate, pk=request.POST.get("template"))
    ids = list(
        Certificate.objects.not_revoked().filter(template=template).values_list("pk", flat=True)
    )
    template_rerender_task.delay(template.pk, ids)
    messages.success(request, MSG_TEMPLATE_RERENDER % {"count": len(ids), "name": template.name})
    return redirect("certificates_admin:list")


# --- Bulk ZIP ------------------------------------------------------------------------------


class BulkForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Đơn vị (gồm các đơn vị trực thuộc)"), queryset=None)
    course = forms.ModelChoiceField(label=_("Khóa học"), queryset=None)
    year = forms.IntegerField(label=_("Năm"), min_value=2000, max_value=2100)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = visible_units(user=user).order_by("path")
        self.fields["course"].queryset = _courses_with_setting()
        self.fields["year"].initial = timezone.localdate().year


def _my_exports(request):
    return BulkExport.objects.filter(requested_by=request.user)


def bulk_export_view(request):
    _require_manager(request)
    form = BulkForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        export = bulk_export_create(user=request.user, **form.cleaned_data)
        messages.info(request, MSG_EXPORT_STARTED)
        return redirect("certificates_admin:bulk_detail", pk=export.pk)
    recent = _my_exports(request).select_related("unit", "course")[:10]
    return _page(
        request,
        "certificates/admin/bulk.html",
        _("Tải giấy chứng nhận (ZIP)"),
        {"form": form, "recent": recent},
    )


def bulk_export_detail(request, pk: int):
    _require_manager(request)
    export = get_object_or_404(_my_exports(request).select_related("unit", "course"), pk=pk)
    return _page(
        request,
        "certificates/admin/bulk_detail.html",
        _("Tải giấy chứng nhận (ZIP)"),
        {"export": export},
    )


def bulk_export_status(request, pk: int):
    _require_manager(request)
    export = get_object_or_404(_my_exports(request), pk=pk)
    return JsonResponse(
        {
            "status": export.status,
            "status_label": str(export.get_status_display()),
            "done": export.done,
            "total": export.total,
            "percent": export.percent,
            "download_url": reverse("certificates_admin:bulk_download", args=[export.pk])
            if export.status == BulkExport.Status.DONE
            else "",
        }
    )


def bulk_export_download(request, pk: int):
    _require_manager(request)
    export = get_object_or_404(_my_exports(request), pk=pk, status=BulkExport.Status.DONE)
    return FileResponse(
        export.file.open("rb"),
        as_attachment=True,
        filename=f"giay-chung-nhan-{export.year}-{export.pk}.zip",
        content_type="application/zip",
    )
