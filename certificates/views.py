"""Public verification (no login) and the learner's “Chứng nhận của tôi”."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from lms.org.api import Person

from .models import Certificate
from .ratelimit import hit_is_limited
from .selectors import (
    STATUS_LABELS,
    certificate_by_code,
    certificate_public,
    certificate_rows_for_person,
)
from .services import certificate_preview_png

MSG_TOO_MANY = _("Bạn đã tra cứu quá nhiều lần. Vui lòng thử lại sau ít phút.")


class VerifyForm(forms.Form):
    ma = forms.CharField(
        label=_("Mã xác minh"),
        max_length=64,
        help_text=_("Mã in dưới mã QR trên giấy chứng nhận."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )


def _too_many(request):
    response = render(
        request, "certificates/verify_limited.html", {"message": MSG_TOO_MANY}, status=429
    )
    response["Retry-After"] = "300"
    return response


@require_GET
@never_cache
def verify_form(request):
    form = VerifyForm(request.GET or None)
    if request.GET and form.is_valid():
        code = form.cleaned_data["ma"].strip()
        return redirect("certificates_verify:detail", code=code)
    return render(request, "certificates/verify_form.html", {"form": form})


@require_GET
@never_cache
def verify_detail(request, code: str):
    if hit_is_limited(request, scope="verify"):
        return _too_many(request)
    certificate = certificate_public(code=code)
    if certificate is None:
        return render(
            request, "certificates/verify_not_found.html", {"form": VerifyForm()}, status=404
        )
    return render(
        request,
        "certificates/verify_detail.html",
        {
            "certificate": certificate,
            "status_label": STATUS_LABELS[certificate.status],
            "code": code,
        },
    )


@require_GET
def verify_png(request, code: str):
    """The sharing image of a certificate that has not been revoked."""
    if hit_is_limited(request, scope="verify"):
        return _too_many(request)
    found = certificate_by_code(code=code)
    if found is None or found.status == Certificate.Status.REVOKED:
        raise Http404
    png = certificate_preview_png(certificate=Certificate.objects.get(pk=found.pk))
    response = HttpResponse(png, content_type="image/png")
    response["Cache-Control"] = "public, max-age=3600"
    return response


def _person(user) -> Person | None:
    return Person.objects.filter(user=user).first()


@login_required
def my_certificates(request):
    person = _person(request.user)
    rows = certificate_rows_for_person(person=person)
    return render(request, "certificates/my_certificates.html", {"person": person, "rows": rows})


@login_required
def my_certificate_pdf(request, pk: int):
    person = _person(request.user)
    if person is None:
        raise Http404
    certificate = get_object_or_404(Certificate.objects.for_person(person), pk=pk)
    if not certificate.pdf:
        from .services import certificate_render

        certificate_render(certificate_id=certificate.pk)
        certificate.refresh_from_db()
    return FileResponse(
        certificate.pdf.open("rb"),
        as_attachment=True,
        filename=f"giay-chung-nhan-{certificate.serial_year}-{certificate.serial_number:04d}.pdf",
        content_type="application/pdf",
    )
