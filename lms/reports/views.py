"""The “Báo cáo” dashboard in the Wagtail admin: figures per unit, drill-down, missing people."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import F, OuterRef, Q, Subquery
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
from .documents import FIELD_LABELS, amendment_lines, load_snapshot, report_document
from .models import ReportSnapshot
from .services import MSG_ADMIN_ONLY, can_administer, report_amend, report_lock
from .snapshots import FIELDS, NO_GROUP

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


def report_unit_and_ancestors(user, unit_id, year: int) -> tuple[Unit, list[Unit]]:
    """The requested unit inside the user's scope (404 outside it) or the top of the scope, and
    its ancestors the user may open (for the breadcrumbs), top first — in one query.

    Each unit carries `locked_pk`: the id of its snapshot for `year`, or None when not locked.
    """
    locked = ReportSnapshot.objects.filter(unit=OuterRef("pk"), year=year).values("pk")[:1]
    scope = visible_units(user=user).annotate(locked_pk=Subquery(locked))
    if unit_id is None:
        unit = scope.order_by("depth", "path").first()
        if unit is None:
            raise Http404(MSG_NO_SCOPE)
        return unit, []  # the top of the scope has no ancestor inside the scope
    target = Unit.objects.filter(pk=unit_id).values("path")[:1]
    units = list(
        scope.annotate(target_path=Subquery(target))
        .filter(Q(pk=unit_id) | Q(target_path__startswith=F("path")))
        .order_by("depth")
    )
    unit = next((u for u in units if u.pk == unit_id), None)
    if unit is None:
        raise Http404
    return unit, [u for u in units if u.depth < unit.depth]


class _ReportView(WagtailAdminTemplateMixin, TemplateView):
    header_icon = "table"

    def dispatch(self, request, *args, **kwargs):
        require_report_access(request.user)
        self.year = report_year(request)
        self.unit, self.ancestors = report_unit_and_ancestors(
            request.user, kwargs.get("unit_id"), self.year
        )
        self.check_access(request)
        return super().dispatch(request, *args, **kwargs)

    def check_access(self, request) -> None:
        """Further checks of a view, once the unit and year are known."""

    def get_breadcrumbs_items(self):
        items = [{"url": reverse("reports:dashboard"), "label": _("Báo cáo")}]
        for unit in self.ancestors:
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
        # A locked year renders from its snapshot and amendment log only (merges, moves and
        # later completions don't change it); otherwise the figures are live.
        doc = report_document(
            unit=self.unit,
            year=self.year,
            dashboard=True,
            locked=self.unit.locked_pk is not None,
        )
        report = doc.report
        for row in report.rows:
            row.url = self.unit_url(
                row.unit_id, "reports:missing" if row.is_leaf else "reports:unit"
            )
        can_admin = can_administer(self.request.user, self.unit)
        context.update(
            doc=doc,
            report=report,
            snapshot=doc.snapshot,
            amendments=doc.amendments,
            coverage=doc.coverage,
            coverage_chart=charts.coverage_chart(doc.coverage.rows) if doc.coverage else None,
            can_lock=doc.snapshot is None and can_admin,
            can_amend=doc.snapshot is not None and can_admin,
            lock_url=self.unit_url(self.unit.pk, "reports:lock"),
            amend_url=self.unit_url(self.unit.pk, "reports:amend"),
            export_start_url=self.unit_url(self.unit.pk, "reports:export_start"),
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


# --- Corrections to a locked report ----------------------------------------------------------

MSG_AMENDED = _("Đã ghi điều chỉnh số liệu năm %(year)s của %(unit)s.")
MSG_ENTER_FIGURES = _("Vui lòng nhập ít nhất một số liệu mới.")


class AmendmentForm(forms.Form):
    row = forms.ChoiceField(label=_("Đơn vị (dòng số liệu)"))
    group = forms.ChoiceField(label=_("Nhóm đối tượng (cột số liệu)"))
    required = forms.IntegerField(label=FIELD_LABELS["required"], min_value=0, required=False)
    completed = forms.IntegerField(label=FIELD_LABELS["completed"], min_value=0, required=False)
    exempt = forms.IntegerField(label=FIELD_LABELS["exempt"], min_value=0, required=False)
    in_progress = forms.IntegerField(label=FIELD_LABELS["in_progress"], min_value=0, required=False)
    not_started = forms.IntegerField(label=FIELD_LABELS["not_started"], min_value=0, required=False)
    overdue = forms.IntegerField(label=FIELD_LABELS["overdue"], min_value=0, required=False)
    reason = forms.CharField(
        label=_("Lý do điều chỉnh"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Ví dụ: bổ sung danh sách ký nhận của lớp bồi dưỡng ngày 20/12."),
    )

    def __init__(self, *args, snapshot: ReportSnapshot, **kwargs):
        super().__init__(*args, **kwargs)
        data = snapshot.data
        self.fields["row"].choices = [("", "—")] + [(r["code"], r["name"]) for r in data["rows"]]
        matrix = data.get("matrix")
        if matrix is None:  # locked before the matrix was stored: corrected per row
            del self.fields["group"]
        else:
            choices = [(str(g["key"]), g["name"]) for g in matrix["groups"]]
            if matrix["has_no_group"]:
                choices.append((NO_GROUP, str(selectors.LABEL_NO_GROUP)))
            self.fields["group"].choices = [("", "—"), *choices]
        for name in FIELDS:
            self.fields[name].help_text = _("Để trống nếu không đổi.")

    def clean(self):
        cleaned = super().clean()
        figures = {name: cleaned[name] for name in FIELDS if cleaned.get(name) is not None}
        if not figures and not any(name in self.errors for name in FIELDS):
            raise forms.ValidationError(MSG_ENTER_FIGURES)
        cleaned["figures"] = figures
        return cleaned


def locked_cells(data: dict) -> list[dict]:
    """The locked figures per (row, target group) — what a correction changes."""
    matrix = data.get("matrix")
    lines = []
    for row in data["rows"]:
        if matrix is None:
            lines.append({"row": row["name"], "group": "", "figures": row["figures"]})
            continue
        cells = matrix["cells"].get(row["code"], {})
        names = [(str(g["key"]), g["name"]) for g in matrix["groups"]]
        names.append((NO_GROUP, str(selectors.LABEL_NO_GROUP)))
        for key, name in names:
            if key in cells:
                lines.append({"row": row["name"], "group": name, "figures": cells[key]})
    return lines


class AmendView(_ReportView):
    """Administrators of the unit (or above) record a correction to the locked year."""

    template_name = "reports/amend.html"

    def check_access(self, request) -> None:
        if not can_administer(request.user, self.unit):
            raise PermissionDenied(MSG_ADMIN_ONLY)
        self.snapshot = load_snapshot(unit=self.unit, year=self.year)
        if self.snapshot is None:
            raise Http404

    def get_page_title(self):
        return _("Điều chỉnh báo cáo đã khóa — %(unit)s") % {"unit": self.unit.name}

    def get_page_subtitle(self):
        return _("Năm %(year)s") % {"year": self.year}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", AmendmentForm(snapshot=self.snapshot))
        context.update(
            snapshot=self.snapshot,
            cells=locked_cells(self.snapshot.data),
            amendments=amendment_lines(self.snapshot, self.snapshot.amendments.all()),
        )
        return context

    def post(self, request, *args, **kwargs):
        form = AmendmentForm(request.POST, snapshot=self.snapshot)
        if form.is_valid():
            try:
                report_amend(
                    snapshot=self.snapshot,
                    user=request.user,
                    reason=form.cleaned_data["reason"],
                    row_code=form.cleaned_data["row"],
                    group=form.cleaned_data.get("group") or None,
                    figures=form.cleaned_data["figures"],
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, MSG_AMENDED % {"year": self.year, "unit": self.unit.name})
                return redirect(self.unit_url(self.unit.pk))
        return self.render_to_response(self.get_context_data(form=form))
