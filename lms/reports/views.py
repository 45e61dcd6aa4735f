"""The “Báo cáo” dashboard in the Wagtail admin: figures per unit, drill-down, missing people."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from lms.org.api import StaffRole, Unit, has_role, visible_units

from . import charts, selectors
from .models import ReportSnapshot
from .services import report_lock
from .snapshots import report_from_data

MSG_MANAGERS_ONLY = _("Chỉ cán bộ quản lý đơn vị hoặc quản trị viên được xem báo cáo.")
MSG_NO_SCOPE = _("Tài khoản chưa được giao phạm vi đơn vị nào.")
FIRST_YEAR = 2023  # Law 10/2022/QH15 took effect on 1 July 2023


def require_report_access(user) -> None:
    if not has_role(user, StaffRole.Role.MANAGER, StaffRole.Role.ADMIN):
        raise PermissionDenied(MSG_MANAGERS_ONLY)


def report_year(request) -> int:
    current = timezone.localdate().year
    try:
        year = int(request.GET.get("year", current))
    except ValueError:
        return current
    return year if FIRST_YEAR <= year <= current + 1 else current


def year_choices() -> list[int]:
    return list(range(timezone.localdate().year + 1, FIRST_YEAR - 1, -1))


def report_unit(user, unit_id) -> Unit:
    """The requested unit inside the user's scope (404 outside it), or the top of the scope."""
    scope = visible_units(user=user)
    if unit_id is not None:
        return get_object_or_404(scope, pk=unit_id)
    unit = scope.order_by("depth", "path").first()
    if unit is None:
        raise Http404(MSG_NO_SCOPE)
    return unit


def breadcrumb_units(user, unit: Unit) -> list[Unit]:
    """Ancestors of `unit` the user may open, top first (one query)."""
    prefixes = [unit.path[:i] for i in range(Unit.steplen, len(unit.path), Unit.steplen)]
    if not prefixes:
        return []
    return list(visible_units(user=user).filter(path__in=prefixes).order_by("depth"))


class _ReportView(WagtailAdminTemplateMixin, TemplateView):
    header_icon = "table"

    def dispatch(self, request, *args, **kwargs):
        require_report_access(request.user)
        self.year = report_year(request)
        self.unit = report_unit(request.user, kwargs.get("unit_id"))
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        items = [{"url": reverse("reports:dashboard"), "label": _("Báo cáo")}]
        for unit in breadcrumb_units(self.request.user, self.unit):
            items.append({"url": self.unit_url(unit.pk), "label": unit.name})
        items.append({"url": "", "label": self.get_page_title()})
        return [*self.breadcrumbs_items, *items]

    def unit_url(self, unit_id: int, name: str = "reports:unit") -> str:
        return f"{reverse(name, args=[unit_id])}?year={self.year}"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            unit=self.unit,
            year=self.year,
            years=year_choices(),
            missing_url=self.unit_url(self.unit.pk, "reports:missing"),
            dashboard_url=self.unit_url(self.unit.pk),
        )
        return context


class DashboardView(_ReportView):
    template_name = "reports/dashboard.html"
    page_title = _("Kết quả bồi dưỡng")

    def get_page_title(self):
        return self.unit.name

    def get_page_subtitle(self):
        return _("Năm %(year)s") % {"year": self.year}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        snapshot = (
            ReportSnapshot.objects.filter(unit=self.unit, year=self.year)
            .select_related("locked_by")
            .first()
        )
        if snapshot is not None:
            # A locked year renders from its snapshot forever (merges and moves don't change it).
            report = report_from_data(unit=self.unit, data=snapshot.data)
            context["amendments"] = list(snapshot.amendments.select_related("actor"))
        else:
            report = selectors.unit_report(unit=self.unit, year=self.year)
        context.update(
            snapshot=snapshot,
            can_lock=snapshot is None and has_role(self.request.user, StaffRole.Role.ADMIN),
            lock_url=self.unit_url(self.unit.pk, "reports:lock"),
            export_start_url=self.unit_url(self.unit.pk, "reports:export_start"),
        )
        for row in report.rows:
            row.url = self.unit_url(
                row.unit_id, "reports:missing" if row.is_leaf else "reports:unit"
            )
        context.update(
            report=report,
            bar_chart=charts.bar_chart(report.rows),
            trend_chart=charts.trend_chart(report.trend),
            export_urls={
                fmt: self.unit_url(self.unit.pk, f"reports:export_{fmt}")
                for fmt in ("xlsx", "csv", "pdf")
            },
        )
        return context


class MissingPeopleView(_ReportView):
    template_name = "reports/missing.html"

    def get_page_title(self):
        return _("Người còn thiếu — %(unit)s") % {"unit": self.unit.name}

    def get_page_subtitle(self):
        return _("Năm %(year)s") % {"year": self.year}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        paginator = Paginator(selectors.missing_assignments(unit=self.unit, year=self.year), 100)
        page = paginator.get_page(self.request.GET.get("p"))
        context.update(page=page, rows=selectors.missing_rows(page.object_list))
        return context


MSG_LOCKED = _("Đã khóa số liệu năm %(year)s của %(unit)s.")


@require_POST
def lock_view(request, unit_id: int):
    """Year-end lock (administrators only; the service checks the administrator's scope)."""
    require_report_access(request.user)
    year = report_year(request)
    unit = report_unit(request.user, unit_id)
    try:
        report_lock(unit=unit, year=year, user=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, MSG_LOCKED % {"year": year, "unit": unit.name})
    return redirect(f"{reverse('reports:unit', args=[unit.pk])}?year={year}")
