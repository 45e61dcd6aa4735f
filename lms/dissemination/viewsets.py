"""The “Phổ biến pháp luật” admin menu: the activity log, scoped to the user's unit subtree."""

from __future__ import annotations

import django_filters
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.viewsets.model import ModelViewSet

from lms.org.api import Unit, visible_units

from . import admin_views as views
from .forms import ActivityForm
from .models import DisseminationActivity
from .permissions import ACTIVITY_POLICY


def _units_for(request):
    if request is None:
        return Unit.objects.none()
    return visible_units(user=request.user)


def _year_choices():
    this_year = timezone.localdate().year
    return [(y, str(y)) for y in range(this_year, this_year - 6, -1)]


class ActivityFilterSet(WagtailFilterSet):
    year = django_filters.ChoiceFilter(
        label=_("Năm"), choices=_year_choices, field_name="date__year"
    )
    unit = django_filters.ModelChoiceFilter(
        label=_("Đơn vị (gồm đơn vị trực thuộc)"), queryset=_units_for, method="filter_unit"
    )
    form = django_filters.ChoiceFilter(
        label=_("Hình thức"), choices=DisseminationActivity.Form.choices
    )

    class Meta:
        model = DisseminationActivity
        fields = ["year", "unit", "form"]

    def filter_unit(self, queryset, name, value):
        return queryset.for_unit_tree(value) if value else queryset


PANELS = [
    FieldRowPanel([FieldPanel("unit"), FieldPanel("date")]),
    FieldRowPanel([FieldPanel("form"), FieldPanel("participants")]),
    FieldPanel("topic"),
    FieldPanel("documents"),
    MultiFieldPanel(
        [FieldPanel("disseminator"), FieldPanel("disseminator_person"), FieldPanel("place")],
        heading=_("Người thực hiện, địa điểm"),
    ),
    FieldPanel("evidence"),
    FieldPanel("notes"),
]


class ActivityViewSet(ModelViewSet):
    model = DisseminationActivity
    permission_policy = ACTIVITY_POLICY
    icon = "pick"
    menu_label = _("Phổ biến pháp luật")
    menu_order = 150
    add_to_admin_menu = True
    name = "dissemination"
    url_prefix = "pho-bien-phap-luat"
    add_to_reference_index = False
    copy_view_enabled = False
    inspect_view_enabled = True
    index_view_class = views.ActivityIndexView
    add_view_class = views.ActivityCreateView
    edit_view_class = views.ActivityEditView
    delete_view_class = views.ActivityDeleteView
    inspect_view_class = views.ActivityInspectView
    history_view_class = views.ActivityHistoryView
    usage_view_class = views.ActivityUsageView
    filterset_class = ActivityFilterSet
    edit_handler = ObjectList(PANELS, base_form_class=ActivityForm)
    list_display = [
        DateColumn("date", label=_("Ngày"), sort_key="date"),
        Column("unit", label=_("Đơn vị")),
        Column("form", label=_("Hình thức"), accessor="get_form_display"),
        "topic",
        Column("participants", label=_("Lượt người"), sort_key="participants"),
        Column("recorded_by", label=_("Người ghi nhận")),
    ]
    search_fields = ["topic", "documents", "disseminator"]
    list_per_page = 50
    inspect_view_fields = [
        "unit",
        "date",
        "form",
        "topic",
        "documents",
        "participants",
        "disseminator",
        "disseminator_person",
        "place",
        "evidence",
        "notes",
        "recorded_by",
        "created_at",
        "updated_by",
        "updated_at",
    ]

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("minh-chung/<int:pk>/", views.evidence_download, name="evidence"),
        ]
