"""Wagtail ViewSets for the “Bồi dưỡng” menu: plans, assignments, sessions, audit trail."""

from __future__ import annotations

import django_filters
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.panels import ObjectList
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet

from lms.org.api import TargetGroup, Unit, visible_units

from . import admin_sessions
from . import admin_views as views
from .forms import SessionForm, TrainingPlanForm
from .models import Assignment, AuditEntry, Session, TrainingPlan
from .permissions import ASSIGNMENT_POLICY, AUDIT_POLICY, PLAN_POLICY, SESSION_POLICY


def _visible_units_for(request):
    if request is None:
        return Unit.objects.none()
    return visible_units(user=request.user)


def _year_choices():
    this_year = timezone.localdate().year
    return [(y, str(y)) for y in range(this_year + 1, this_year - 5, -1)]


class AssignmentFilterSet(WagtailFilterSet):
    year = django_filters.ChoiceFilter(label=_("Năm"), choices=_year_choices)
    unit = django_filters.ModelChoiceFilter(
        label=_("Đơn vị (gồm đơn vị trực thuộc)"),
        queryset=_visible_units_for,
        method="filter_unit",
    )
    status = django_filters.ChoiceFilter(
        label=_("Trạng thái"), choices=Assignment.Status.choices, method="filter_status"
    )
    target_group = django_filters.ModelChoiceFilter(
        label=_("Nhóm đối tượng"),
        queryset=TargetGroup.objects.all(),
        field_name="position__target_group",
    )
    counting = django_filters.BooleanFilter(
        label=_("Đang tính"), field_name="active", widget=django_filters.widgets.BooleanWidget
    )

    class Meta:
        model = Assignment
        fields = ["year", "unit", "status", "target_group", "counting"]

    def filter_unit(self, queryset, name, value):
        return queryset.for_unit_tree(value) if value else queryset

    def filter_status(self, queryset, name, value):
        return queryset.filter(effective_status=value) if value else queryset


class TrainingPlanViewSet(ModelViewSet):
    model = TrainingPlan
    permission_policy = PLAN_POLICY
    icon = "calendar-alt"
    menu_label = _("Kế hoạch bồi dưỡng")
    menu_order = 100
    name = "training_plans"
    url_prefix = "boi-duong/ke-hoach"
    add_to_reference_index = False
    copy_view_enabled = False
    index_view_class = views.PlanIndexView
    add_view_class = views.PlanCreateView
    edit_view_class = views.PlanEditView
    delete_view_class = views.PlanDeleteView
    edit_handler = ObjectList(TrainingPlan.panels, base_form_class=TrainingPlanForm)
    list_display = ["title", "year", "scope_unit", "status"]
    list_filter = ["year", "status"]
    list_per_page = 50

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("sao-chep/<int:pk>/", views.PlanCopyView.as_view(), name="copy"),
        ]


class AssignmentViewSet(ModelViewSet):
    model = Assignment
    permission_policy = ASSIGNMENT_POLICY
    icon = "tasks"
    menu_label = _("Nhiệm vụ bồi dưỡng")
    menu_order = 110
    name = "training_assignments"
    url_prefix = "boi-duong/nhiem-vu"
    add_to_reference_index = False
    copy_view_enabled = False
    inspect_view_enabled = True
    index_view_class = views.AssignmentIndexView
    inspect_view_class = views.AssignmentInspectView
    filterset_class = AssignmentFilterSet
    list_display = views.ASSIGNMENT_COLUMNS
    search_fields = ["person__search_text"]
    list_per_page = 50
    form_fields = ["exempt_reason"]  # the generic edit view is refused by the policy
    inspect_view_fields = [
        "person",
        "requirement",
        "unit",
        "position",
        "year",
        "due_date",
        "status",
        "completed_at",
        "completed_via",
        "exempt_reason",
        "exempt_by",
        "exempt_at",
        "source",
        "active",
    ]

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("mien/<int:pk>/", views.AssignmentExemptView.as_view(), name="exempt"),
            path("hoan-thanh/<int:pk>/", views.AssignmentCompleteView.as_view(), name="complete"),
            path("giao-them/", views.AssignmentAssignView.as_view(), name="assign"),
        ]


class SessionViewSet(ModelViewSet):
    model = Session
    permission_policy = SESSION_POLICY
    icon = "group"
    menu_label = _("Lớp tập huấn")
    menu_order = 120
    name = "training_sessions"
    url_prefix = "boi-duong/lop-tap-huan"
    add_to_reference_index = False
    copy_view_enabled = False
    index_view_class = admin_sessions.SessionIndexView
    add_view_class = admin_sessions.SessionCreateView
    edit_view_class = admin_sessions.SessionEditView
    edit_handler = ObjectList(Session.panels, base_form_class=SessionForm)
    list_display = ["title", "course", "starts_at", "place", "trainer"]
    list_per_page = 50

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path(
                "diem-danh/<int:pk>/",
                admin_sessions.SessionAttendanceView.as_view(),
                name="attendance",
            ),
            path(
                "danh-sach-ky-nhan/<int:pk>/",
                admin_sessions.SessionEvidenceView.as_view(),
                name="evidence",
            ),
            path(
                "danh-sach-ky-nhan/<int:pk>/<int:evidence_pk>/",
                admin_sessions.session_evidence_file,
                name="evidence_file",
            ),
            path("ma-qr/<int:pk>/", admin_sessions.session_qr, name="qr"),
            path(
                "diem-danh/<int:pk>/huy/<int:attendance_pk>/",
                admin_sessions.SessionAttendanceRemoveView.as_view(),
                name="attendance_remove",
            ),
        ]


class AuditEntryViewSet(ModelViewSet):
    model = AuditEntry
    permission_policy = AUDIT_POLICY
    icon = "history"
    menu_label = _("Nhật ký thay đổi")
    menu_order = 190
    name = "training_audit"
    url_prefix = "boi-duong/nhat-ky"
    add_to_reference_index = False
    copy_view_enabled = False
    inspect_view_enabled = True
    form_fields = ["note"]  # the generic edit view is refused by the policy
    list_display = ["created_at", "actor", "action", "object_repr", "note"]
    list_filter = ["action"]
    list_per_page = 100


class TrainingViewSetGroup(ViewSetGroup):
    menu_label = _("Bồi dưỡng")
    menu_name = "training"
    menu_icon = "calendar-alt"
    menu_order = 210
    items = (TrainingPlanViewSet, AssignmentViewSet, SessionViewSet, AuditEntryViewSet)
