"""The citizens' comment form: no account, honeypot, minimum time-to-submit, Vietnamese messages."""

from __future__ import annotations

import time
import unicodedata

from django import forms
from django.core import signing
from django.core.validators import EmailValidator
from django.utils.translation import gettext_lazy as _

from lms.core.text import normalize_text
from lms.org.api import Unit

from .models import COMMENT_MAX_LENGTH

MIN_SECONDS = 5
MAX_AGE_SECONDS = 60 * 60 * 24
_SALT = "consultations.comment-form"

MSG_SUCCESS = _("Ý kiến của bạn đã được gửi và sẽ hiển thị sau khi được kiểm duyệt.")
MSG_CLOSED = _("Dự thảo này hiện không nhận ý kiến (chưa mở hoặc đã hết thời gian lấy ý kiến).")
MSG_TOO_FAST = _("Bạn gửi quá nhanh. Vui lòng đọc lại ý kiến và bấm “Gửi ý kiến” lần nữa.")
MSG_EXPIRED = _("Biểu mẫu đã hết hạn. Vui lòng bấm “Gửi ý kiến” lần nữa.")
MSG_SPAM = _("Không thể nhận ý kiến này. Vui lòng thử lại.")
MSG_RATE_LIMIT = _("Bạn đã gửi nhiều ý kiến trong thời gian ngắn. Vui lòng thử lại sau một giờ.")
MSG_LOCALITY = _(
    "Hãy ghi ấp, khu phố hoặc xã, phường nơi bạn sinh sống, hoặc chọn trong danh sách."
)
MSG_CONTACT = _("Số điện thoại hoặc email chưa đúng.")
MSG_BODY_EMPTY = _("Hãy nhập nội dung góp ý.")


def form_token(*, page_id: int, now: float | None = None) -> str:
    return signing.dumps({"p": page_id, "t": now if now is not None else time.time()}, salt=_SALT)


class CommentForm(forms.Form):
    name = forms.CharField(
        label=_("Họ và tên"),
        max_length=120,
        error_messages={"required": _("Hãy nhập họ và tên.")},
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    locality = forms.CharField(
        label=_("Ấp, khu phố / xã, phường"),
        max_length=200,
        required=False,
        help_text=_("Ví dụ: Ấp 1, xã Bắc Tân Uyên."),
    )
    locality_unit = forms.ModelChoiceField(
        label=_("Hoặc chọn địa bàn"),
        queryset=Unit.objects.none(),
        required=False,
        empty_label=_("— Chọn —"),
    )
    contact = forms.CharField(
        label=_("Số điện thoại hoặc email (không bắt buộc, không công khai)"),
        max_length=254,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "tel"}),
    )
    body = forms.CharField(
        label=_("Nội dung góp ý"),
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Tối đa %(n)s ký tự.") % {"n": COMMENT_MAX_LENGTH},
        error_messages={
            "required": MSG_BODY_EMPTY,
            "max_length": _(
                "Nội dung góp ý dài quá %(limit_value)s ký tự (hiện có %(show_value)s)."
            ),
        },
    )
    # Hidden from people by CSS and from assistive technology; bots tend to fill it.
    website = forms.CharField(
        label=_("Để trống ô này"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    token = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, page_id: int, units=None, now: float | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.page_id = page_id
        self.now = now
        if units is not None:
            self.fields["locality_unit"].queryset = units
            self.fields["locality_unit"].label_from_instance = lambda unit: (
                "— " * max(unit.depth - 2, 0) + unit.name
            )
        if not self.is_bound:
            self.initial["token"] = form_token(page_id=page_id, now=now)

    def clean_name(self):
        return normalize_text(self.cleaned_data["name"])

    def clean_locality(self):
        return normalize_text(self.cleaned_data["locality"])

    def clean_body(self):
        body = unicodedata.normalize("NFC", self.cleaned_data["body"]).strip()
        if not body:
            raise forms.ValidationError(MSG_BODY_EMPTY)
        return body

    def clean_contact(self):
        contact = normalize_text(self.cleaned_data["contact"])
        if not contact:
            return ""
        if "@" in contact:
            try:
                EmailValidator()(contact)
            except forms.ValidationError as error:
                raise forms.ValidationError(MSG_CONTACT) from error
            return contact.lower()
        digits = "".join(ch for ch in contact if ch.isdigit())
        if not 9 <= len(digits) <= 12:
            raise forms.ValidationError(MSG_CONTACT)
        return digits

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("website"):
            raise forms.ValidationError(MSG_SPAM, code="honeypot")
        token = self.data.get("token", "")
        try:
            payload = signing.loads(token, salt=_SALT, max_age=MAX_AGE_SECONDS)
        except signing.SignatureExpired as error:
            raise forms.ValidationError(MSG_EXPIRED, code="expired") from error
        except signing.BadSignature as error:
            raise forms.ValidationError(MSG_SPAM, code="token") from error
        if payload.get("p") != self.page_id:
            raise forms.ValidationError(MSG_SPAM, code="token")
        now = self.now if self.now is not None else time.time()
        if now - float(payload.get("t", now)) < MIN_SECONDS:
            raise forms.ValidationError(MSG_TOO_FAST, code="too_fast")
        if not cleaned.get("locality") and not cleaned.get("locality_unit"):
            self.add_error("locality", MSG_LOCALITY)
        return cleaned

    def fresh_token(self) -> str:
        """A new token for the re-displayed form, keeping the original start time when valid."""
        try:
            payload = signing.loads(self.data.get("token", ""), salt=_SALT, max_age=MAX_AGE_SECONDS)
            if payload.get("p") == self.page_id:
                return self.data["token"]
        except signing.BadSignature:
            pass
        return form_token(page_id=self.page_id, now=self.now)
