"""Wagtail admin views for plans and assignments. Every write goes through services."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView
from wagtail.admin.ui.tables import Column, StatusTagColumn, TitleColumn
from wagtail.admin.views import generic
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.widgets.button import HeaderButton, ListingButton

from .forms import CompleteForm, ExemptForm, ManualAssignForm, PlanCopyForm
from .models import Assignment, TrainingPlan
from .permissions import ASSIGNMENT_POLICY, PLAN_POLICY
from .services import (
    assignment_add_manual,
    assignment_exempt,
    assignment_mark_completed,
    plan_copy_from_previous_year,
    plan_sync_enqueue,
)

MSG_PLAN_COPIED = _(
    "Đã tạo dự thảo “%(title)s”. Hãy rà soát các yêu cầu rồi chuyển sang “Đang thực hiện”."
)
MSG_PLAN_SYNCING = _("Đang cập nhật nhiệm vụ bồi dưỡng theo kế hoạch “%(title)s”.")
MSG_EXEMPTED = _("Đã miễn nhiệm vụ của %(person)s.")
MSG_COMPLETED = _("Đã ghi nhận %(person)s hoàn thành.")
MSG_ASSIGNED = _("Đã giao nhiệm vụ cho %(person)s (hạn %(due)s).")
MSG_FORM_ERRORS = _("Vui lòng sửa các lỗi bên dưới.")


# --- Plans ---------------------------------------------------------------------------------


class _ScopedObjectMixin:
    """Objects outside the user's scope for the view's action are “not found”."""

    policy = None
    scoped_action = "view"

    def get_object(self, queryset=None):
        if not self.policy.user_has_permission(self.request.user, self.scoped_action):
            raise PermissionDenied
        scope = self.policy.instances_user_has_any_permission_for(
            self.request.user, [self.scoped_action]
        )
        return get_object_or_404(scope, pk=self.kwargs[self.pk_url_kwarg])


class PlanIndexView(generic.IndexView):
    def get_base_queryset(self):
        return (
            PLAN_POLICY.instances_user_has_any_permission_for(self.request.user, ["view"])
            .select_related("scope_unit")
            .order_by("-year", "scope_unit__path")
        )

    def get_list_more_buttons(self, instance):
        buttons = list(super().get_list_more_buttons(instance))
        if PLAN_POLICY.user_has_permission(self.request.user, "add"):
            buttons.append(
                ListingButton(
                    _("Sao chép sang năm khác"),
                    url=reverse("training_plans:copy", args=[instance.pk]),
                    icon_name="copy",
                    priority=15,
                )
            )
        return buttons


class _PlanSyncOnSave:
    def save_instance(self):
        instance = super().save_instance()
        if instance.status == TrainingPlan.Status.ACTIVE:
            plan_sync_enqueue(plan=instance)
            messages.info(self.request, MSG_PLAN_SYNCING % {"title": instance.title})
        return instance


class PlanCreateView(_PlanSyncOnSave, generic.CreateView):
    def save_instance(self):
        self.form.instance.created_by = self.request.user
        return super().save_instance()


class PlanEditView(_ScopedObjectMixin, _PlanSyncOnSave, generic.EditView):
    policy = PLAN_POLICY
    scoped_action = "change"


class PlanDeleteView(_ScopedObjectMixin, generic.DeleteView):
    policy = PLAN_POLICY
    scoped_action = "delete"


class _TrainingFormView(WagtailAdminTemplateMixin, FormView):
    template_name = "training/admin/form.html"
    header_icon = "calendar-alt"
    index_url_name = ""
    index_label = ""
    submit_button_label = _("Lưu")

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse(self.index_url_name), "label": self.index_label},
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, **kwargs):
        kwargs.setdefault("submit_button_label", self.submit_button_label)
        kwargs.setdefault("action_url", self.request.get_full_path())
        return super().get_context_data(**kwargs)

    def form_invalid(self, form):
        messages.error(self.request, MSG_FORM_ERRORS)
        return super().form_invalid(form)


class PlanCopyView(_TrainingFormView):
    form_class = PlanCopyForm
    page_title = _("Sao chép kế hoạch")
    submit_button_label = _("Tạo dự thảo")
    index_url_name = "training_plans:index"
    index_label = _("Kế hoạch bồi dưỡng")

    def dispatch(self, request, *args, **kwargs):
        if not PLAN_POLICY.user_has_permission(request.user, "add"):
            raise PermissionDenied
        scope = PLAN_POLICY.instances_user_has_any_permission_for(request.user, ["view"])
        self.plan = get_object_or_404(scope, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return str(self.plan)

    def get_initial(self):
        return {"year": self.plan.year + 1}

    def form_valid(self, form):
        try:
            new_plan = plan_copy_from_previous_year(
                plan=self.plan, year=form.cleaned_data["year"], actor=self.request.user
            )
        except ValidationError as error:
            form.add_error("year", error)
            return self.form_invalid(form)
        messages.success(self.request, MSG_PLAN_COPIED % {"title": new_plan.title})
        return redirect("training_plans:edit", new_plan.pk)


# --- Assignments ---------------------------------------------------------------------------


STATUS_LABELS = dict(Assignment.Status.choices)


def _status_label(assignment: Assignment) -> str:
    label = STATUS_LABELS[assignment.effective_status]
    if not assignment.active:
        return f"{label} ({_('không tính')})"
    return str(label)


ASSIGNMENT_COLUMNS = [
    Column("person", label=_("Người học"), accessor="person.full_name"),
    Column("course", label=_("Khóa học"), accessor="requirement.course.title"),
    Column("unit", label=_("Đơn vị"), accessor="unit.name"),
    Column(
        "target_group",
        label=_("Nhóm đối tượng"),
        accessor=lambda a: a.position.target_group if a.position_id else _("Do quản lý giao"),
    ),
    Column("due_date", label=_("Hạn"), accessor=lambda a: a.due_date.strftime("%d/%m/%Y")),
    StatusTagColumn(
        "status",
        label=_("Trạng thái"),
        accessor=_status_label,
        primary=lambda a: a.effective_status == Assignment.Status.COMPLETED,
    ),
]


class AssignmentIndexView(generic.IndexView):
    def get_base_queryset(self):
        return (
            ASSIGNMENT_POLICY.instances_user_has_any_permission_for(self.request.user, ["view"])
            .with_effective_status()
            .select_related("person", "requirement__course", "unit", "position__target_group")
            .order_by("-year", "unit__path", "person__sort_key", "id")
        )

    def get_edit_url(self, instance):
        return None

    @cached_property
    def columns(self):
        # The person's name links to the detail page and carries the row's action buttons.
        title = self._get_title_column_class(TitleColumn)(
            "person",
            label=_("Người học"),
            accessor="person.full_name",
            get_url=self.get_inspect_url,
        )
        return [title, *ASSIGNMENT_COLUMNS[1:]]

    @property
    def header_buttons(self):
        buttons = list(super().header_buttons)
        if ASSIGNMENT_POLICY.user_has_permission(self.request.user, "assign"):
            buttons.append(
                HeaderButton(
                    _("Giao thêm người"),
                    url=reverse("training_assignments:assign"),
                    icon_name="plus",
                )
            )
        return buttons

    def get_list_more_buttons(self, instance):
        buttons = list(super().get_list_more_buttons(instance))
        if instance.is_open and ASSIGNMENT_POLICY.user_has_permission(self.request.user, "exempt"):
            buttons += [
                ListingButton(
                    _("Miễn"),
                    url=reverse("training_assignments:exempt", args=[instance.pk]),
                    icon_name="minus",
                    priority=40,
                ),
                ListingButton(
                    _("Ghi nhận hoàn thành"),
                    url=reverse("training_assignments:complete", args=[instance.pk]),
                    icon_name="check",
                    priority=41,
                ),
            ]
        return buttons


class AssignmentInspectView(_ScopedObjectMixin, generic.InspectView):
    policy = ASSIGNMENT_POLICY


class _AssignmentActionView(_TrainingFormView):
    action = ""
    index_url_name = "training_assignments:index"
    index_label = _("Nhiệm vụ bồi dưỡng")

    def dispatch(self, request, *args, **kwargs):
        if not ASSIGNMENT_POLICY.user_has_permission(request.user, self.action):
            raise PermissionDenied
        scope = ASSIGNMENT_POLICY.instances_user_has_any_permission_for(
            request.user, [self.action]
        ).select_related("person", "requirement__course", "unit")
        self.assignment = get_object_or_404(scope, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        a = self.assignment
        return f"{a.person.full_name} — {a.requirement.course.title} ({a.unit.name}, {a.year})"

    def run(self, form):
        raise NotImplementedError

    def form_valid(self, form):
        try:
            self.run(form)
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        return redirect("training_assignments:index")


class AssignmentExemptView(_AssignmentActionView):
    action = "exempt"
    form_class = ExemptForm
    page_title = _("Miễn bồi dưỡng")
    submit_button_label = _("Miễn")

    def run(self, form):
        assignment_exempt(
            assignment=self.assignment,
            reason=form.cleaned_data["reason"],
            actor=self.request.user,
        )
        messages.success(self.request, MSG_EXEMPTED % {"person": self.assignment.person})


class AssignmentCompleteView(_AssignmentActionView):
    action = "complete"
    form_class = CompleteForm
    page_title = _("Ghi nhận hoàn thành")
    submit_button_label = _("Ghi nhận")

    def run(self, form):
        assignment_mark_completed(
            assignment=self.assignment,
            actor=self.request.user,
            via=Assignment.Via.MANUAL,
            note=form.cleaned_data["note"],
        )
        messages.success(self.request, MSG_COMPLETED % {"person": self.assignment.person})


class AssignmentAssignView(_TrainingFormView):
    form_class = ManualAssignForm
    page_title = _("Giao thêm người")
    submit_button_label = _("Giao nhiệm vụ")
    index_url_name = "training_assignments:index"
    index_label = _("Nhiệm vụ bồi dưỡng")

    def dispatch(self, request, *args, **kwargs):
        if not ASSIGNMENT_POLICY.user_has_permission(request.user, "assign"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            assignment = assignment_add_manual(
                person=data["person"],
                requirement=data["requirement"],
                unit=data["unit"],
                actor=self.request.user,
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            MSG_ASSIGNED
            % {"person": assignment.person, "due": assignment.due_date.strftime("%d/%m/%Y")},
        )
        return redirect("training_assignments:index")
