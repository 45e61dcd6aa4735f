"""Forms of the organisation staff screens. Choices are always limited to the user's scope."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.widgets import AdminDateInput

from lms.core.text import normalize_text

from .models import Person, PositionAssignment, StaffRole, TargetGroup, Unit, normalize_phone
from .scoping import is_system_admin, visible_people, visible_units
from .selectors import units_manageable

MSG_PARENT_REQUIRED = _("Chọn đơn vị cấp trên trong phạm vi bạn quản lý.")
MSG_END_CHILDREN_FIRST = _("Đơn vị còn đơn vị trực thuộc đang hoạt động; hãy kết thúc chúng trước.")
MSG_END_AFTER_START = _("Ngày hết hiệu lực phải sau ngày hiệu lực.")
MSG_PHONE_TAKEN = _("Số điện thoại này đã thuộc về người khác.")
MSG_EMAIL_TAKEN = _("Thư điện tử này đã thuộc về người khác.")
MSG_STAFF_CODE_TAKEN = _("Mã cán bộ này đã thuộc về người khác.")
MSG_PHONE_INVALID = _("Số điện thoại không hợp lệ.")
MSG_SUCCESSOR_IN_SOURCES = _("Đơn vị kế thừa không được nằm trong các đơn vị bị sáp nhập.")
MSG_ROLE_SCOPE_REQUIRED = _("Chọn đơn vị trong phạm vi bạn quản trị.")
MSG_ROLE_EXISTS = _("Tài khoản này đã có vai trò này trong phạm vi này.")
MSG_POSITION_END_BEFORE_START = _("Ngày kết thúc phải sau ngày bắt đầu.")


def _date_field(label, *, required=True, help_text=""):
    return forms.DateField(
        label=label, required=required, help_text=help_text, widget=AdminDateInput()
    )


def _active_units(qs):
    return qs.active().select_related("kind")


class UnitChoiceField(forms.ModelChoiceField):
    """Units shown indented by depth so the tree reads in a plain select."""

    def label_from_instance(self, obj: Unit) -> str:
        return f"{'— ' * (obj.depth - 1)}{obj.name} ({obj.code})"


class UnitMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Unit) -> str:
        return f"{'— ' * (obj.depth - 1)}{obj.name} ({obj.code})"


class UnitCreateForm(WagtailAdminModelForm):
    parent = UnitChoiceField(
        label=_("Đơn vị cấp trên"),
        queryset=Unit.objects.none(),
        required=False,
        help_text=_("Để trống để tạo một đơn vị gốc (chỉ quản trị viên toàn hệ thống)."),
    )

    class Meta:
        model = Unit
        fields = ["parent", "code", "name", "kind", "place_name", "valid_from"]
        widgets = {"valid_from": AdminDateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = _active_units(units_manageable(user=self.for_user))
        if not is_system_admin(self.for_user):
            self.fields["parent"].required = True
            self.fields["parent"].help_text = ""

    def clean_parent(self):
        parent = self.cleaned_data.get("parent")
        if parent is None and not is_system_admin(self.for_user):
            raise ValidationError(MSG_PARENT_REQUIRED)
        return parent

    def clean_code(self):
        code = normalize_text(self.cleaned_data["code"]).upper()
        if Unit.objects.filter(code=code, valid_to__isnull=True).exists():
            raise ValidationError(_("Mã đơn vị “%(code)s” đang được dùng.") % {"code": code})
        return code


class UnitEditForm(WagtailAdminModelForm):
    """Name changes go through “Đổi tên” so the history keeps the old name."""

    class Meta:
        model = Unit
        fields = ["code", "kind", "place_name", "valid_from", "valid_to"]
        widgets = {"valid_from": AdminDateInput(), "valid_to": AdminDateInput()}
        help_texts = {
            "valid_to": _(
                "Đơn vị không bao giờ bị xóa: điền ngày này để kết thúc hoạt động của đơn vị."
            )
        }

    def clean_code(self):
        code = normalize_text(self.cleaned_data["code"]).upper()
        clash = Unit.objects.filter(code=code, valid_to__isnull=True).exclude(pk=self.instance.pk)
        if clash.exists():
            raise ValidationError(_("Mã đơn vị “%(code)s” đang được dùng.") % {"code": code})
        return code

    def clean(self):
        data = super().clean()
        start, end = data.get("valid_from"), data.get("valid_to")
        if start and end and end <= start:
            self.add_error("valid_to", MSG_END_AFTER_START)
        if end and self.instance.pk and self.instance.get_children().active_on(end).exists():
            self.add_error("valid_to", MSG_END_CHILDREN_FIRST)
        return data


class UnitRenameForm(forms.Form):
    new_name = forms.CharField(label=_("Tên mới"), max_length=255)
    date = _date_field(_("Ngày hiệu lực của tên mới"))
    note = forms.CharField(
        label=_("Căn cứ, ghi chú"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Ví dụ: số, ngày của nghị quyết, quyết định."),
    )

    def __init__(self, *args, unit: Unit, **kwargs):
        kwargs.setdefault("initial", {"new_name": unit.name, "date": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.unit = unit

    def clean_new_name(self):
        name = normalize_text(self.cleaned_data["new_name"])
        if name == self.unit.name:
            raise ValidationError(_("Tên mới trùng với tên hiện tại."))
        return name


class UnitMergeForm(forms.Form):
    sources = UnitMultipleChoiceField(
        label=_("Các đơn vị bị sáp nhập"),
        queryset=Unit.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Các đơn vị này kết thúc vào ngày sáp nhập; người và đơn vị trực thuộc chuyển sang đơn vị kế thừa."
        ),
    )
    successor = UnitChoiceField(label=_("Đơn vị kế thừa"), queryset=Unit.objects.none())
    date = _date_field(_("Ngày sáp nhập có hiệu lực"))
    note = forms.CharField(
        label=_("Căn cứ, ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        units = _active_units(units_manageable(user=user))
        self.fields["sources"].queryset = units
        self.fields["successor"].queryset = units

    def clean(self):
        data = super().clean()
        sources, successor = data.get("sources"), data.get("successor")
        if sources and successor and successor in sources:
            self.add_error("successor", MSG_SUCCESSOR_IN_SOURCES)
        return data


class PersonForm(WagtailAdminModelForm):
    class Meta:
        model = Person
        fields = ["full_name", "phone", "email", "staff_code", "birth_date", "gender", "is_active"]
        widgets = {"birth_date": AdminDateInput()}

    def _unique(self, field: str, value, message):
        if value and Person.objects.filter(**{field: value}).exclude(pk=self.instance.pk).exists():
            raise ValidationError(message)
        return value or None

    def clean_full_name(self):
        return normalize_text(self.cleaned_data["full_name"])

    def clean_phone(self):
        raw = self.cleaned_data.get("phone") or ""
        phone = normalize_phone(raw)
        if raw and not (9 <= len(phone) <= 11):
            raise ValidationError(MSG_PHONE_INVALID)
        return self._unique("phone", phone, MSG_PHONE_TAKEN)

    def clean_email(self):
        email = normalize_text(self.cleaned_data.get("email") or "").lower()
        return self._unique("email", email, MSG_EMAIL_TAKEN)

    def clean_staff_code(self):
        code = normalize_text(self.cleaned_data.get("staff_code") or "").upper()
        return self._unique("staff_code", code, MSG_STAFF_CODE_TAKEN)


class PersonCreateForm(PersonForm):
    """A new person starts with a position, so the manager who created them keeps seeing them."""

    unit = UnitChoiceField(label=_("Đơn vị"), queryset=Unit.objects.none())
    target_group = forms.ModelChoiceField(
        label=_("Nhóm đối tượng"), queryset=TargetGroup.objects.none()
    )
    title = forms.CharField(label=_("Chức danh"), max_length=200, required=False)
    start_date = _date_field(_("Đảm nhiệm từ ngày"))

    class Meta(PersonForm.Meta):
        fields = [*PersonForm.Meta.fields, "unit", "target_group", "title", "start_date"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = _active_units(visible_units(user=self.for_user))
        self.fields["target_group"].queryset = TargetGroup.objects.filter(is_active=True)
        self.fields["start_date"].initial = timezone.localdate()


class PositionCreateForm(WagtailAdminModelForm):
    person = forms.ModelChoiceField(label=_("Người"), queryset=Person.objects.none())
    unit = UnitChoiceField(label=_("Đơn vị"), queryset=Unit.objects.none())

    class Meta:
        model = PositionAssignment
        fields = ["person", "unit", "target_group", "title", "start_date", "end_date", "note"]
        widgets = {"start_date": AdminDateInput(), "end_date": AdminDateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = visible_people(user=self.for_user).order_by(
            "sort_key", "id"
        )
        self.fields["unit"].queryset = _active_units(visible_units(user=self.for_user))
        self.fields["target_group"].queryset = TargetGroup.objects.filter(is_active=True)

    def clean(self):
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end <= start:
            self.add_error("end_date", MSG_POSITION_END_BEFORE_START)
        return data


class PositionEditForm(WagtailAdminModelForm):
    """Ending a position (or correcting its title) — person, unit and group stay as recorded."""

    class Meta:
        model = PositionAssignment
        fields = ["title", "end_date", "note"]
        widgets = {"end_date": AdminDateInput()}

    def clean_end_date(self):
        end = self.cleaned_data.get("end_date")
        if end and end <= self.instance.start_date:
            raise ValidationError(MSG_POSITION_END_BEFORE_START)
        return end


class StaffRoleForm(WagtailAdminModelForm):
    user = forms.ModelChoiceField(label=_("Tài khoản"), queryset=get_user_model().objects.none())
    unit = UnitChoiceField(
        label=_("Phạm vi đơn vị"),
        queryset=Unit.objects.none(),
        required=False,
        help_text=_(
            "Vai trò áp dụng cho đơn vị này và mọi đơn vị trực thuộc. Để trống: toàn hệ thống."
        ),
    )

    class Meta:
        model = StaffRole
        fields = ["user", "role", "unit"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        User = get_user_model()
        user = self.for_user
        users = User.objects.filter(is_active=True).order_by("username")
        if not is_system_admin(user):
            users = users.filter(person__in=visible_people(user=user))
            self.fields["unit"].required = True
            self.fields["unit"].help_text = ""
        if not user.is_superuser:
            users = users.filter(is_superuser=False)
        self.fields["user"].queryset = users
        self.fields["unit"].queryset = _active_units(units_manageable(user=user))

    def clean(self):
        data = super().clean()
        if data.get("unit") is None and not is_system_admin(self.for_user):
            self.add_error("unit", MSG_ROLE_SCOPE_REQUIRED)
        user, role, unit = data.get("user"), data.get("role"), data.get("unit")
        if user and role and StaffRole.objects.filter(user=user, role=role, unit=unit).exists():
            raise ValidationError(MSG_ROLE_EXISTS)
        return data
