"""Views of the organisation staff screens (Wagtail admin). Every queryset is scoped."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView
from wagtail.admin.ui.tables import Column, NumberColumn, TitleColumn
from wagtail.admin.views import generic
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.widgets import Button, HeaderButton
from wagtail.permission_policies.base import BasePermissionPolicy
from wagtail.permissions import policy_registry

from .forms import UnitMergeForm, UnitRenameForm
from .models import Person, PositionAssignment, Unit, UnitEvent
from .scoping import scope_roots
from .selectors import ADMIN_ONLY, people_list, units_for_tree, units_manageable, units_search
from .services import position_assign, position_end, unit_create, unit_merge, unit_rename

MSG_UNIT_CREATED = _("Đã tạo đơn vị “%(name)s”.")
MSG_UNIT_RENAMED = _("Đã đổi tên đơn vị thành “%(name)s”.")
MSG_UNIT_MERGED = _("Đã sáp nhập %(count)s đơn vị vào “%(name)s”.")
MSG_UNIT_ENDED = _("Đơn vị “%(name)s” đã kết thúc hoạt động.")
MSG_POSITION_ENDED = _("Đã kết thúc vị trí đảm nhiệm.")
MSG_FORM_ERRORS = _("Chưa lưu được: vui lòng sửa các lỗi bên dưới.")


def _policy(model) -> BasePermissionPolicy:
    return policy_registry.get_by_type(model)


def _out_of_sight(user, model, pk) -> bool:
    """True when the user sees objects of this kind but not this one (another unit's subtree).

    Such objects answer 404 before any role check, so a manager cannot tell from a
    "no permission" redirect that a unit or person exists outside their subtree.
    """
    policy = _policy(model)
    if not policy.user_has_permission(user, "view"):
        return False
    visible = policy.instances_user_has_any_permission_for(user, ["view"])
    return not visible.filter(pk=unquote(str(pk))).exists()


class ScopedObjectMixin:
    """Object views answer 404 for objects outside the user's scope, 403 without the role."""

    scope_actions: tuple[str, ...] = ("view", "change")

    def dispatch(self, request, *args, **kwargs):
        policy = _policy(self.model)
        pk = kwargs.get("pk")
        if pk is not None and _out_of_sight(request.user, self.model, pk):
            raise Http404
        if not policy.user_has_any_permission(request.user, self.scope_actions):
            raise PermissionDenied
        if pk is not None:
            scoped = policy.instances_user_has_any_permission_for(request.user, self.scope_actions)
            if not scoped.filter(pk=unquote(str(pk))).exists():
                raise Http404
        return super().dispatch(request, *args, **kwargs)


class ScopedIndexView(generic.IndexView):
    """Index limited to what the user may see; related rows loaded up front.

    A filter naming an object outside the user's scope (`?unit=<a sibling unit>`) answers 404
    instead of being silently dropped, which would list everyone as if unfiltered.
    """

    scoped_filters: tuple[str, ...] = ()

    def get_base_queryset(self):
        return _policy(self.model).instances_user_has_any_permission_for(
            self.request.user, ["view", "change"]
        )

    def filter_queryset(self, queryset):
        if self.filters is not None and self.scoped_filters:
            errors = self.filters.form.errors if not self.filters.is_valid() else {}
            if any(name in errors for name in self.scoped_filters):
                raise Http404
        return super().filter_queryset(queryset)


class ScopedEditView(ScopedObjectMixin, generic.EditView):
    scope_actions = ("change",)

    def get_error_message(self):
        return MSG_FORM_ERRORS


class ScopedCreateView(generic.CreateView):
    def get_error_message(self):
        return MSG_FORM_ERRORS


class ScopedDeleteView(ScopedObjectMixin, generic.DeleteView):
    scope_actions = ("delete",)


class ScopedHistoryView(ScopedObjectMixin, generic.HistoryView):
    scope_actions = ("add", "change", "delete")  # what Wagtail's HistoryView requires


class ScopedUsageView(ScopedObjectMixin, generic.UsageView):
    scope_actions = ("change",)  # what Wagtail's UsageView requires


# --- Units -----------------------------------------------------------------------------------


class UnitTreeColumn(TitleColumn):
    """The unit name indented by its depth, so the list reads as a tree."""

    cell_template_name = "org/admin/unit_tree_cell.html"

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        context["depth"] = instance.depth
        # A string: a localised float would print "1,5" and break the CSS length.
        context["indent_rem"] = f"{(instance.depth - 1) * 1.5:.1f}"
        return context


class ValidityColumn(Column):
    def get_value(self, instance):
        start = instance.valid_from.strftime("%d/%m/%Y") if instance.valid_from else "…"
        if instance.valid_to:
            return _t("%(start)s – %(end)s (đã kết thúc)") % {
                "start": start,
                "end": instance.valid_to.strftime("%d/%m/%Y"),
            }
        return _t("từ %(start)s") % {"start": start}


class UnitIndexView(ScopedIndexView):
    default_ordering = "path"
    paginate_by = 100

    def get_base_queryset(self):
        return units_for_tree(user=self.request.user)

    def search_queryset(self, queryset):
        return units_search(queryset, self.search_query) if self.is_searching else queryset

    @cached_property
    def columns(self):
        return [
            self._get_title_column("name", column_class=UnitTreeColumn),
            Column("kind", label=_("Loại đơn vị"), accessor="kind.name"),
            Column("code", label=_("Mã")),
            ValidityColumn("validity", label=_("Hiệu lực")),
            NumberColumn("people_count", label=_("Số người đang đảm nhiệm")),
        ]

    @cached_property
    def manageable_paths(self) -> list[str] | None:
        """Paths under which the user may change the tree; None means everywhere."""
        roots = scope_roots(self.request.user, ADMIN_ONLY)
        return None if roots is None else [root.path for root in roots]

    def can_manage(self, unit: Unit) -> bool:
        paths = self.manageable_paths
        return paths is None or any(unit.path.startswith(p) for p in paths)

    def get_edit_url(self, instance):
        if self.can_manage(instance):
            return super().get_edit_url(instance)
        return None

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if self.can_manage(instance) and instance.valid_to is None:
            buttons += [
                Button(
                    _("Thêm đơn vị trực thuộc"),
                    url=reverse("org_units:add") + f"?parent={instance.pk}",
                    icon_name="plus",
                    priority=11,
                ),
                Button(
                    _("Đổi tên"),
                    url=reverse("org_units:rename", args=[instance.pk]),
                    icon_name="edit",
                    priority=12,
                ),
                Button(
                    _("Sáp nhập vào đơn vị khác"),
                    url=reverse("org_units:merge") + f"?sources={instance.pk}",
                    icon_name="arrow-right-full",
                    priority=13,
                ),
            ]
        buttons.append(
            Button(
                _("Người trong đơn vị"),
                url=reverse("org_people:index") + f"?unit={instance.pk}",
                icon_name="group",
                priority=14,
            )
        )
        return buttons

    @cached_property
    def header_buttons(self):
        buttons = super().header_buttons
        if self.manageable_paths is None or self.manageable_paths:
            buttons.append(
                HeaderButton(
                    _("Sáp nhập đơn vị"),
                    url=reverse("org_units:merge"),
                    icon_name="arrow-right-full",
                )
            )
        return buttons


class UnitCreateView(ScopedCreateView):
    def get_initial(self):
        initial = super().get_initial()
        parent = self.request.GET.get("parent")
        if parent and parent.isdigit():
            initial["parent"] = int(parent)
        return initial

    def save_instance(self):
        data = self.form.cleaned_data
        return unit_create(
            code=data["code"],
            name=data["name"],
            kind=data["kind"],
            parent=data.get("parent"),
            place_name=data.get("place_name", ""),
            valid_from=data.get("valid_from"),
            actor=self.request.user,
        )

    def get_success_message(self, instance):
        return MSG_UNIT_CREATED % {"name": instance.name}


class UnitEditView(ScopedEditView):
    @transaction.atomic
    def save_instance(self):
        was_active = Unit.objects.filter(pk=self.object.pk, valid_to__isnull=True).exists()
        instance = super().save_instance()
        if was_active and instance.valid_to is not None:
            UnitEvent.objects.create(
                unit=instance,
                kind=UnitEvent.Kind.DISSOLVED,
                date=instance.valid_to,
                old_name=instance.name,
                actor=self.request.user,
            )
            messages.info(self.request, MSG_UNIT_ENDED % {"name": instance.name})
        return instance


class _UnitFormView(WagtailAdminTemplateMixin, FormView):
    template_name = "org/admin/unit_form.html"
    header_icon = "site"

    def dispatch(self, request, *args, **kwargs):
        if not _policy(Unit).user_has_permission(request.user, "change"):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("org_units:index"), "label": _("Đơn vị")},
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["media"] = context["form"].media  # date pickers and other widget scripts
        return context

    def form_invalid(self, form):
        messages.error(self.request, MSG_FORM_ERRORS)
        return super().form_invalid(form)


class UnitRenameView(_UnitFormView):
    form_class = UnitRenameForm
    page_title = _("Đổi tên đơn vị")
    submit_button_label = _("Đổi tên")

    def dispatch(self, request, *args, **kwargs):
        if _out_of_sight(request.user, Unit, kwargs["pk"]):
            raise Http404
        if not _policy(Unit).user_has_permission(request.user, "change"):
            raise PermissionDenied
        self.unit = get_object_or_404(units_manageable(user=request.user), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return self.unit.name

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "unit": self.unit}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            action_url=reverse("org_units:rename", args=[self.unit.pk]),
            submit_button_label=self.submit_button_label,
            events=self.unit.events.select_related("successor").order_by("-date", "-id"),
            **kwargs,
        )

    def form_valid(self, form):
        data = form.cleaned_data
        unit_rename(
            unit=self.unit,
            new_name=data["new_name"],
            date=data["date"],
            note=data["note"],
            actor=self.request.user,
        )
        messages.success(self.request, MSG_UNIT_RENAMED % {"name": self.unit.name})
        return redirect("org_units:index")


class UnitMergeView(_UnitFormView):
    """Two steps: the form shows what will move; a second submit with `confirm` merges."""

    form_class = UnitMergeForm
    page_title = _("Sáp nhập đơn vị")

    def dispatch(self, request, *args, **kwargs):
        if not units_manageable(user=request.user).exists():
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        ids = [i for i in self.request.GET.getlist("sources") if i.isdigit()]
        return {"sources": ids} if ids else {}

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_context_data(self, **kwargs):
        kwargs.setdefault("submit_button_label", _("Xem trước"))
        return super().get_context_data(action_url=reverse("org_units:merge"), **kwargs)

    def form_valid(self, form):
        data = form.cleaned_data
        if self.request.POST.get("confirm") != "1":
            return self.render_to_response(
                self.get_context_data(
                    form=form,
                    preview=merge_preview(sources=data["sources"], date=data["date"]),
                    successor=data["successor"],
                    submit_button_label=_("Xác nhận sáp nhập"),
                )
            )
        try:
            unit_merge(
                sources=list(data["sources"]),
                successor=data["successor"],
                date=data["date"],
                note=data["note"],
                actor=self.request.user,
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
            return self.form_invalid(form)
        messages.success(
            self.request,
            MSG_UNIT_MERGED % {"count": len(data["sources"]), "name": data["successor"].name},
        )
        return redirect("org_units:index")


def merge_preview(*, sources, date) -> list[dict]:
    """Per source unit: the sub-units re-created under the successor and the positions moved."""
    rows = []
    for source in sources:
        subtree = Unit.objects.subtree_of([source]).active_on(date)
        positions = PositionAssignment.objects.active_on(date).filter(unit__in=subtree)
        rows.append(
            {
                "unit": source,
                "children": list(subtree.exclude(pk=source.pk).values_list("name", flat=True)),
                "positions": positions.count(),
                "people": positions.aggregate(n=Count("person", distinct=True))["n"],
            }
        )
    return rows


# --- People and positions --------------------------------------------------------------------


class CurrentPositionsColumn(Column):
    def get_value(self, instance):
        return "; ".join(
            f"{p.title or p.target_group} — {p.unit.name}"
            for p in getattr(instance, "current_positions", [])
        )


class PersonIndexView(ScopedIndexView):
    default_ordering = "sort_key"
    scoped_filters = ("unit",)

    @cached_property
    def columns(self):
        columns = super().columns
        # Sorting by name means Vietnamese collation by given name, not by the raw string.
        columns[0].sort_key = "sort_key"
        return columns

    def get_base_queryset(self):
        return people_list(user=self.request.user)

    def search_queryset(self, queryset):
        return queryset.search(self.search_query) if self.is_searching else queryset

    def order_queryset(self, queryset):
        queryset = super().order_queryset(queryset)
        # Equal names keep a stable order across pages.
        return queryset.order_by(*queryset.query.order_by, "id")

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        buttons += [
            Button(
                _("Vị trí đảm nhiệm"),
                url=reverse("org_positions:index") + f"?person={instance.pk}",
                icon_name="list-ul",
                priority=11,
            ),
            Button(
                _("Thêm vị trí"),
                url=reverse("org_positions:add") + f"?person={instance.pk}",
                icon_name="plus",
                priority=12,
            ),
            Button(
                _("Cấp / đặt lại mật khẩu"),
                url=reverse("accounts_admin:reset_password", args=[instance.pk]),
                icon_name="key",
                priority=13,
            ),
        ]
        return buttons


class PersonCreateView(ScopedCreateView):
    @transaction.atomic
    def save_instance(self):
        person = super().save_instance()
        data = self.form.cleaned_data
        position_assign(
            person=person,
            unit=data["unit"],
            target_group=data["target_group"],
            start_date=data["start_date"],
            title=data.get("title", ""),
        )
        return person


class PositionIndexView(ScopedIndexView):
    default_ordering = "-start_date"
    scoped_filters = ("unit", "person")

    def filter_queryset(self, queryset):
        person = self.request.GET.get("person", "")
        if (
            person.isdigit()
            and not _policy(Person)
            .instances_user_has_any_permission_for(self.request.user, ["view"])
            .filter(pk=int(person))
            .exists()
        ):
            raise Http404
        return super().filter_queryset(queryset)

    def get_base_queryset(self):
        return super().get_base_queryset().select_related("person", "unit", "target_group")

    def get_list_more_buttons(self, instance):
        buttons = super().get_list_more_buttons(instance)
        if instance.end_date is None:
            buttons.append(
                Button(
                    _("Kết thúc vị trí"),
                    url=reverse("org_positions:edit", args=[instance.pk]),
                    icon_name="calendar-check",
                    priority=11,
                )
            )
        return buttons


class PositionCreateView(ScopedCreateView):
    def get_initial(self):
        initial = super().get_initial()
        person = self.request.GET.get("person")
        if person and person.isdigit():
            initial["person"] = int(person)
        return initial

    def save_instance(self):
        data = self.form.cleaned_data
        position = position_assign(
            person=data["person"],
            unit=data["unit"],
            target_group=data["target_group"],
            start_date=data["start_date"],
            end_date=data.get("end_date"),
            title=data.get("title", ""),
        )
        if data.get("note"):
            position.note = data["note"]
            position.save(update_fields=["note"])
        return position


class PositionEditView(ScopedEditView):
    @transaction.atomic
    def save_instance(self):
        stored_end = PositionAssignment.objects.values_list("end_date", flat=True).get(
            pk=self.object.pk
        )
        instance = self.form.save(commit=False)
        instance.save(update_fields=["title", "note", "updated_at"])
        if instance.end_date != stored_end:
            # position_end tells training that obligations changed.
            position_end(position=instance, end_date=instance.end_date)
            messages.info(self.request, MSG_POSITION_ENDED)
        return instance
