"""Admin import: upload → preview of the parsed structure and problems → confirm."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from .forms import ACCEPT_REQUIRED, TOKEN_INVALID, ConfirmForm, UploadForm
from .parsing import parse_file, parse_lines, read_lines
from .permissions import can_manage_legal_documents
from .services import DocumentMetadata, ImportRefused, legal_document_import

IMPORT_DONE = _("Đã nhập “%(title)s”: %(articles)s điều.")
_TEMP_DIR = "legal-imports"


def _temp_name(token: str) -> str:
    return f"{_TEMP_DIR}/{token}.txt"


def _metadata(data: dict) -> DocumentMetadata:
    return DocumentMetadata(
        number=data["number"],
        title=data["title"],
        short_code=data["short_code"],
        document_type=data["document_type"],
        issuer=data["issuer"],
        issue_date=data["issue_date"],
        effective_date=data["effective_date"],
        status=data["status"],
        source_note=data["source_note"],
    )


def legal_import_view(request):
    if not can_manage_legal_documents(request.user):
        raise PermissionDenied
    if request.method == "POST" and "token" in request.POST:
        return _confirm(request)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        lines, error = read_lines(name=upload.name, data=upload.read())
        if error:
            form.add_error("file", error)
        else:
            parsed = parse_lines(lines)
            if parsed.errors:
                for message in parsed.errors:
                    form.add_error("file", message)
            else:
                token = uuid.uuid4().hex
                default_storage.save(
                    _temp_name(token), ContentFile("\n".join(lines).encode("utf-8"))
                )
                confirm = ConfirmForm(initial={**form.cleaned_data, "token": token, "file": None})
                return _preview(request, confirm, parsed, upload.name)
    return TemplateResponse(request, "legal/admin/import_upload.html", {"form": form})


def _preview(request, form, parsed, filename):
    return TemplateResponse(
        request,
        "legal/admin/import_preview.html",
        {
            "form": form,
            "parsed": parsed,
            "filename": filename,
            "outline": [
                p
                for p in parsed.provisions
                if p.kind in ("chapter", "section", "subsection", "article")
            ],
            "counts": {
                k: parsed.count(k)
                for k in ("chapter", "section", "subsection", "article", "clause", "point")
            },
        },
    )


def _confirm(request):
    form = ConfirmForm(request.POST)
    if not form.is_valid():
        if "token" in form.errors:
            messages.error(request, TOKEN_INVALID)
            return redirect("legal_import")
        return TemplateResponse(
            request, "legal/admin/import_upload.html", {"form": UploadForm(request.POST)}
        )
    name = _temp_name(form.cleaned_data["token"])
    if not default_storage.exists(name):
        messages.error(request, TOKEN_INVALID)
        return redirect("legal_import")
    with default_storage.open(name) as handle:
        data = handle.read()
    parsed = parse_file(name="preview.txt", data=data)
    if parsed.warnings and not form.cleaned_data["accept_warnings"]:
        form.add_error("accept_warnings", ACCEPT_REQUIRED)
        return _preview(request, form, parsed, "")
    try:
        result = legal_document_import(
            parsed=parsed,
            metadata=_metadata(form.cleaned_data),
            parent=form.cleaned_data["parent"],
            accept_warnings=form.cleaned_data["accept_warnings"],
            user=request.user,
        )
    except ImportRefused as exc:
        for message in exc.messages:
            form.add_error(None, message)
        return _preview(request, form, parsed, "")
    default_storage.delete(name)
    messages.success(
        request, IMPORT_DONE % {"title": result.document.title, "articles": len(parsed.articles)}
    )
    return redirect("wagtailadmin_explore", result.document.get_parent().pk)
