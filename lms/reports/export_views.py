"""Download views for the official exports; scoped like the dashboard (404 outside scope)."""

from __future__ import annotations

from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from . import exports
from .documents import report_document
from .models import ReportExport
from .services import report_export_start
from .views import report_unit, report_year, require_report_access

CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
    "pdf": "application/pdf",
}


def _download(request, unit_id: int, fmt: str) -> HttpResponse:
    require_report_access(request.user)
    year = report_year(request)
    unit = report_unit(request.user, unit_id)
    # A locked year exports its snapshot and amendment log, never live data.
    doc = report_document(unit=unit, year=year, matrix=True, coverage=fmt != "csv")
    content = exports.export_document(doc, fmt)
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    filename = f"bao-cao-boi-duong-{unit.code.lower()}-{year}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def export_xlsx(request, unit_id: int) -> HttpResponse:
    return _download(request, unit_id, "xlsx")


def export_csv(request, unit_id: int) -> HttpResponse:
    return _download(request, unit_id, "csv")


def export_pdf(request, unit_id: int) -> HttpResponse:
    return _download(request, unit_id, "pdf")


# --- Background exports (a whole city): start, progress page, status, download -----------------


@require_POST
def export_start(request, unit_id: int):
    require_report_access(request.user)
    fmt = request.POST.get("fmt", "")
    if fmt not in ReportExport.Format.values:
        raise Http404
    unit = report_unit(request.user, unit_id)
    export = report_export_start(user=request.user, unit=unit, year=report_year(request), fmt=fmt)
    return redirect("reports:export_detail", pk=export.pk)


def _own_export(request, pk: int) -> ReportExport:
    require_report_access(request.user)
    export = get_object_or_404(
        ReportExport.objects.select_related("unit"), pk=pk, user=request.user
    )
    report_unit(request.user, export.unit_id)  # still inside the user's scope
    return export


class ExportDetailView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "reports/export_detail.html"
    header_icon = "download"
    page_title = _("Tạo tệp báo cáo")

    def dispatch(self, request, *args, **kwargs):
        self.export = _own_export(request, kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        url = f"{reverse('reports:unit', args=[self.export.unit_id])}?year={self.export.year}"
        return [
            *self.breadcrumbs_items,
            {"url": url, "label": self.export.unit.name},
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, **kwargs):
        return super().get_context_data(export=self.export, **kwargs)


def export_status(request, pk: int) -> JsonResponse:
    export = _own_export(request, pk)
    return JsonResponse(
        {
            "status": export.status,
            "status_label": str(export.get_status_display()),
            "percent": export.percent,
            "done": export.done,
            "total": export.total,
        }
    )


def export_download(request, pk: int) -> FileResponse:
    export = _own_export(request, pk)
    if export.status != ReportExport.Status.DONE or not export.file:
        raise Http404
    return FileResponse(
        export.file.open("rb"),
        as_attachment=True,
        filename=export.file.name.rsplit("/", 1)[-1],
        content_type=CONTENT_TYPES[export.fmt],
    )
