"""The entrant form (no account: name, phone, commune, hamlet, consent; honeypot) and the prediction."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from lms.core.text import normalize_text

MSG_SPAM = _("Không thể nhận đăng ký này. Vui lòng thử lại.")
MSG_CONSENT = _("Vui lòng đánh dấu đồng ý với thể lệ và việc lưu thông tin để dự thi.")
MSG_NAME = _("Hãy nhập họ và tên.")
MSG_PHONE = _("Hãy nhập số điện thoại.")
MSG_COMMUNE = _("Vui lòng chọn xã, phường trong danh sách.")
MSG_PREDICTION = _("Hãy nhập một số nguyên từ 0 trở lên.")


class EntrantForm(forms.Form):
    full_name = forms.CharField(
        label=_("Họ và tên"),
        max_length=200,
        error_messages={"required": MSG_NAME},
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    phone = forms.CharField(
        label=_("Số điện thoại"),
        max_length=20,
        error_messages={"required": MSG_PHONE},
        help_text=_("Dùng để xác định người dự thi và liên hệ trao giải; không công khai."),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    commune = forms.ModelChoiceField(
        label=_("Xã, phường nơi bạn sinh sống"),
        queryset=None,
        empty_label=_("— Chọn xã, phường —"),
        error_messages={"required": MSG_COMMUNE, "invalid_choice": MSG_COMMUNE},
    )
    hamlet = forms.CharField(
        label=_("Thôn, ấp, khu phố (không bắt buộc)"), max_length=200, required=False
    )
    consent = forms.BooleanField(
        label=_("Tôi đã đọc thể lệ và đồng ý"), error_messages={"required": MSG_CONSENT}
    )
    # Hidden from people by CSS and from assistive technology; bots tend to fill it.
    website = forms.CharField(
        label=_("Để trống ô này"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def __init__(self, *args, communes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commune"].queryset = communes

    def clean_full_name(self):
        name = normalize_text(self.cleaned_data["full_name"]).strip()
        if not name:
            raise forms.ValidationError(MSG_NAME)
        return name

    def clean_hamlet(self):
        return normalize_text(self.cleaned_data["hamlet"]).strip()

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("website"):
            raise forms.ValidationError(MSG_SPAM, code="honeypot")
        return cleaned


class PredictionForm(forms.Form):
    prediction = forms.IntegerField(
        label=_("Theo bạn, đợt thi này sẽ có bao nhiêu người có bài làm đúng hoàn toàn?"),
        min_value=0,
        max_value=10_000_000,
        error_messages={
            "required": MSG_PREDICTION,
            "invalid": MSG_PREDICTION,
            "min_value": MSG_PREDICTION,
            "max_value": MSG_PREDICTION,
        },
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": "0"}),
    )
