"""Wagtail ViewSets and permission policies for the organisation screens.

Who may do what is written once, in POLICIES below; the menu, the views and the per-object
checks all read it. Querysets come from lms.org.scoping, so a unit manager only ever meets
their own subtree.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import django_filters
from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet
from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import BooleanRadioSelect
from wagtail.permission_policies.base import BasePermissionPolicy

from . import admin_views as views
from .forms import (
    PersonCreateForm,
    PersonForm,
    PositionCreateForm,
    PositionEditForm,
    StaffRoleForm,
    UnitCreateForm,
    UnitEditForm,
)
from .models import Person, PositionAssignment, StaffRole, TargetGroup, Unit, UnitKind
from .scoping import has_role, is_system_admin, visible_positions, visible_units
from .selectors import ADMIN_ONLY, staff_roles_visible, units_manageable

MANAGER, ADMIN = StaffRole.Role.MANAGER, StaffRole.Role.ADMIN
STAFF = (MANAGER, ADMIN)

ScopeFn = Callable[[object, Iterable[str]], QuerySet]


class RoleScopedPolicy(BasePermissionPolicy):
    """Actions allowed per staff role, plus a scoped queryset of the instances they reach.

    `system_only` actions need a system-wide administrator (config shared by every unit).
    Actions absent from `roles` are refused to everyone, superusers included (units are never
    deleted, for example).
    """

    def __init__(
        self,
        model,
        *,
        roles: dict[str, tuple[str, ...]],
        scope: ScopeFn,
        system_only: Iterable[str] = (),
    ):
        super().__init__(model)
        self.roles = roles
        self.scope = scope
        self.system_only = frozenset(system_only)

    def user_has_permission(self, user, action):
        if not getattr(user, "is_active", False) or action not in self.roles:
            return False
        if action in self.system_only:
            return is_system_admin(user)
        return has_role(user, *self.roles[action])

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def users_with_any_permission(self, actions):
        roles = {role for action in actions for role in self.roles.get(action, ())}
        condition = Q(is_superuser=True) | Q(staff_roles__role__in=roles)
        return get_user_model().objects.filter(condition, is_active=True).distinct()

    def instances_user_has_any_permission_for(self, user, actions):
        allowed = [a for a in actions if self.user_has_permission(user, a)]
        if not allowed:
            return self.model._default_manager.none()
        return self.scope(user, allowed)

    def user_has_permission_for_instance(self, user, action, instance):
        return (
            self.user_has_permission(user, action)
            and self.scope(user, [action]).filter(pk=instance.pk).exists()
        )


def _unit_scope(user, actions):
    if set(actions) <= {"view"}:
        return visible_units(user=user)
    return units_manageable(user=user)


def _people_scope(user, actions):
    from .scoping import visible_people

    return visible_people(user=user)


def _everything(model):
    return lambda user, actions: model._default_manager.all()


POLICIES: dict[type, RoleScopedPolicy] = {
    Unit: RoleScopedPolicy(
        Unit, roles={"view": STAFF, "add": ADMIN_ONLY, "change": ADMIN_ONLY}, scope=_unit_scope
    ),
    Person: RoleScopedPolicy(
        Person, roles={"view": STAFF, "add": STAFF, "change": STAFF}, scope=_people_scope
    ),
    PositionAssignment: RoleScopedPolicy(
        PositionAssignment,
        roles={"view": STAFF, "add": STAFF, "change": STAFF},
        scope=lambda user, actions: visible_positions(user=user),
    ),
    TargetGroup: RoleScopedPolicy(
        TargetGroup,
        roles={"view": ADMIN_ONLY, "add": ADMIN_ONLY, "change": ADMIN_ONLY},
        system_only={"add", "change"},
        scope=_everything(TargetGroup),
    ),
    UnitKind: RoleScopedPolicy(
        UnitKind,
        roles={"view": ADMIN_ONLY, "add": ADMIN_ONLY, "change": ADMIN_ONLY},
        system_only={"add", "change"},
        scope=_everything(UnitKind),
    ),
    StaffRole: RoleScopedPolicy(
        StaffRole,
        roles={"view": ADMIN_ONLY, "add": ADMIN_ONLY, "delete": ADMIN_ONLY},
        scope=lambda user, actions: staff_roles_visible(user=user),
    ),
}


# --- Filters ---------------------------------------------------------------------------------


def _visible_units_for(request):
    if request is None:
        return Unit.objects.none()
    return visible_units(user=request.user).select_related("kind")


class PersonFilterSet(WagtailFilterSet):
    unit = django_filters.ModelChoiceFilter(
        label=_("Đơn vị (gồm đơn vị trực thuộc)"),
        queryset=_visible_units_for,
        method="filter_unit",
    )
    target_group = django_filters.ModelChoiceFilter(
        label=_("Nhóm đối tượng"),
        queryset=TargetGroup.objects.all(),
        method="filter_target_group",
    )
    is_active = django_filters.BooleanFilter(label=_("Đang hoạt động"), widget=BooleanRadioSelect)

    class Meta:
        model = Person
        fields = ["unit", "target_group", "is_active"]

    def _current(self):
        return PositionAssignment.objects.current()

    def filter_unit(self, queryset, name, value):
        if not value:
            return queryset
        ids = self._current().filter(unit__path__startswith=value.path).values("person_id")
        return queryset.filter(pk__in=ids)

    def filter_target_group(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(
            pk__in=self._current().filter(target_group=value).values("person_id")
        )


class PositionFilterSet(WagtailFilterSet):
    unit = django_filters.ModelChoiceFilter(
        label=_("Đơn vị (gồm đơn vị trực thuộc)"),
        queryset=_visible_units_for,
        method="filter_unit",
    )
    target_group = django_filters.ModelChoiceFilter(
        label=_("Nhóm đối tượng"), queryset=TargetGroup.objects.all()
    )
    person = django_filters.NumberFilter(
        field_name="person_id", widget=django_filters.widgets.forms.HiddenInput
    )
    current = django_filters.BooleanFilter(
        label=_("Đang đảm nhiệm"), method="filter_current", widget=BooleanRadioSelect
    )

    class Meta:
        model = PositionAssignment
        fields = ["unit", "target_group", "person", "current"]

    def filter_unit(self, queryset, name, value):
        return queryset.filter(unit__path__startswith=value.path) if value else queryset

    def filter_current(self, queryset, name, value):
        if value is None:
            return queryset
        current = PositionAssignment.objects.current().values("pk")
        return queryset.filter(pk__in=current) if value else queryset.exclude(pk__in=current)


class UnitFilterSet(WagtailFilterSet):
    kind = django_filters.ModelChoiceFilter(label=_("Loại đơn vị"), queryset=UnitKind.objects.all())
    active = django_filters.BooleanFilter(
        label=_("Đang hoạt động"), method="filter_active", widget=BooleanRadioSelect
    )

    class Meta:
        model = Unit
        fields = ["kind", "active"]

    def filter_active(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(valid_to__isnull=value)


# --- ViewSets --------------------------------------------------------------------------------


class _OrgViewSet(ModelViewSet):
    copy_view_enabled = False
    inspect_view_enabled = False
    add_to_reference_index = False
    edit_view_class = views.ScopedEditView
    add_view_class = views.ScopedCreateView
    delete_view_class = views.ScopedDeleteView
    history_view_class = views.ScopedHistoryView
    usage_view_class = views.ScopedUsageView
    index_view_class = views.ScopedIndexView
    create_form_class = None
    edit_form_class = None

    def get_form_class(self, for_update=False):
        form_class = self.edit_form_class if for_update else self.create_form_class
        return form_class or super().get_form_class(for_update)


class UnitViewSet(_OrgViewSet):
    model = Unit
    icon = "site"
    menu_label = _("Cây đơn vị")
    menu_order = 100
    name = "org_units"
    url_prefix = "to-chuc/don-vi"
    index_view_class = views.UnitIndexView
    add_view_class = views.UnitCreateView
    edit_view_class = views.UnitEditView
    create_form_class = UnitCreateForm
    edit_form_class = UnitEditForm
    filterset_class = UnitFilterSet
    search_fields = ["search_text"]
    list_per_page = 100

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("rename/<int:pk>/", views.UnitRenameView.as_view(), name="rename"),
            path("merge/", views.UnitMergeView.as_view(), name="merge"),
        ]


class PersonViewSet(_OrgViewSet):
    model = Person
    icon = "group"
    menu_label = _("Người học")
    menu_order = 110
    name = "org_people"
    url_prefix = "to-chuc/nguoi"
    index_view_class = views.PersonIndexView
    add_view_class = views.PersonCreateView
    create_form_class = PersonCreateForm
    edit_form_class = PersonForm
    filterset_class = PersonFilterSet
    search_fields = ["search_text"]
    list_display = [
        "full_name",
        views.CurrentPositionsColumn("current_positions", label=_("Vị trí hiện tại")),
        "phone",
        "staff_code",
    ]
    list_per_page = 50


class PositionViewSet(_OrgViewSet):
    model = PositionAssignment
    icon = "user"
    menu_label = _("Vị trí đảm nhiệm")
    menu_order = 120
    name = "org_positions"
    url_prefix = "to-chuc/vi-tri"
    index_view_class = views.PositionIndexView
    add_view_class = views.PositionCreateView
    edit_view_class = views.PositionEditView
    create_form_class = PositionCreateForm
    edit_form_class = PositionEditForm
    filterset_class = PositionFilterSet
    list_display = ["person", "unit", "target_group", "title", "start_date", "end_date"]
    list_per_page = 50


class TargetGroupViewSet(_OrgViewSet):
    model = TargetGroup
    icon = "tag"
    menu_label = _("Nhóm đối tượng")
    menu_order = 130
    name = "org_target_groups"
    url_prefix = "to-chuc/nhom-doi-tuong"
    form_fields = [
        "code",
        "name",
        "short_name",
        "description",
        "legal_basis",
        "requires_training",
        "is_active",
        "sort_order",
    ]
    list_display = ["name", "code", "requires_training", "is_active"]
    sort_order_field = None


class UnitKindViewSet(_OrgViewSet):
    model = UnitKind
    icon = "list-ul"
    menu_label = _("Loại đơn vị")
    menu_order = 140
    name = "org_unit_kinds"
    url_prefix = "to-chuc/loai-don-vi"
    form_fields = ["code", "name", "is_locality", "sort_order"]
    list_display = ["name", "code", "is_locality", "sort_order"]
    sort_order_field = None


class StaffRoleIndexView(views.ScopedIndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("user", "unit").order_by("user__username")


class StaffRoleViewSet(_OrgViewSet):
    model = StaffRole
    icon = "key"
    menu_label = _("Vai trò quản trị")
    menu_order = 150
    name = "org_staff_roles"
    url_prefix = "to-chuc/vai-tro"
    index_view_class = StaffRoleIndexView
    create_form_class = StaffRoleForm
    edit_form_class = StaffRoleForm
    list_display = ["user", "role", "unit", "created_at"]


class OrgViewSetGroup(ViewSetGroup):
    menu_label = _("Tổ chức")
    menu_name = "org"
    menu_icon = "site"
    menu_order = 200
    # Other org screens (e.g. imports) add themselves to this submenu via this hook.
    submenu_hook = "register_org_menu_item"
    items = (
        UnitViewSet,
        PersonViewSet,
        PositionViewSet,
        TargetGroupViewSet,
        UnitKindViewSet,
        StaffRoleViewSet,
    )
