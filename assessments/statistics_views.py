"""Wagtail admin screens for quiz statistics: item analysis per question and results per legal article.

Who sees what: trainers, managers and administrators may open them. A system administrator, and a
trainer without a unit (trainers author banks for everyone), see every attempt; anyone else sees
only the attempts of people holding a position in their units' subtrees, and only those units —
on the page and in the .xlsx export alike. A unit outside that scope gives 404.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_GET

from lms.core.text import fold
from lms.org.api import StaffRole, Unit, has_role, is_system_admin
from lms.org.scoping import roles_of

from . import statistics
from .legal_links import article_label, legal_library_url
from .models import QuestionType, Quiz

STATISTICS_ROLES = (StaffRole.Role.TRAINER, StaffRole.Role.MANAGER, StaffRole.Role.ADMIN)
UNIT_PARAM = "don-vi"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

MSG_ALL_UNITS = gettext_noop("Toàn bộ")
MSG_DIRECT = gettext_noop("{unit} (trực thuộc)")
MSG_OVERALL_OF = gettext_noop("Chung – {unit}")

# (lowest share, css class, xlsx fill): the colour always comes with the figure itself.
SHARE_BANDS = (
    (0.85, "share-good", "C6EFCE"),
    (0.70, "share-fair", "E2F0D9"),
    (0.50, "share-weak", "FFEB9C"),
    (0.0, "share-poor", "FFC7CE"),
)


def can_view_statistics(user) -> bool:
    return bool(getattr(user, "is_active", False)) and has_role(user, *STATISTICS_ROLES)


def scope_roots(user) -> list[Unit] | None:
    """Top units whose people's attempts the user may see; None means every attempt."""
    if is_system_admin(user):
        return None
    roles = [r for r in roles_of(user) if r.role in STATISTICS_ROLES]
    if any(r.role == StaffRole.Role.TRAINER and r.unit_id is None for r in roles):
        return None
    units = sorted({r.unit.pk: r.unit for r in roles if r.unit_id}.values(), key=lambda u: u.path)
    roots: list[Unit] = []
    for unit in units:  # drop units nested in another root
        if not any(unit.path.startswith(root.path) for root in roots):
            roots.append(unit)
    return roots


def _in_scope(unit: Unit, roots: list[Unit] | None) -> bool:
    return roots is None or any(unit.path.startswith(root.path) for root in roots)


def _require_viewer(request) -> list[Unit] | None:
    if not can_view_statistics(request.user):
        raise PermissionDenied
    return scope_roots(request.user)


def _selected_unit(request, roots: list[Unit] | None) -> Unit | None:
    """The unit asked for (404 when malformed, unknown or out of scope), else the default."""
    raw = request.GET.get(UNIT_PARAM, "")
    if raw:
        if not raw.isdigit():
            raise Http404
        unit = Unit.objects.filter(pk=int(raw)).first()
        if unit is None or not _in_scope(unit, roots):
            raise Http404
        return unit
    if roots is None:
        return None
    return roots[0] if roots else None


def _band(share: float | None) -> tuple[str, str]:
    if share is None:
        return "share-none", ""
    for lowest, css, fill in SHARE_BANDS:
        if share >= lowest:
            return css, fill
    return SHARE_BANDS[-1][1], SHARE_BANDS[-1][2]


@dataclass
class Cell:
    answered: int = 0
    correct: int = 0

    @property
    def share(self) -> float | None:
        return self.correct / self.answered if self.answered else None

    @property
    def percent(self) -> float | None:
        return None if self.share is None else round(self.share * 100, 1)

    @property
    def css(self) -> str:
        return _band(self.share)[0]

    @property
    def fill(self) -> str:
        return _band(self.share)[1]


@dataclass
class Row:
    label: str
    unit: Unit | None
    cells: list[Cell]
    drill_url: str = ""


def _unit_url(quiz: Quiz, unit: Unit | None) -> str:
    url = reverse("assessments_statistics_quiz", args=[quiz.pk])
    return f"{url}?{UNIT_PARAM}={unit.pk}" if unit is not None else url


def article_table(*, quiz: Quiz, unit: Unit | None, scoped: bool) -> dict:
    """Units × articles: the overall row first, then one row per child unit (or per top unit)."""
    day = timezone.localdate()
    # A scoped user without a unit (no unit in their roles) sees no figures at all.
    visible = unit is not None or not scoped
    overall = statistics.article_statistics(quiz=quiz, root=unit, day=day) if visible else []
    by_unit = (
        statistics.article_statistics_by_unit(quiz=quiz, root=unit, day=day) if visible else []
    )
    keys = sorted({(s.law, s.article) for s in [*overall, *by_unit]})
    index = {key: i for i, key in enumerate(keys)}
    articles = [
        {
            "law": law,
            "article": article,
            "label": article_label(law=law, article=article),
            "url": legal_library_url(law=law, article=article),
        }
        for law, article in keys
    ]

    def cells_of(stats) -> list[Cell]:
        cells = [Cell() for _key in keys]
        for s in stats:
            cell = cells[index[(s.law, s.article)]]
            cell.answered += s.answered
            cell.correct += s.correct
        return cells

    overall_label = _(MSG_ALL_UNITS) if unit is None else _(MSG_OVERALL_OF).format(unit=unit.name)
    rows = [Row(label=overall_label, unit=unit, cells=cells_of(overall))]
    grouped: dict[int, list] = {}
    units: dict[int, Unit] = {}
    for s in by_unit:
        if s.unit is None:
            continue
        units[s.unit.pk] = s.unit
        grouped.setdefault(s.unit.pk, []).append(s)
    for pk in sorted(units, key=lambda k: units[k].path):
        child = units[pk]
        is_direct = unit is not None and child.pk == unit.pk
        rows.append(
            Row(
                label=_(MSG_DIRECT).format(unit=child.name) if is_direct else child.name,
                unit=child,
                cells=cells_of(grouped[pk]),
                drill_url="" if is_direct or child.is_leaf() else _unit_url(quiz, child),
            )
        )
    return {"articles": articles, "rows": rows}


def _question_rows(quiz: Quiz, unit: Unit | None, roots: list[Unit] | None) -> list:
    question_roots = [unit] if unit is not None else (None if roots is None else [])
    rows = statistics.question_statistics(quiz=quiz, roots=question_roots)
    for stats in rows:
        for answer in stats.distribution:
            answer.bar = f"{answer.frequency * 100:.1f}"
            answer.percent = round(answer.frequency * 100, 1)
            answer.is_correct = answer.fraction is not None and answer.fraction > 0
    return rows


def _attempt_count(quiz: Quiz, unit: Unit | None, roots: list[Unit] | None) -> int:
    question_roots = [unit] if unit is not None else (None if roots is None else [])
    return statistics.graded_attempts(quiz=quiz, roots=question_roots).count()


def _base_context(request, title: str, **extra) -> dict:
    return {"page_title": title, "header_title": title, "header_icon": "table", **extra}


@require_GET
def statistics_index(request):
    """The quizzes, with how many graded attempts the user may see in each."""
    roots = _require_viewer(request)
    graded = Q(attempts__state="submitted", attempts__graded_at__isnull=False)
    if roots is not None:
        people = statistics.people_in_units(roots, timezone.localdate())
        graded &= Q(attempts__person_id__in=people)
    quizzes = (
        Quiz.objects.select_related("bank")
        .annotate(graded_count=Count("attempts", filter=graded))
        .order_by("title", "pk")
    )
    context = _base_context(request, _("Thống kê bài kiểm tra"), quizzes=quizzes)
    return TemplateResponse(request, "assessments/admin/statistics_index.html", context)


@require_GET
def statistics_quiz(request, quiz_id: int):
    roots = _require_viewer(request)
    quiz = get_object_or_404(Quiz.objects.select_related("bank"), pk=quiz_id)
    unit = _selected_unit(request, roots)
    scoped = roots is not None
    up_url = ""
    if unit is not None and unit.depth > 1:
        parent = unit.get_parent()
        if _in_scope(parent, roots):
            up_url = _unit_url(quiz, parent)
    elif unit is not None and roots is None:
        up_url = _unit_url(quiz, None)
    export_url = reverse("assessments_statistics_export", args=[quiz.pk])
    if unit is not None:
        export_url += f"?{UNIT_PARAM}={unit.pk}"
    context = _base_context(
        request,
        _("Thống kê: %(quiz)s") % {"quiz": quiz.title},
        quiz=quiz,
        unit=unit,
        other_roots=[
            (root, _unit_url(quiz, root)) for root in (roots or []) if unit is None or root != unit
        ],
        up_url=up_url,
        attempt_count=_attempt_count(quiz, unit, roots),
        questions=_question_rows(quiz, unit, roots),
        table=article_table(quiz=quiz, unit=unit, scoped=scoped),
        export_url=export_url,
        index_url=reverse("assessments_statistics"),
        bands=[(int(lowest * 100), css) for lowest, css, _fill in SHARE_BANDS],
    )
    return TemplateResponse(request, "assessments/admin/statistics.html", context)


@require_GET
def statistics_export(request, quiz_id: int):
    """The same figures as the page, as .xlsx: units × articles, then the questions."""
    from openpyxl import Workbook
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    roots = _require_viewer(request)
    quiz = get_object_or_404(Quiz, pk=quiz_id)
    unit = _selected_unit(request, roots)
    table = article_table(quiz=quiz, unit=unit, scoped=roots is not None)
    questions = _question_rows(quiz, unit, roots)

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Theo điều luật")[:31]
    bold = Font(bold=True)
    sheet.append([_("Đơn vị"), *[a["label"] for a in table["articles"]]])
    for cell in sheet[1]:
        cell.font = bold
    for row in table["rows"]:
        sheet.append([row.label, *[c.share for c in row.cells]])
        for column, cell in enumerate(row.cells, start=2):
            target = sheet.cell(row=sheet.max_row, column=column)
            target.number_format = "0.0%"
            if cell.fill:
                target.fill = PatternFill("solid", fgColor=cell.fill)
    sheet.append([])
    sheet.append([_("Số lượt trả lời")])
    sheet.cell(row=sheet.max_row, column=1).font = bold
    for row in table["rows"]:
        sheet.append([row.label, *[c.answered for c in row.cells]])
    sheet.column_dimensions["A"].width = 40
    for column in range(2, len(table["articles"]) + 2):
        sheet.column_dimensions[get_column_letter(column)].width = 18

    items = workbook.create_sheet(_("Theo câu hỏi")[:31])
    items.append(
        [
            _("Câu hỏi"),
            _("Loại"),
            _("Số lượt làm"),
            _("Chỉ số dễ (%)"),
            _("Độ lệch chuẩn (%)"),
            _("Chỉ số phân biệt (%)"),
            _("Không trả lời"),
            _("Phân bố câu trả lời"),
        ]
    )
    for cell in items[1]:
        cell.font = bold
    for q in questions:
        items.append(
            [
                q.name,
                str(QuestionType(q.qtype).label) if q.qtype in QuestionType.values else q.qtype,
                q.attempts,
                q.facility_percent,
                None if q.sd is None else round(q.sd * 100, 2),
                q.discrimination_percent,
                q.unanswered,
                "; ".join(f"{a.label}: {a.count} ({a.percent}%)" for a in q.distribution),
            ]
        )
    items.column_dimensions["A"].width = 40
    items.column_dimensions["H"].width = 80

    buffer = io.BytesIO()
    workbook.save(buffer)
    scope = unit.code if unit is not None else "toan-bo"
    name = slugify(fold(f"thong-ke-{quiz.title}-{scope}"))[:80] or "thong-ke"
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response


urlpatterns = [
    path("ngan-hang-cau-hoi/thong-ke/", statistics_index, name="assessments_statistics"),
    path(
        "ngan-hang-cau-hoi/thong-ke/<int:quiz_id>/",
        statistics_quiz,
        name="assessments_statistics_quiz",
    ),
    path(
        "ngan-hang-cau-hoi/thong-ke/<int:quiz_id>/xlsx/",
        statistics_export,
        name="assessments_statistics_export",
    ),
]
