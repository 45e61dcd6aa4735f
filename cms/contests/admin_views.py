"""Staff screens (Wagtail admin): rounds, entries, ranking, winners' export, winners' certificates.

Managers and administrators only; a manager sees the entries of their subtree's communes only
(ranks stay those of the whole round). Trainers and learners are refused.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from certificates.api import CertificateTemplate
from lms.org.api import StaffRole, has_role

from . import selectors, services
from .exports import winners_xlsx
from .models import ContestCertificate, ContestRoundPage

STAFF = (StaffRole.Role.MANAGER, StaffRole.Role.ADMIN)
PER_PAGE = 100
MSG_ISSUED = _("Đã cấp %(n)s giấy chứng nhận mới.")
MSG_TEMPLATE = _("Vui lòng chọn mẫu giấy chứng nhận.")


def _require_staff(request: HttpRequest) -> None:
    if not (request.user.is_active and has_role(request.user, *STAFF)):
        raise PermissionDenied


def _round(round_id: int) -> ContestRoundPage:
    return get_object_or_404(ContestRoundPage.objects.select_related("state"), pk=round_id)


def rounds_index(request: HttpRequest) -> HttpResponse:
    _require_staff(request)
    return TemplateResponse(
        request,
        "contests/admin/rounds.html",
        {"rounds": selectors.rounds_for_staff(user=request.user), "now": timezone.now()},
    )


def entries_index(request: HttpRequest, round_id: int) -> HttpResponse:
    _require_staff(request)
    round_page = _round(round_id)
    entries = selectors.entries_visible(round_page=round_page, user=request.user).order_by(
        "-created_at"
    )
    page = Paginator(entries, PER_PAGE).get_page(request.GET.get("p"))
    return TemplateResponse(
        request,
        "contests/admin/entries.html",
        {"round": round_page, "page_obj": page, "entries": page.object_list},
    )


def _templates_for(user):
    from lms.org.api import is_system_admin, unit_scope_q

    templates = CertificateTemplate.objects.order_by("name")
    if is_system_admin(user):
        return templates
    scope = unit_scope_q(user, "issuer_unit")
    return templates.filter(scope) if scope is not None else templates


def ranking_index(request: HttpRequest, round_id: int) -> HttpResponse:
    _require_staff(request)
    round_page = _round(round_id)
    standing = selectors.round_standing(round_page=round_page, user=request.user)
    issued = {
        c.phone: c
        for c in ContestCertificate.objects.filter(round=round_page).only(
            "id", "phone", "serial", "round_id"
        )
    }
    rows = [{"row": row, "certificate": issued.get(row.entry.phone)} for row in standing.rows]
    return TemplateResponse(
        request,
        "contests/admin/ranking.html",
        {
            "round": round_page,
            "standing": standing,
            "rows": rows,
            "templates": _templates_for(request.user),
            "state": services.round_state(round_page),
        },
    )


def winners_export(request: HttpRequest, round_id: int) -> HttpResponse:
    _require_staff(request)
    round_page = _round(round_id)
    standing = selectors.round_standing(round_page=round_page, user=request.user)
    winners = [row for row in standing.rows if row.rank <= round_page.top_n]
    data = winners_xlsx(
        round_page=round_page,
        contest_title=round_page.get_parent().title,
        rows=winners,
        final=standing.final,
        actual=standing.actual,
        today=timezone.localdate(),
    )
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="danh-sach-doat-giai-{round_page.pk}.xlsx"'
    )
    return response


@require_POST
def certificates_issue(request: HttpRequest, round_id: int) -> HttpResponse:
    _require_staff(request)
    round_page = _round(round_id)
    template_id = request.POST.get("template", "")
    template = (
        _templates_for(request.user).filter(pk=int(template_id)).first()
        if template_id.isdigit()
        else None
    )
    back = reverse("contests_ranking", args=[round_page.pk])
    if template is None:
        messages.error(request, MSG_TEMPLATE)
        return redirect(back)
    standing = selectors.round_standing(round_page=round_page, user=request.user)
    try:
        count = services.certificates_issue(
            round_page=round_page,
            template_id=template.pk,
            user=request.user,
            ranking=standing.rows,
            site_url=round_page.get_full_url(request) or "",
        )
    except services.ContestError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, MSG_ISSUED % {"n": count})
    return redirect(back)


def certificate_download(request: HttpRequest, certificate_id: int) -> HttpResponse:
    _require_staff(request)
    certificate = get_object_or_404(
        ContestCertificate.objects.select_related("entry"), pk=certificate_id
    )
    allowed = selectors.communes_in_scope(round_page=certificate.round, user=request.user)
    if allowed is not None and certificate.entry.commune_id not in allowed:
        raise Http404
    if not certificate.pdf:
        raise Http404
    response = FileResponse(
        certificate.pdf.open("rb"),
        as_attachment=True,
        filename=f"giay-chung-nhan-{certificate.code}.pdf",
        content_type="application/pdf",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
