"""Wagtail admin screens for imports: upload → preview (nothing written) → confirm → result.

Between preview and confirm the file lives in default storage (never in process memory) under a
random name that only this user's session knows; it is deleted on confirm, on cancel, and when a
new file is uploaded. Files abandoned for a day are swept on the next upload.
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.files import File
from django.core.files.storage import default_storage
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lms.core.uploads import upload_extension, validate_upload

from .imports import (
    IMPORTERS,
    ImportReport,
    error_report_xlsx,
    template_csv,
    template_filename,
    template_xlsx,
)
from .imports.table import ALLOWED_EXTENSIONS
from .models import StaffRole
from .scoping import has_role

logger = logging.getLogger(__name__)

STORAGE_DIR = "org-imports"
STALE_AFTER = dt.timedelta(days=1)
SESSION_KEY = "org_import_{kind}"

MSG_NO_PENDING_FILE = gettext_noop("Không còn tệp đang chờ xác nhận. Hãy tải tệp lên lại.")
MSG_CANCELLED = gettext_noop("Đã huỷ, tệp tải lên đã được xoá.")
MSG_CHANGED_SINCE_PREVIEW = gettext_noop(
    "Dữ liệu trong hệ thống đã thay đổi kể từ lúc xem trước và tệp nay có lỗi. Chưa ghi dữ liệu "
    "nào; hãy sửa tệp và tải lên lại."
)


@dataclass(frozen=True)
class ImportKind:
    key: str
    title: str
    description: str
    roles: tuple[str, ...]


KINDS = {
    "units": ImportKind(
        "units",
        gettext_lazy("Nhập đơn vị"),
        gettext_lazy("Thêm hoặc cập nhật cây đơn vị (mã, tên, loại, đơn vị cấp trên)."),
        (StaffRole.Role.ADMIN,),
    ),
    "people": ImportKind(
        "people",
        gettext_lazy("Nhập người học"),
        gettext_lazy(
            "Thêm hoặc cập nhật người học và vị trí đảm nhiệm (đơn vị, nhóm đối tượng, thời gian); "
            "có thể tạo tài khoản đăng nhập."
        ),
        (StaffRole.Role.MANAGER, StaffRole.Role.ADMIN),
    ),
}


def can_import(user, kind: str) -> bool:
    return has_role(user, *KINDS[kind].roles)


def _kind_or_403(request, kind: str) -> ImportKind:
    if kind not in KINDS:
        raise Http404
    if not can_import(request.user, kind):
        raise PermissionDenied
    return KINDS[kind]


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Tệp dữ liệu (.xlsx hoặc .csv UTF-8)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        validate_upload(
            file=upload, allowed=ALLOWED_EXTENSIONS, max_bytes=settings.MAX_IMPORT_FILE_BYTES
        )
        return upload


def _base_context(kind: ImportKind | None, title: str) -> dict:
    crumbs = [
        {"url": reverse("wagtailadmin_home"), "label": _("Trang chủ")},
        {"url": reverse("org_imports_index"), "label": _("Nhập dữ liệu")},
    ]
    if kind is not None:
        crumbs.append({"url": reverse("org_import_upload", args=[kind.key]), "label": kind.title})
    return {"kind": kind, "page_title": title, "header_title": title, "breadcrumbs_items": crumbs}


@require_GET
def index(request):
    kinds = [kind for key, kind in KINDS.items() if can_import(request.user, key)]
    if not kinds:
        raise PermissionDenied
    context = _base_context(None, _("Nhập dữ liệu"))
    context["kinds"] = kinds
    return TemplateResponse(request, "org/imports/index.html", context)


@require_http_methods(["GET", "POST"])
def upload(request, kind: str):
    spec = _kind_or_403(request, kind)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        _discard_pending(request, kind)
        _sweep_stale_uploads()
        incoming = form.cleaned_data["file"]
        extension = upload_extension(incoming.name)
        name = default_storage.save(
            f"{STORAGE_DIR}/{secrets.token_urlsafe(24)}.{extension}", incoming
        )
        request.session[SESSION_KEY.format(kind=kind)] = {"name": name, "filename": incoming.name}
        return redirect("org_import_preview", kind=kind)
    context = _base_context(spec, spec.title)
    context["form"] = form
    return TemplateResponse(request, "org/imports/upload.html", context)


@require_GET
def preview(request, kind: str):
    spec = _kind_or_403(request, kind)
    pending = _pending(request, kind)
    if pending is None:
        messages.warning(request, _(MSG_NO_PENDING_FILE))
        return redirect("org_import_upload", kind=kind)
    report = _run(request, kind, pending, dry_run=True)
    context = _base_context(spec, _("Xem trước: {title}").format(title=spec.title))
    context.update(report=report, filename=pending["filename"])
    return TemplateResponse(request, "org/imports/preview.html", context)


@require_GET
def error_report(request, kind: str):
    _kind_or_403(request, kind)
    pending = _pending(request, kind)
    if pending is None:
        raise Http404
    report = _run(request, kind, pending, dry_run=True)
    response = HttpResponse(
        error_report_xlsx(report),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="bao-cao-loi-nhap-du-lieu.xlsx"'
    return response


@require_POST
def confirm(request, kind: str):
    spec = _kind_or_403(request, kind)
    pending = _pending(request, kind)
    if pending is None:
        messages.warning(request, _(MSG_NO_PENDING_FILE))
        return redirect("org_import_upload", kind=kind)
    try:
        report = _run(request, kind, pending, dry_run=False)
    finally:
        _discard_pending(request, kind)
    if report.errors:
        messages.error(request, _(MSG_CHANGED_SINCE_PREVIEW))
        context = _base_context(spec, _("Xem trước: {title}").format(title=spec.title))
        context.update(report=report, filename=pending["filename"], expired=True)
        return TemplateResponse(request, "org/imports/preview.html", context)
    logger.info(
        "Import %s by user %s: %s",
        kind,
        request.user.pk,
        {key: vars(counts) for key, counts in report.counts.items()},
    )
    context = _base_context(spec, _("Kết quả: {title}").format(title=spec.title))
    context.update(report=report, filename=pending["filename"])
    response = TemplateResponse(request, "org/imports/result.html", context)
    response["Cache-Control"] = "no-store"  # the page may show initial passwords
    return response


@require_POST
def cancel(request, kind: str):
    _kind_or_403(request, kind)
    _discard_pending(request, kind)
    messages.info(request, _(MSG_CANCELLED))
    return redirect("org_import_upload", kind=kind)


@require_GET
def template_download(request, kind: str, extension: str):
    _kind_or_403(request, kind)
    if extension == "xlsx":
        data = template_xlsx(kind)
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    elif extension == "csv":
        data, content_type = template_csv(kind), "text/csv; charset=utf-8"
    else:
        raise Http404
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{template_filename(kind, extension)}"'
    return response


def _pending(request, kind: str) -> dict | None:
    pending = request.session.get(SESSION_KEY.format(kind=kind))
    if not pending or not default_storage.exists(pending["name"]):
        return None
    return pending


def _run(request, kind: str, pending: dict, *, dry_run: bool) -> ImportReport:
    with default_storage.open(pending["name"], "rb") as handle:
        # The stored name carries the checked extension; the user's file name is only shown.
        return IMPORTERS[kind](
            file=File(handle, name=pending["name"]), user=request.user, dry_run=dry_run
        )


def _discard_pending(request, kind: str) -> None:
    pending = request.session.pop(SESSION_KEY.format(kind=kind), None)
    if pending and default_storage.exists(pending["name"]):
        default_storage.delete(pending["name"])


def _sweep_stale_uploads() -> None:
    cutoff = timezone.now() - STALE_AFTER
    try:
        _dirs, files = default_storage.listdir(STORAGE_DIR)
    except (FileNotFoundError, NotImplementedError, OSError):
        return
    for filename in files:
        name = f"{STORAGE_DIR}/{filename}"
        try:
            if default_storage.get_modified_time(name) < cutoff:
                default_storage.delete(name)
        except (FileNotFoundError, NotImplementedError, OSError):
            continue


urlpatterns = [
    path("nhap-du-lieu/", index, name="org_imports_index"),
    path("nhap-du-lieu/<str:kind>/", upload, name="org_import_upload"),
    path("nhap-du-lieu/<str:kind>/xem-truoc/", preview, name="org_import_preview"),
    path("nhap-du-lieu/<str:kind>/bao-cao-loi/", error_report, name="org_import_error_report"),
    path("nhap-du-lieu/<str:kind>/xac-nhan/", confirm, name="org_import_confirm"),
    path("nhap-du-lieu/<str:kind>/huy/", cancel, name="org_import_cancel"),
    path(
        "nhap-du-lieu/<str:kind>/mau.<str:extension>", template_download, name="org_import_template"
    ),
]
