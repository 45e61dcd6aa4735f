"""Admin forms for plans and assignments. User-visible errors are module constants."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from lms.org.api import (
    Person,
    PositionAssignment,
    StaffRole,
    Unit,
    visible_people,
    visible_units,
)

from .models import Requirement, TrainingPlan
from .services import MSG_NO_POSITION_UNIT, requirement_covers_unit

MSG_REQUIREMENT_IN_USE = gettext_noop(
    "Không thể xóa yêu cầu “{course}” vì đã phát sinh nhiệm vụ bồi dưỡng. "
    "Hãy kết thúc kế hoạch thay vì xóa."
)


class TrainingPlanForm(WagtailAdminModelForm):
    """Scope limited to the administrator's units; requirements in use cannot be removed."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "scope_unit" in self.fields and self.for_user is not None:
            self.fields["scope_unit"].queryset = visible_units(
                user=self.for_user, roles=(StaffRole.Role.ADMIN,)
            ).active()

    def is_valid(self) -> bool:
        valid = super().is_valid()
        formset = self.formsets.get("requirements") if hasattr(self, "formsets") else None
        if valid and formset is not None:
            for form in formset.deleted_forms:
                requirement = form.instance
                if requirement.pk and requirement.assignments.exists():
                    self.add_error(
                        None, gettext(MSG_REQUIREMENT_IN_USE).format(course=requirement.course)
                    )
                    valid = False
        return valid


class PlanCopyForm(forms.Form):
    year = forms.IntegerField(label=_("Năm của kế hoạch mới"), min_value=2000, max_value=2100)


class ExemptForm(forms.Form):
    reason = forms.CharField(
        label=_("Lý do miễn"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        help_text=_("Ví dụ: đã được bồi dưỡng tại đơn vị khác, nghỉ chữa bệnh dài ngày."),
    )


class CompleteForm(forms.Form):
    note = forms.CharField(
        label=_("Căn cứ ghi nhận"),
        max_length=255,
        help_text=_("Ví dụ: giấy chứng nhận số…, danh sách ký nhận lớp ngày…"),
    )


class ManualAssignForm(forms.Form):
    person = forms.ModelChoiceField(label=_("Người học"), queryset=Person.objects.none())
    requirement = forms.ModelChoiceField(
        label=_("Yêu cầu bồi dưỡng"), queryset=Requirement.objects.none()
    )
    unit = forms.ModelChoiceField(
        label=_("Tính cho đơn vị"),
        queryset=Unit.objects.none(),
        required=False,
        help_text=_("Để trống: đơn vị của vị trí hiện tại của người học."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = visible_people(user=user).order_by("sort_key", "id")
        self.fields["requirement"].queryset = (
            Requirement.objects.filter(
                plan__status=TrainingPlan.Status.ACTIVE,
                plan__year__gte=timezone.localdate().year,
            )
            .select_related("plan", "course")
            .order_by("-plan__year", "plan__title", "sort_order")
        )
        self.fields["unit"].queryset = visible_units(user=user).active()
        self.user = user

    def clean(self):
        data = super().clean()
        person, requirement = data.get("person"), data.get("requirement")
        if person is None or requirement is None or data.get("unit") is not None:
            return data
        # Count the obligation against a unit this manager is responsible for.
        in_scope = visible_units(user=self.user).values("pk")
        for position in (
            PositionAssignment.objects.current()
            .filter(person=person, unit__in=in_scope)
            .select_related("unit")
            .order_by("start_date", "id")
        ):
            if requirement_covers_unit(requirement=requirement, unit=position.unit):
                data["unit"] = position.unit
                return data
        raise forms.ValidationError(gettext(MSG_NO_POSITION_UNIT).format(person=person))


MSG_SESSION_ENDS_BEFORE_START = gettext_noop("Thời gian kết thúc phải sau thời gian bắt đầu.")


class SessionForm(WagtailAdminModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.for_user is not None and "invited_units" in self.fields:
            self.fields["invited_units"].queryset = visible_units(
                user=self.for_user, roles=(StaffRole.Role.TRAINER, StaffRole.Role.ADMIN)
            ).active()
        if "trainer" in self.fields:
            self.fields["trainer"].queryset = (
                get_user_model()
                .objects.filter(
                    staff_roles__role__in=[StaffRole.Role.TRAINER, StaffRole.Role.ADMIN],
                    is_active=True,
                )
                .distinct()
                .order_by("username")
            )

    def clean(self):
        data = super().clean()
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", gettext(MSG_SESSION_ENDS_BEFORE_START))
        return data


class RosterForm(forms.Form):
    people = forms.ModelMultipleChoiceField(
        label=_("Người có mặt"),
        queryset=Person.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["people"].queryset = people


class EvidenceForm(RosterForm):
    file = forms.FileField(
        label=_("Bản quét danh sách ký nhận"),
        help_text=_("Tệp PDF, JPG hoặc PNG, tối đa 10 MB."),
    )


class AttendanceRemoveForm(forms.Form):
    reason = forms.CharField(
        label=_("Lý do hủy điểm danh"),
        help_text=_(
            "Ví dụ: đánh dấu nhầm người, người này không có mặt. Lý do được ghi vào nhật ký."
        ),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=255,
    )
