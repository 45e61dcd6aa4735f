"""Wagtail admin screens to import questions (upload → preview → confirm → result) and export a bank.

Between preview and confirm the file lives in default storage (never in process memory) under a
random name that only the uploader's session knows; it is deleted on confirm, on cancel and when
another file is uploaded. Files abandoned for a day are swept on the next upload. Only trainers
and administrators may use these screens.
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lms.core.text import fold
from lms.core.uploads import upload_extension, validate_upload
from lms.org.api import StaffRole, has_role

from . import formats
from .importing import (
    MSG_NOTHING_TO_IMPORT,
    ImportRefused,
    bank_export,
    bank_get_or_create,
    file_import,
)
from .models import QuestionBank, QuestionStatus, QuestionType

logger = logging.getLogger(__name__)

AUTHOR_ROLES = (StaffRole.Role.TRAINER, StaffRole.Role.ADMIN)
STORAGE_DIR = "assessments-imports"
STALE_AFTER = dt.timedelta(days=1)
SESSION_KEY = "assessments_import"
PREVIEW_LIMIT = 500

MSG_NO_PENDING_FILE = gettext_noop("Không còn tệp đang chờ xác nhận. Hãy tải tệp lên lại.")
MSG_CANCELLED = gettext_noop("Đã huỷ, tệp tải lên đã được xoá.")
MSG_CHOOSE_BANK = gettext_noop("Hãy chọn một ngân hàng câu hỏi hoặc nhập tên ngân hàng mới.")
MSG_FORMAT_NEEDED = gettext_noop(
    "Không đoán được định dạng từ tên tệp “{name}”; hãy chọn định dạng."
)
MSG_EXTENSION_FOR_FORMAT = gettext_noop("Tệp {format} phải có đuôi {extensions}.")
MSG_CHANGED_SINCE_PREVIEW = gettext_noop(
    "Tệp không còn nhập được (dữ liệu đã thay đổi kể từ lúc xem trước). Chưa ghi câu hỏi nào."
)
MSG_IMPORTED = gettext_noop(
    "Đã nhập vào ngân hàng “{bank}”: {created} câu hỏi mới, {updated} câu hỏi cập nhật, "
    "{unchanged} câu hỏi không đổi."
)

AUTO = ""
ALL_EXTENSIONS = set().union(*formats.EXTENSIONS.values())


def can_import(user) -> bool:
    return bool(getattr(user, "is_active", False)) and has_role(user, *AUTHOR_ROLES)


def _require_author(request) -> None:
    if not can_import(request.user):
        raise PermissionDenied


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Tệp câu hỏi (.gift, .txt, .xml, .xlsx)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".gift,.txt,.xml,.xlsx,.aiken"}),
    )
    fmt = forms.ChoiceField(
        label=gettext_lazy("Định dạng"),
        choices=[(AUTO, gettext_lazy("Tự nhận theo đuôi tệp"))]
        + [(key, label) for key, label in formats.FORMAT_LABELS.items()],
        required=False,
    )
    bank = forms.ModelChoiceField(
        label=gettext_lazy("Ngân hàng câu hỏi"),
        queryset=QuestionBank.objects.order_by("name"),
        required=False,
        empty_label=gettext_lazy("— Tạo ngân hàng mới —"),
    )
    new_bank = forms.CharField(
        label=gettext_lazy("Tên ngân hàng mới"),
        max_length=200,
        required=False,
        help_text=gettext_lazy("Chỉ điền khi tạo ngân hàng mới."),
    )
    status = forms.ChoiceField(
        label=gettext_lazy("Trạng thái câu hỏi sau khi nhập"),
        choices=[
            (QuestionStatus.DRAFT, QuestionStatus.DRAFT.label),
            (QuestionStatus.REVIEWED, QuestionStatus.REVIEWED.label),
        ],
        initial=QuestionStatus.DRAFT,
    )
    skip_unsupported = forms.BooleanField(
        label=gettext_lazy("Bỏ qua các câu hỏi thuộc loại chưa hỗ trợ (tự luận, mô tả, cloze…)"),
        required=False,
    )

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("bank") and not (cleaned.get("new_bank") or "").strip():
            self.add_error("new_bank", _(MSG_CHOOSE_BANK))
        upload = cleaned.get("file")
        if upload is None:
            return cleaned
        try:
            validate_upload(
                file=upload, allowed=ALL_EXTENSIONS, max_bytes=settings.MAX_IMPORT_FILE_BYTES
            )
        except forms.ValidationError as error:
            self.add_error("file", error)
            return cleaned
        fmt = cleaned.get("fmt") or formats.guess_format(upload.name)
        if fmt is None and upload_extension(upload.name) == "txt":
            fmt = formats.GIFT  # a plain .txt is most often GIFT; Aiken must be chosen
        if fmt is None:
            self.add_error("fmt", _(MSG_FORMAT_NEEDED).format(name=upload.name))
            return cleaned
        allowed = formats.EXTENSIONS[fmt]
        if upload_extension(upload.name) not in allowed:
            self.add_error(
                "file",
                _(MSG_EXTENSION_FOR_FORMAT).format(
                    format=formats.FORMAT_LABELS[fmt],
                    extensions=", ".join(f".{e}" for e in sorted(allowed)),
                ),
            )
        cleaned["fmt"] = fmt
        return cleaned


class ExportForm(forms.Form):
    bank = forms.ModelChoiceField(
        label=gettext_lazy("Ngân hàng câu hỏi"), queryset=QuestionBank.objects.order_by("name")
    )
    fmt = forms.ChoiceField(
        label=gettext_lazy("Định dạng"),
        choices=[(key, formats.FORMAT_LABELS[key]) for key in formats.EXPORT_FORMATS],
        initial=formats.MOODLE_XML,
        help_text=gettext_lazy(
            "Moodle XML giữ đủ mọi thông tin; GIFT không ghi được câu hỏi sắp xếp thứ tự; "
            "Excel chỉ giữ các cột của tệp mẫu."
        ),
    )
    include_retired = forms.BooleanField(
        label=gettext_lazy("Gồm cả câu hỏi ngừng sử dụng"), required=False
    )


def _context(title: str, **extra) -> dict:
    crumbs = [
        {"url": reverse("wagtailadmin_home"), "label": _("Trang chủ")},
        {"url": reverse("assessments_import"), "label": _("Nhập, xuất câu hỏi")},
    ]
    return {"page_title": title, "header_title": title, "breadcrumbs_items": crumbs, **extra}


@require_http_methods(["GET", "POST"])
def upload(request):
    _require_author(request)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        _discard_pending(request)
        _sweep_stale_uploads()
        incoming = form.cleaned_data["file"]
        name = default_storage.save(
            f"{STORAGE_DIR}/{secrets.token_urlsafe(24)}.{upload_extension(incoming.name)}",
            incoming,
        )
        bank = form.cleaned_data.get("bank")
        request.session[SESSION_KEY] = {
            "name": name,
            "filename": incoming.name,
            "fmt": form.cleaned_data["fmt"],
            "bank_id": bank.pk if bank else None,
            "new_bank": (form.cleaned_data.get("new_bank") or "").strip(),
            "status": form.cleaned_data["status"],
            "skip_unsupported": form.cleaned_data["skip_unsupported"],
        }
        return redirect("assessments_import_preview")
    context = _context(_("Nhập câu hỏi"), form=form, export_form=ExportForm())
    return TemplateResponse(request, "assessments/import/upload.html", context)


def _target_bank(pending: dict) -> tuple[QuestionBank, bool]:
    bank = (
        QuestionBank.objects.filter(pk=pending["bank_id"]).first() if pending["bank_id"] else None
    )
    if bank is not None:
        return bank, False
    return bank_get_or_create(name=pending["new_bank"] or pending["filename"])


def _read(pending: dict) -> bytes:
    with default_storage.open(pending["name"], "rb") as handle:
        return handle.read()


@require_GET
def preview(request):
    _require_author(request)
    pending = _pending(request)
    if pending is None:
        messages.warning(request, _(MSG_NO_PENDING_FILE))
        return redirect("assessments_import")
    data = _read(pending)
    parsed = formats.parse(pending["fmt"], data, max_rows=settings.MAX_IMPORT_ROWS)
    problems = parsed.problems(skip_unsupported=pending["skip_unsupported"])
    plan = None
    refused: list[str] = []
    if not problems and not parsed.questions:
        refused = [_(MSG_NOTHING_TO_IMPORT)]
    if not problems and parsed.questions:
        with transaction.atomic():  # a dry run: counts what the import would do, then rolls back
            bank, _created = _target_bank(pending)
            try:
                plan = file_import(
                    bank=bank,
                    data=data,
                    fmt=pending["fmt"],
                    dry_run=True,
                    skip_unsupported=pending["skip_unsupported"],
                )
            except ImportRefused as error:
                refused = error.messages
            transaction.set_rollback(True)
    type_labels = dict(QuestionType.choices)
    rows = [
        {
            "number": q.number,
            "line": q.line,
            "name": q.name,
            "qtype": type_labels.get(q.qtype, q.qtype),
            "category": " / ".join(q.category_path),
            "legal": "; ".join(_legal_label(t) for t in q.legal_tags),
            "choices": len(q.choices) or len(q.pairs),
        }
        for q in parsed.questions[:PREVIEW_LIMIT]
    ]
    context = _context(
        _("Xem trước khi nhập"),
        pending=pending,
        format_label=formats.FORMAT_LABELS[pending["fmt"]],
        bank_label=_bank_label(pending),
        parsed=parsed,
        rows=rows,
        hidden_rows=max(0, len(parsed.questions) - PREVIEW_LIMIT),
        errors=[str(e) for e in parsed.errors] + refused,
        unsupported=[str(u) for u in parsed.unsupported],
        unsupported_blocks=bool(parsed.unsupported) and not pending["skip_unsupported"],
        warnings=parsed.warnings,
        blocked=bool(problems or refused),
        plan=plan,
    )
    return TemplateResponse(request, "assessments/import/preview.html", context)


def _legal_label(tag: formats.ParsedLegalTag) -> str:
    parts = {"article": tag.article, "clause": tag.clause, "point": tag.point, "law": tag.law}
    if tag.point and tag.clause:
        return _("Điểm %(point)s khoản %(clause)s Điều %(article)s %(law)s") % parts
    if tag.clause:
        return _("Khoản %(clause)s Điều %(article)s %(law)s") % parts
    return _("Điều %(article)s %(law)s") % parts


def _bank_label(pending: dict) -> str:
    if pending["bank_id"]:
        bank = QuestionBank.objects.filter(pk=pending["bank_id"]).first()
        if bank is not None:
            return bank.name
    return _("{name} (ngân hàng mới)").format(name=pending["new_bank"])


@require_POST
def confirm(request):
    _require_author(request)
    pending = _pending(request)
    if pending is None:
        messages.warning(request, _(MSG_NO_PENDING_FILE))
        return redirect("assessments_import")
    try:
        data = _read(pending)
        with transaction.atomic():
            bank, bank_created = _target_bank(pending)
            result = file_import(
                bank=bank,
                data=data,
                fmt=pending["fmt"],
                skip_unsupported=pending["skip_unsupported"],
                status=pending["status"],
                user=request.user,
            )
    except ImportRefused as refused:
        messages.error(request, _(MSG_CHANGED_SINCE_PREVIEW))
        context = _context(_("Nhập câu hỏi"), form=UploadForm(), export_form=ExportForm())
        context["refused"] = refused.messages
        return TemplateResponse(request, "assessments/import/upload.html", context)
    finally:
        _discard_pending(request)
    logger.info(
        "Question import into bank %s by user %s: %s created, %s updated, %s unchanged",
        bank.pk,
        request.user.pk,
        result.created,
        result.updated,
        result.unchanged,
    )
    messages.success(
        request,
        _(MSG_IMPORTED).format(
            bank=bank.name,
            created=result.created,
            updated=result.updated,
            unchanged=result.unchanged,
        ),
    )
    context = _context(
        _("Kết quả nhập câu hỏi"),
        bank=bank,
        bank_created=bank_created,
        result=result,
        filename=pending["filename"],
        unsupported=[str(u) for u in result.skipped_unsupported],
        questions_url=reverse("wagtailsnippets_assessments_question:list") + f"?bank={bank.pk}",
    )
    return TemplateResponse(request, "assessments/import/result.html", context)


@require_POST
def cancel(request):
    _require_author(request)
    _discard_pending(request)
    messages.info(request, _(MSG_CANCELLED))
    return redirect("assessments_import")


@require_GET
def template_download(request):
    _require_author(request)
    response = HttpResponse(
        formats.xlsx_template(), content_type=formats.CONTENT_TYPES[formats.XLSX]
    )
    response["Content-Disposition"] = 'attachment; filename="mau-nhap-cau-hoi.xlsx"'
    return response


@require_GET
def export(request):
    _require_author(request)
    form = ExportForm(request.GET or None)
    if not form.is_valid():
        context = _context(_("Nhập câu hỏi"), form=UploadForm(), export_form=form)
        return TemplateResponse(request, "assessments/import/upload.html", context)
    bank, fmt = form.cleaned_data["bank"], form.cleaned_data["fmt"]
    data = bank_export(
        bank=bank,
        fmt=fmt,
        include_retired=form.cleaned_data["include_retired"],
        skip_unsupported=True,  # GIFT cannot hold ordering questions; the help text says so
    )
    response = HttpResponse(data, content_type=formats.CONTENT_TYPES[fmt])
    filename = (slugify(fold(bank.name)) or "ngan-hang") + formats.FILE_SUFFIX[fmt]
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _pending(request) -> dict | None:
    pending = request.session.get(SESSION_KEY)
    if not pending or not default_storage.exists(pending["name"]):
        return None
    return pending


def _discard_pending(request) -> None:
    pending = request.session.pop(SESSION_KEY, None)
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
    path("ngan-hang-cau-hoi/nhap/", upload, name="assessments_import"),
    path("ngan-hang-cau-hoi/nhap/xem-truoc/", preview, name="assessments_import_preview"),
    path("ngan-hang-cau-hoi/nhap/xac-nhan/", confirm, name="assessments_import_confirm"),
    path("ngan-hang-cau-hoi/nhap/huy/", cancel, name="assessments_import_cancel"),
    path(
        "ngan-hang-cau-hoi/nhap/mau-excel/", template_download, name="assessments_import_template"
    ),
    path("ngan-hang-cau-hoi/xuat/", export, name="assessments_export"),
]
