"""Admin views for the activity log: scoped object lookup (a sibling's id is 404), totals, evidence."""

from __future__ import annotations

import mimetypes
import os

from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.html import format_html
from wagtail.admin.views import generic
from wagtail.admin.views.generic.history import HistoryView
from wagtail.admin.views.generic.usage import UsageView

from .permissions import can_record_dissemination
from .selectors import activities_visible, activity_totals


def _scoped(request):
    """The user's activities; staff without the role are refused before any lookup."""
    if not can_record_dissemination(request.user):
        raise PermissionDenied
    return activities_visible(user=request.user)


class ScopedMixin:
    """Look objects up among the user's activities only, so other units' records are 404."""

    def get_queryset(self):
        return _scoped(self.request).select_related("unit")


class ActivityIndexView(generic.IndexView):
    results_template_name = "dissemination/admin/index_results.html"

    def get_base_queryset(self):
        return activities_visible(user=self.request.user).select_related(
            "unit", "disseminator_person", "recorded_by"
        )

    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        context["totals"] = activity_totals(self.get_queryset())
        return context


class ActivityCreateView(generic.CreateView):
    def save_instance(self):
        self.form.instance.recorded_by = self.request.user
        self.form.instance.updated_by = self.request.user
        return super().save_instance()


class ActivityEditView(ScopedMixin, generic.EditView):
    def save_instance(self):
        self.form.instance.updated_by = self.request.user
        return super().save_instance()


class ActivityDeleteView(ScopedMixin, generic.DeleteView):
    def get_object(self, queryset=None):
        return get_object_or_404(self.get_queryset(), pk=self.kwargs[self.pk_url_kwarg])


class ActivityInspectView(ScopedMixin, generic.InspectView):
    def get_object(self, queryset=None):
        return get_object_or_404(self.get_queryset(), pk=self.kwargs[self.pk_url_kwarg])

    def get_evidence_display_value(self):
        # Evidence is served through the permission-checked view, never by its storage URL.
        if not self.object.evidence:
            return "—"
        url = reverse("dissemination:evidence", args=[self.object.pk])
        return format_html('<a href="{}">{}</a>', url, os.path.basename(self.object.evidence.name))


class ActivityHistoryView(HistoryView):
    def get_base_object_queryset(self):
        return _scoped(self.request)


class ActivityUsageView(UsageView):
    def get_base_object_queryset(self):
        return _scoped(self.request)


def evidence_download(request, pk: int):
    """The evidence file, only to staff who manage the activity's unit."""
    activity = get_object_or_404(_scoped(request), pk=pk)
    if not activity.evidence:
        raise Http404
    try:
        handle = activity.evidence.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    name = os.path.basename(activity.evidence.name)
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    response = FileResponse(handle, as_attachment=True, filename=name, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    return response
