"""The activity form: units limited to the user's subtree, evidence checked before it is stored."""

from __future__ import annotations

import os
import unicodedata

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from lms.core.text import normalize_text
from lms.core.uploads import validate_upload
from lms.org.api import Unit, visible_people, visible_units

from .models import EVIDENCE_EXTENSIONS, EVIDENCE_MAX_BYTES

MSG_DATE_IN_FUTURE = _("Ngày thực hiện không được sau ngày hôm nay.")
MSG_DATE_TOO_OLD = _("Chỉ ghi nhận hoạt động từ năm 2000 trở đi.")
MSG_UNIT_INACTIVE = _("Đơn vị không còn hoạt động vào ngày thực hiện.")


class EvidenceInput(forms.ClearableFileInput):
    """Shows the stored file's name without linking to its storage URL (evidence is private)."""

    template_name = "dissemination/widgets/evidence_input.html"

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["file_name"] = os.path.basename(getattr(value, "name", "") or "")
        return context


class ActivityForm(WagtailAdminModelForm):
    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        units = visible_units(user=for_user) if for_user is not None else Unit.objects.none()
        if "unit" in self.fields:
            self.fields["unit"].queryset = units.select_related("kind")
            self.fields["unit"].label_from_instance = lambda unit: (
                "— " * max(unit.depth - 1, 0) + unit.name
            )
        if "disseminator_person" in self.fields:
            people = visible_people(user=for_user) if for_user is not None else None
            if people is not None:
                self.fields["disseminator_person"].queryset = people.order_by("sort_key")
        if "evidence" in self.fields:
            self.fields["evidence"].widget = EvidenceInput()
            self.fields["evidence"].widget.attrs["accept"] = ",".join(
                f".{ext}" for ext in sorted(EVIDENCE_EXTENSIONS)
            )

    def clean_date(self):
        day = self.cleaned_data["date"]
        if day > timezone.localdate():
            raise forms.ValidationError(MSG_DATE_IN_FUTURE)
        if day.year < 2000:
            raise forms.ValidationError(MSG_DATE_TOO_OLD)
        return day

    def clean_evidence(self):
        upload = self.cleaned_data.get("evidence")
        # Only a newly uploaded file is checked; a file already stored stays as it is.
        if upload and hasattr(upload, "content_type"):
            validate_upload(file=upload, allowed=EVIDENCE_EXTENSIONS, max_bytes=EVIDENCE_MAX_BYTES)
        return upload

    def clean(self):
        cleaned = super().clean()
        unit, day = cleaned.get("unit"), cleaned.get("date")
        if unit and day:
            started = unit.valid_from is None or unit.valid_from <= day
            not_ended = unit.valid_to is None or unit.valid_to > day
            if not (started and not_ended):
                self.add_error("unit", MSG_UNIT_INACTIVE)
        for field in ("topic", "disseminator", "place"):
            if isinstance(cleaned.get(field), str):
                cleaned[field] = normalize_text(cleaned[field])
        for field in ("documents", "notes"):
            if isinstance(cleaned.get(field), str):
                cleaned[field] = unicodedata.normalize("NFC", cleaned[field]).strip()
        return cleaned
