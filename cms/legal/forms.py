from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import DocumentStatus, DocumentType, LegalLibraryPage
from .parsing import ALLOWED_EXTENSIONS

ACCEPT_REQUIRED = _("Hãy đánh dấu “tôi đã xem các cảnh báo” để nhập văn bản có cảnh báo.")
TOKEN_INVALID = _("Phiên xem trước đã hết hạn, hãy tải tệp lên lại.")
_TOKEN = re.compile(r"^[0-9a-f]{32}$")


class MetadataForm(forms.Form):
    number = forms.CharField(label=_("Số hiệu"), max_length=64, help_text=_("Ví dụ: 10/2022/QH15"))
    title = forms.CharField(label=_("Tên văn bản"), max_length=255, required=False)
    short_code = forms.CharField(
        label=_("Mã trích dẫn"),
        max_length=64,
        required=False,
        help_text=_("Để trống: dùng số hiệu."),
    )
    document_type = forms.ChoiceField(
        label=_("Loại văn bản"), choices=[("", "—"), *DocumentType.choices], required=False
    )
    issuer = forms.CharField(label=_("Cơ quan ban hành"), max_length=255, required=False)
    issue_date = forms.DateField(
        label=_("Ngày ban hành"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    effective_date = forms.DateField(
        label=_("Ngày có hiệu lực"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    status = forms.ChoiceField(
        label=_("Tình trạng"), choices=[("", "—"), *DocumentStatus.choices], required=False
    )
    source_note = forms.CharField(
        label=_("Ghi chú nguồn"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    parent = forms.ModelChoiceField(
        label=_("Đặt trong thư viện"),
        queryset=LegalLibraryPage.objects.all(),
        required=False,
        help_text=_(
            "Chỉ dùng khi tạo văn bản mới; văn bản đã có (cùng số hiệu) được cập nhật tại chỗ."
        ),
    )


class UploadForm(MetadataForm):
    file = forms.FileField(
        label=_("Tệp văn bản"), help_text=_("Tệp .txt, .md hoặc .docx, tối đa 5 MB.")
    )
    field_order = ["file"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].widget.attrs["accept"] = ",".join(ALLOWED_EXTENSIONS)


class ConfirmForm(MetadataForm):
    token = forms.CharField(widget=forms.HiddenInput)
    accept_warnings = forms.BooleanField(label=_("Tôi đã xem các cảnh báo"), required=False)

    def clean_token(self):
        token = self.cleaned_data["token"]
        if not _TOKEN.match(token):
            raise forms.ValidationError(TOKEN_INVALID)
        return token
