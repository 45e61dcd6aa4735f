"""Public page serving (reading and commenting) and the staff moderation and export screens."""

from __future__ import annotations

import csv
import io

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lms.core.http import client_ip
from lms.core.text import safe_cell
from lms.org.api import StaffRole, can_manage_unit, has_role

from .forms import MSG_CLOSED, MSG_RATE_LIMIT, MSG_SUCCESS, CommentForm
from .models import ConsultationComment, ConsultationPage
from .selectors import comments_public, comments_visible, consultations_moderated_by, locality_units
from .services import comment_rate_limited, comment_submit, comments_moderate, ip_hash

STAFF = (StaffRole.Role.MANAGER, StaffRole.Role.ADMIN)
MSG_MODERATED = gettext_lazy("Đã cập nhật %(count)s ý kiến.")
MSG_NOTHING_SELECTED = gettext_lazy("Chưa chọn ý kiến nào.")
EXPORT_HEADERS = [
    gettext_lazy("STT"),
    gettext_lazy("Thời gian gửi"),
    gettext_lazy("Họ và tên"),
    gettext_lazy("Địa bàn"),
    gettext_lazy("Liên hệ"),
    gettext_lazy("Nội dung góp ý"),
    gettext_lazy("Trạng thái"),
    gettext_lazy("Người kiểm duyệt"),
    gettext_lazy("Kiểm duyệt lúc"),
]
PER_PAGE = 50


def consultation_serve(page: ConsultationPage, request, *args, **kwargs):
    form = None
    if request.method == "POST":
        if not page.is_open:
            messages.error(request, MSG_CLOSED)
            return HttpResponseRedirect(page.url + "#y-kien")
        data = request.POST.copy()
        form = CommentForm(data, page_id=page.pk, units=locality_units())
        hashed = ip_hash(client_ip(request))
        if comment_rate_limited(hashed_ip=hashed):
            form.is_valid()
            form.add_error(None, MSG_RATE_LIMIT)
        elif form.is_valid():
            cleaned = form.cleaned_data
            comment_submit(
                page=page,
                name=cleaned["name"],
                body=cleaned["body"],
                locality=cleaned["locality"],
                locality_unit=cleaned["locality_unit"],
                contact=cleaned["contact"],
                hashed_ip=hashed,
            )
            messages.success(request, MSG_SUCCESS)
            return HttpResponseRedirect(page.url + "#y-kien")
        data["token"] = form.fresh_token()
    elif page.is_open:
        form = CommentForm(page_id=page.pk, units=locality_units())
    context = page.get_context(request, *args, **kwargs)
    context.update(
        {
            "form": form,
            "comments": comments_public(page=page),
            "show_explanation": page.status == "closed" and bool(page.explanation),
        }
    )
    return TemplateResponse(request, page.get_template(request), context)


# --- Staff: moderation and export ------------------------------------------------------------


def _require_staff(request) -> None:
    if not (request.user.is_active and has_role(request.user, *STAFF)):
        raise PermissionDenied


def moderation_index(request):
    _require_staff(request)
    comments = comments_visible(user=request.user).select_related(
        "page", "locality_unit", "moderated_by"
    )
    pages = consultations_moderated_by(user=request.user).order_by("-opens_on")
    status = request.GET.get("trang-thai", ConsultationComment.Status.PENDING)
    if status in ConsultationComment.Status.values:
        comments = comments.filter(status=status)
    page_id = request.GET.get("du-thao", "")
    selected_page = None
    if page_id.isdigit():
        selected_page = get_object_or_404(pages, pk=int(page_id))
        comments = comments.filter(page=selected_page)
    if request.method == "POST":
        action = request.POST.get("action")
        new_status = {
            "approve": ConsultationComment.Status.APPROVED,
            "reject": ConsultationComment.Status.REJECTED,
            "pending": ConsultationComment.Status.PENDING,
        }.get(action)
        ids = [int(v) for v in request.POST.getlist("comment") if v.isdigit()]
        if new_status is None or not ids:
            messages.error(request, MSG_NOTHING_SELECTED)
        else:
            count = comments_moderate(
                comment_ids=ids,
                status=new_status,
                user=request.user,
                allowed=comments_visible(user=request.user),
            )
            messages.success(request, MSG_MODERATED % {"count": count})
        return redirect(request.get_full_path())
    paginator = Paginator(comments.order_by("-created_at", "-pk"), PER_PAGE)
    listing = paginator.get_page(request.GET.get("p"))
    return TemplateResponse(
        request,
        "consultations/admin/moderation.html",
        {
            "comments": listing,
            "pages": pages,
            "selected_page": selected_page,
            "status": status,
            "statuses": ConsultationComment.Status.choices,
        },
    )


def _export_rows(page: ConsultationPage):
    comments = page.comments.select_related("locality_unit", "moderated_by").order_by(
        "created_at", "pk"
    )
    tz = timezone.get_current_timezone()
    for number, comment in enumerate(comments, start=1):
        yield [
            number,
            timezone.localtime(comment.created_at, tz).strftime("%d/%m/%Y %H:%M"),
            safe_cell(comment.name),
            safe_cell(comment.locality_display),
            safe_cell(comment.contact),
            safe_cell(comment.body),
            str(comment.get_status_display()),
            safe_cell(comment.moderated_by.get_username() if comment.moderated_by else ""),
            timezone.localtime(comment.moderated_at, tz).strftime("%d/%m/%Y %H:%M")
            if comment.moderated_at
            else "",
        ]


def comments_export(request, page_id: int, fmt: str):
    _require_staff(request)
    if fmt not in ("csv", "xlsx"):
        raise Http404
    page = get_object_or_404(ConsultationPage.objects.select_related("issuing_unit"), pk=page_id)
    if not can_manage_unit(user=request.user, unit=page.issuing_unit):
        raise PermissionDenied
    headers = [str(h) for h in EXPORT_HEADERS]
    filename = f"y-kien-{page.slug}"
    if fmt == "csv":
        buffer = io.StringIO()
        buffer.write("\ufeff")  # Excel opens UTF-8 CSV correctly only with a BOM
        writer = csv.writer(buffer)
        writer.writerow(headers)
        writer.writerows(_export_rows(page))
        response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
        return response
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_("Ý kiến"))
    sheet.append([page.title[:200]])
    sheet.append(headers)
    for row in _export_rows(page):
        sheet.append(row)
    output = io.BytesIO()
    workbook.save(output)
    response = HttpResponse(
        output.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response


def export_url(page: ConsultationPage, fmt: str) -> str:
    return reverse("consultations_export", args=[page.pk, fmt])
