"""The citizens' question form: the consultation comment form's spam resistance (honeypot, signed
time-to-submit token, Vietnamese messages) with a topic and the question instead of a comment."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from cms.consultations.forms import CommentForm

QUESTION_MAX_LENGTH = 3000

MSG_QUESTION_SENT = _(
    "Câu hỏi của bạn đã được gửi. Cán bộ sẽ xem xét và trả lời công khai trên trang này; "
    "thông tin liên hệ của bạn không được công khai."
)
MSG_QUESTION_EMPTY = _("Hãy nhập câu hỏi.")
MSG_QUESTION_RATE_LIMIT = _(
    "Bạn đã gửi nhiều câu hỏi trong thời gian ngắn. Vui lòng thử lại sau một giờ."
)
MSG_QUESTION_LOCALITY = _("Hãy ghi ấp, khu phố hoặc xã, phường nơi bạn sinh sống.")


class QuestionForm(CommentForm):
    topic = forms.ModelChoiceField(
        label=_("Chủ đề (không bắt buộc)"),
        queryset=None,
        required=False,
        empty_label=_("— Chọn —"),
    )

    field_order = ["name", "locality", "contact", "topic", "body", "website"]

    def __init__(self, *args, topics, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["locality_unit"]
        self.fields["topic"].queryset = topics
        body = self.fields["body"]
        body.label = _("Câu hỏi của bạn")
        body.max_length = QUESTION_MAX_LENGTH
        body.error_messages["required"] = MSG_QUESTION_EMPTY
        self.fields["locality"].help_text = _("Ví dụ: Ấp 1, xã Bắc Tân Uyên.")
        self.order_fields(self.field_order)

    def clean_body(self):
        try:
            return super().clean_body()
        except forms.ValidationError as error:
            raise forms.ValidationError(MSG_QUESTION_EMPTY) from error

    def clean(self):
        cleaned = super().clean()
        # The comment form's message mentions a list of places this form does not have.
        if "locality" in self.errors:
            self.errors["locality"] = self.error_class([MSG_QUESTION_LOCALITY])
        return cleaned
