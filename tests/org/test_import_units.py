import datetime as dt

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lms.org.imports import table as T
from lms.org.imports import template_xlsx, units_import
from lms.org.imports import units as U
from lms.org.imports import values as V
from lms.org.models import Unit, UnitEvent
from tests.factories import ROLE, staff_user
from tests.org.import_files import UNIT_HEADERS, csv_file, xlsx_file


def run(rows, *, user=None, dry_run=False, headers=UNIT_HEADERS, sheet="Đơn vị", **kwargs):
    upload = xlsx_file(rows, headers=headers, sheet=sheet, **kwargs)
    return units_import(file=upload, user=user, dry_run=dry_run)


def messages(report):
    return [(e.row, e.column, e.message) for e in report.errors]


def test_creates_a_subtree_with_parents_later_in_the_file(tree):
    rows = [
        ["BTU-A2-T1", "Tổ dân phố 1", "thon-ap", "BTU-A2", "", ""],
        ["BTU-A2", "Ấp 2", "Thôn, ấp, khu phố, tổ dân phố", "BTU", "Bắc Tân Uyên", "01/07/2025"],
        ["HN", "Thành phố Hà Nội", "thanh-pho", "", "Hà Nội", "2025-07-01"],
        ["HN-BD", "Phường Ba Đình", "xa-phuong", "HN", "Ba Đình", dt.date(2025, 7, 1)],
    ]
    report = run(rows)
    assert report.ok and report.written, messages(report)
    assert report.counts["units"].created == 4
    a2 = Unit.objects.get(code="BTU-A2")
    assert a2.get_parent() == tree.commune_a and a2.place_name == "Bắc Tân Uyên"
    assert a2.valid_from == dt.date(2025, 7, 1) and a2.search_text == "ap 2 btu-a2"
    assert Unit.objects.get(code="BTU-A2-T1").get_parent() == a2
    assert Unit.objects.get(code="HN-BD").get_parent().code == "HN"
    # The tree stays consistent for treebeard (paths, depth, numchild).
    assert Unit.find_problems() == ([], [], [], [], [])
    assert [u.code for u in tree.commune_a.get_children()] == ["BTU-A1", "BTU-TTND", "BTU-A2"]
    assert UnitEvent.objects.filter(kind=UnitEvent.Kind.CREATED, unit__code="HN").exists()
    # treebeard still adds children after the imported ones.
    Unit.objects.get(code="BTU").add_child(code="BTU-A3", name="Ấp 3", kind=a2.kind)
    assert Unit.find_problems() == ([], [], [], [], [])


def test_reimport_changes_nothing_and_a_rename_is_recorded(tree):
    rows = [
        ["BTU-A2", "Ấp 2", "thon-ap", "BTU", "", ""],
        ["BTU-A1", "Ấp 1", "thon-ap", "BTU", "", ""],
    ]
    assert run(rows).ok
    again = run(rows)
    assert (again.counts["units"].created, again.counts["units"].updated) == (0, 0)
    assert again.counts["units"].unchanged == 2

    rows[1] = ["BTU-A1", "Ấp Một", "thon-ap", "BTU", "", ""]
    renamed = run(rows)
    assert renamed.counts["units"].updated == 1
    unit = Unit.objects.get(code="BTU-A1")
    assert unit.name == "Ấp Một"
    event = UnitEvent.objects.get(unit=unit, kind=UnitEvent.Kind.RENAMED)
    assert (event.old_name, event.new_name) == ("Ấp 1", "Ấp Một")


@pytest.mark.parametrize(
    ("row", "column", "message"),
    [
        (["X1", "Ấp X", "khong-co", "BTU", "", ""], "Loại đơn vị", None),
        (["X1", "Ấp X", "thon-ap", "KHONG-CO", "", ""], "Mã đơn vị cấp trên", U.MSG_UNKNOWN_PARENT.format(code="KHONG-CO")),
        (["X1", "Ấp X", "thon-ap", "X1", "", ""], "Mã đơn vị cấp trên", U.MSG_PARENT_IS_SELF),
        (["X1", "", "thon-ap", "BTU", "", ""], "Tên đơn vị", V.MSG_REQUIRED.format(header="Tên đơn vị")),
        (["X1", "Ấp X", "thon-ap", "BTU", "", "32/13/2025"], "Hiệu lực từ", V.MSG_INVALID_DATE),
        (["BTU-A1", "Ấp 1", "thon-ap", "TT", "", ""], "Mã đơn vị cấp trên", U.MSG_PARENT_CHANGED.format(code="BTU-A1", current="BTU")),
        (["BTU", "Trùng", "xa-phuong", "HCM", "", ""], "Mã đơn vị", U.MSG_DUPLICATE_CODE.format(code="BTU", other=2)),
    ],
)  # fmt: skip
def test_row_errors_and_nothing_written(tree, row, column, message):
    report = run([["BTU", "Xã Bắc Tân Uyên", "xa-phuong", "HCM", "", ""], row])
    got = [(r, c, m) for r, c, m in messages(report) if r == 3]
    assert got and got[0][1] == column
    if message is not None:
        assert got[0][2] == message
    assert not report.written and Unit.objects.count() == 6


def test_unknown_kind_lists_the_kinds(tree):
    report = run([["X1", "Ấp X", "Khu dân cư", "BTU", "", ""]])
    (error,) = report.errors
    assert "Khu dân cư" in error.message and "“thon-ap”" in error.message


def test_parent_cycle_is_reported(kinds):
    report = run([["A", "A", "ban", "B", "", ""], ["B", "B", "ban", "A", "", ""]])
    assert any("vòng lặp" in e.message for e in report.errors)
    assert not Unit.objects.exists()


def test_missing_column_and_wrong_sheet(tree):
    report = run([["X1", "Ấp X", "thon-ap"]], headers=["Mã đơn vị", "Tên", "Cấp"] + ["Ghi chú"])
    assert report.ok  # aliases "Tên" and "Cấp" are understood; extra columns are ignored
    missing = run([["X2", "Ấp"]], headers=["Mã đơn vị", "Tên đơn vị"])
    assert [e.column for e in missing.errors] == ["Loại đơn vị"]
    wrong = run([["X3", "Ấp", "thon-ap"]], sheet="Trang 1", extra_sheets=["Trang 2"])
    assert wrong.errors[0].message == T.MSG_WRONG_SHEET.format(
        expected="Đơn vị", found="“Trang 1”, “Trang 2”"
    )


def test_csv_import(tree):
    report = units_import(
        file=csv_file(
            [["BTU-A9", "Ấp 9", "thon-ap", "BTU", "", ""]], headers=UNIT_HEADERS, bom=True
        )
    )
    assert report.ok and Unit.objects.get(code="BTU-A9").get_parent() == tree.commune_a


def test_scoped_admin_adds_only_inside_their_subtree(tree):
    admin = staff_user(role=ROLE.ADMIN, unit=tree.commune_a)
    rows = [
        ["BTU-A5", "Ấp 5", "thon-ap", "BTU", "", ""],
        ["TT-B5", "Ấp B5", "thon-ap", "TT", "", ""],
        ["NEW", "Tỉnh mới", "thanh-pho", "", "", ""],
    ]
    report = run(rows, user=admin)
    got = messages(report)
    assert (3, "Mã đơn vị cấp trên", U.MSG_OUT_OF_SCOPE.format(code="TT")) in got
    assert (4, "Mã đơn vị cấp trên", U.MSG_ROOT_NOT_ALLOWED) in got
    assert len(got) == 2
    assert run(rows[:1], user=admin).ok


def test_dry_run_writes_nothing(tree):
    report = run([["BTU-A5", "Ấp 5", "thon-ap", "BTU", "", ""]], dry_run=True)
    assert report.ok and report.counts["units"].created == 1 and not report.written
    assert not Unit.objects.filter(code="BTU-A5").exists()


def test_query_count_does_not_grow_with_rows(tree):
    def count(rows, prefix):
        data = [[f"{prefix}{i}", f"Tổ {i}", "thon-ap", "BTU", "", ""] for i in range(rows)]
        upload = xlsx_file(data, headers=UNIT_HEADERS, sheet="Đơn vị")
        with CaptureQueriesContext(connection) as queries:
            assert units_import(file=upload).ok
        sql = [q["sql"] for q in queries.captured_queries]
        inserts = sum(1 for q in sql if q.startswith("INSERT"))
        return len(sql) - inserts, inserts

    small_other, small_inserts = count(10, "A")
    large_other, large_inserts = count(200, "B")
    assert large_other == small_other
    assert large_inserts <= small_inserts + 4  # SQLite's 999-parameter batches
    assert Unit.find_problems() == ([], [], [], [], [])


def test_template_imports_cleanly(tree):
    from django.core.files.uploadedfile import SimpleUploadedFile

    report = units_import(file=SimpleUploadedFile("mau.xlsx", template_xlsx("units")))
    assert report.ok, messages(report)


def test_management_command(tree, tmp_path, capsys):
    bad = tmp_path / "loi.xlsx"
    bad.write_bytes(
        xlsx_file(
            [["X1", "Ấp", "thon-ap", "KHONG", "", ""]], headers=UNIT_HEADERS, sheet="Đơn vị"
        ).read()
    )
    with pytest.raises(CommandError):
        call_command("import_units", str(bad))
    assert "KHONG" in capsys.readouterr().err
    good = tmp_path / "dung.csv"
    good.write_bytes(
        csv_file([["X1", "Ấp", "thon-ap", "BTU", "", ""]], headers=UNIT_HEADERS).read()
    )
    call_command("import_units", str(good), "--dry-run")
    assert not Unit.objects.filter(code="X1").exists()
    call_command("import_units", str(good))
    assert "tạo 1" in capsys.readouterr().out and Unit.objects.filter(code="X1").exists()
