"""Roll-up arithmetic against the hand-computed fixture in conftest.figures."""

import datetime as dt

import pytest

from lms.org.models import Unit
from lms.reports import selectors
from tests.reports.conftest import TODAY, YEAR

pytestmark = pytest.mark.django_db


def _by_name(rows):
    return {row.name: row.figures for row in rows}


def test_city_rolls_up_communes_including_hamlets_boards_and_own_staff(figures):
    rows, total = selectors.unit_report_rows(unit=figures.city, year=YEAR, today=TODAY)
    by_name = _by_name(rows)
    a = by_name["Xã Bắc Tân Uyên"]
    assert (a.required, a.completed, a.in_progress, a.not_started, a.exempt, a.overdue) == (
        9, 5, 1, 2, 1, 2,
    )  # fmt: skip
    assert a.percent == 62.5  # 5 / (9 − 1)
    b = by_name["Xã Thường Tân"]
    assert (b.required, b.completed, b.overdue, b.percent) == (2, 1, 1, 50.0)
    assert (total.required, total.completed, total.exempt, total.percent) == (11, 6, 1, 60.0)
    assert [r.is_leaf for r in rows] == [False, False]


def test_commune_rows_show_direct_staff_hamlet_and_board(figures):
    rows, total = selectors.unit_report_rows(unit=figures.commune_a, year=YEAR, today=TODAY)
    assert [(r.name, r.figures.required, r.figures.completed, r.figures.percent) for r in rows] == [
        ("Xã Bắc Tân Uyên — Trực tiếp tại đơn vị", 1, 1, 100.0),
        ("Ấp 1", 6, 3, 60.0),
        ("Ban Thanh tra nhân dân xã Bắc Tân Uyên", 2, 1, 50.0),
    ]
    assert rows[0].figures.level == "met" and rows[0].figures.level_label == "Đạt chỉ tiêu"
    assert rows[1].figures.level == "far" and rows[1].figures.level_label == "Còn thấp"
    assert total.percent == 62.5
    assert all(r.is_leaf for r in rows)


def test_unit_without_obligations_has_no_percent(tree, db):
    rows, total = selectors.unit_report_rows(unit=tree.commune_b, year=YEAR, today=TODAY)
    assert [r.name for r in rows] == ["Ấp Bình Hòa"]
    assert total.percent is None and rows[0].figures.level_label == "Chưa có yêu cầu"


def test_by_target_group_and_by_course(figures, groups):
    by_group = {r.name: r.figures for r in selectors.unit_report_by_group(
        unit=figures.commune_a, year=YEAR, today=TODAY)}  # fmt: skip
    assert by_group[groups.hamlet_head.name].required == 6
    assert by_group[groups.inspection.name].completed == 1
    assert by_group[groups.official.name].percent == 100.0
    by_course = {r.name: r.figures for r in selectors.unit_report_by_course(
        unit=figures.city, year=YEAR, today=TODAY)}  # fmt: skip
    assert by_course["Luật Thực hiện dân chủ ở cơ sở"].required == 10
    assert by_course["Hương ước, quy ước theo Nghị định 61"].not_started == 1


def test_trend_counts_completions_per_month_and_cumulative_percent(figures):
    report = selectors.unit_report(unit=figures.city, year=YEAR, today=TODAY)
    per_month = [p.completed for p in report.trend]
    assert per_month == [0, 2, 1, 0, 2, 0, 1, 0, 0, 0, 0, 0]
    assert report.trend[2].cumulative == 3 and report.trend[2].percent == 30.0
    assert report.trend[-1].percent == 60.0


def test_missing_people_sorted_by_vietnamese_given_name(figures):
    rows = selectors.missing_people(unit=figures.commune_a, year=YEAR, today=TODAY)
    assert [r.full_name for r in rows] == ["Ánh Văn Bảo", "Đỗ Văn Đông", "Đặng Thị Hoa"]
    assert rows[0].position == "Trưởng ấp" and rows[0].unit_name == "Ấp 1"
    assert rows[0].status_label == "Quá hạn" and rows[0].due_date == dt.date(YEAR, 6, 30)
    assert rows[2].status_label == "Chưa học" and not rows[2].overdue


def test_ended_units_still_show_in_their_year(figures, kinds):
    old = figures.city.add_child(
        code="CU", name="Xã Cũ", kind=kinds.commune, valid_from=dt.date(2020, 1, 1),
        valid_to=dt.date(2025, 7, 1),
    )  # fmt: skip
    city = Unit.objects.get(pk=figures.city.pk)
    assert "Xã Cũ" in [u.name for u in selectors.report_units(unit=city, year=2025)]
    assert "Xã Cũ" not in [u.name for u in selectors.report_units(unit=city, year=YEAR)]
    assert old.pk


@pytest.mark.parametrize("hamlets", [2, 20])
def test_dashboard_query_count_is_constant(tree, kinds, make_assignment, hamlets,
                                           django_assert_max_num_queries):  # fmt: skip
    commune = tree.commune_b
    for i in range(hamlets):
        hamlet = Unit.objects.get(pk=commune.pk).add_child(
            code=f"H{i}", name=f"Ấp số {i}", kind=kinds.hamlet
        )
        make_assignment(unit=hamlet, name=f"Người Số {i}")
    city = Unit.objects.get(pk=tree.city.pk)
    with django_assert_max_num_queries(5):
        selectors.unit_report(unit=city, year=YEAR, today=TODAY)
    with django_assert_max_num_queries(1):
        assert len(selectors.missing_people(unit=city, year=YEAR, today=TODAY)) == hamlets
