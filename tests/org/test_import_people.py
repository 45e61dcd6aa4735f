import datetime as dt
import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lms.core.uploads import MSG_UPLOAD_CONTENT_MISMATCH, MSG_UPLOAD_TOO_LARGE
from lms.org.imports import error_report_xlsx, people_import, template_csv, template_xlsx
from lms.org.imports import people as P
from lms.org.imports import table as T
from lms.org.imports import values as V
from lms.org.models import Person, PositionAssignment
from lms.org.signals import positions_changed
from tests.factories import ROLE, PersonFactory, staff_user
from tests.org.import_files import (
    PEOPLE_HEADERS,
    csv_file,
    people_rows,
    person_row,
    xlsx_file,
)


def run(rows, *, user=None, dry_run=False, headers=PEOPLE_HEADERS, **kwargs):
    return people_import(
        file=xlsx_file(rows, headers=headers, **kwargs), user=user, dry_run=dry_run
    )


def messages(report):
    return [(e.row, e.column, e.message) for e in report.errors]


@pytest.fixture
def setup(tree, groups):
    return tree, groups


def test_valid_file_creates_people_and_positions(setup, django_capture_on_commit_callbacks):
    tree, groups = setup
    rows = [
        person_row(name="  Nguyễn   Thị Hồng Nhung ", phone="+84 912 345 678", email="Nhung@Example.gov.vn",
                   staff_code="cb0001", birth="20/11/1985", gender="Nữ", title="Công chức Tư pháp"),
        person_row(name="Trần Văn Phúc", phone="0987654321", unit="BTU-A1", group="Trưởng thôn, ấp, khu phố, tổ dân phố",
                   start=dt.datetime(2026, 5, 15), title="Trưởng ấp"),
    ]  # fmt: skip
    received = []
    handler = lambda sender, person_ids, **kw: received.extend(person_ids)  # noqa: E731
    positions_changed.connect(handler)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            report = run(rows)
    finally:
        positions_changed.disconnect(handler)

    assert report.ok and report.written
    assert (report.counts["people"].created, report.counts["positions"].created) == (2, 2)
    nhung = Person.objects.get(phone="0912345678")
    assert nhung.full_name == "Nguyễn Thị Hồng Nhung"
    assert (nhung.email, nhung.staff_code, nhung.gender) == (
        "nhung@example.gov.vn",
        "CB0001",
        "female",
    )
    assert nhung.birth_date == dt.date(1985, 11, 20)
    # bulk_create must still fill the derived fields Person.save() computes.
    assert nhung.sort_key and "nguyen thi hong nhung" in nhung.search_text
    assert list(Person.objects.search("nhung")) == [nhung]
    phuc = Person.objects.get(phone="0987654321")
    position = phuc.positions.get()
    assert (position.unit, position.target_group, position.start_date) == (
        tree.hamlet_a1, groups.hamlet_head, dt.date(2026, 5, 15))  # fmt: skip
    assert sorted(received) == sorted([nhung.pk, phuc.pk])


def test_reimporting_the_same_file_changes_nothing(setup):
    rows = [
        *people_rows(5),
        person_row(name="Lê Thị Mai", phone="", staff_code="CB9", email="mai@x.vn"),
    ]
    first = run(rows)
    assert first.ok and first.counts["people"].created == 6
    before = list(Person.objects.values_list("id", "updated_at").order_by("id"))

    second = run(rows)

    assert second.ok
    assert (second.counts["people"].created, second.counts["people"].updated) == (0, 0)
    assert second.counts["people"].unchanged == 6
    assert (second.counts["positions"].created, second.counts["positions"].unchanged) == (0, 6)
    assert list(Person.objects.values_list("id", "updated_at").order_by("id")) == before
    assert PositionAssignment.objects.count() == 6


def test_person_matched_by_staff_code_then_phone_then_email_is_updated(setup):
    by_code = PersonFactory(full_name="Nguyễn Văn Cũ", phone="0911111111", staff_code="CB1")
    by_email = PersonFactory(full_name="Lê Thị Mai", phone=None, email="mai@x.vn")
    rows = [
        person_row(name="Nguyễn Văn Mới", phone="0911111111", staff_code="CB1", end="31/12/2026"),
        person_row(name="Lê Thị Mai", phone="0933333333", email="MAI@x.vn"),
    ]
    report = run(rows)
    assert report.ok, messages(report)
    assert report.counts["people"].updated == 2 and report.counts["people"].created == 0
    by_code.refresh_from_db()
    by_email.refresh_from_db()
    assert by_code.full_name == "Nguyễn Văn Mới" and by_code.search_text.startswith(
        "nguyen van moi"
    )
    assert by_email.phone == "0933333333"
    # Re-import with an end date change updates the position, not a new one.
    rows[0] = person_row(
        name="Nguyễn Văn Mới", phone="0911111111", staff_code="CB1", end="30/06/2026"
    )
    again = run(rows)
    assert again.counts["positions"].updated == 1 and again.counts["positions"].created == 0
    assert by_code.positions.get().end_date == dt.date(2026, 6, 30)


def test_one_person_with_two_positions_uses_two_rows(setup):
    rows = [
        person_row(name="Phạm Văn Tâm", phone="0944444444", group="can-bo"),
        person_row(name="Phạm Văn Tâm", phone="0944444444", group="ban-ttnd", unit="BTU-TTND"),
    ]
    report = run(rows)
    assert report.ok, messages(report)
    assert Person.objects.get().positions.count() == 2


def test_missing_or_renamed_column_is_named_with_the_expected_list(setup):
    headers = [h if h != "Mã đơn vị" else "Đơn vị công tác" for h in PEOPLE_HEADERS]
    report = run([person_row()], headers=headers)
    assert not report.ok
    (error,) = report.errors
    assert error.column == "Mã đơn vị" and error.row == 1
    assert "Thiếu cột “Mã đơn vị”" in error.message and "“Họ và tên”" in error.message
    assert not Person.objects.exists()


def test_headers_match_without_accents_or_case(setup):
    headers = ["HO VA TEN", "so dien thoai", "EMAIL", "ma can bo", "ngay sinh", "gioi tinh",
               "Mã Đơn Vị", "nhom doi tuong", "chuc danh", "tu ngay (dd/mm/yyyy)", "den ngay", "tao tai khoan"]  # fmt: skip
    report = run([person_row()], headers=headers)
    assert report.ok, messages(report)


@pytest.mark.parametrize(
    ("row", "column", "message"),
    [
        (person_row(unit="KHONG-CO"), "Mã đơn vị", P.MSG_UNKNOWN_UNIT.format(code="KHONG-CO")),
        (person_row(start="31/02/2026"), "Từ ngày", V.MSG_INVALID_DATE),
        (person_row(start="2026-13-01"), "Từ ngày", V.MSG_INVALID_DATE),
        (person_row(start="01/07/2026", end="01/01/2026"), "Đến ngày", P.MSG_END_BEFORE_START),
        (person_row(phone="091234"), "Số điện thoại", V.MSG_INVALID_PHONE),
        (person_row(phone="0212345678x"), "Số điện thoại", V.MSG_INVALID_PHONE),
        (person_row(email="khong-phai-email"), "Email", V.MSG_INVALID_EMAIL),
        (person_row(name=""), "Họ và tên", V.MSG_REQUIRED.format(header="Họ và tên")),
        (person_row(phone="", email="", staff_code=""), "Số điện thoại", P.MSG_NEEDS_IDENTIFIER),
        (person_row(gender="Không rõ"), "Giới tính", V.MSG_INVALID_GENDER),
        (person_row(account="có lẽ"), "Tạo tài khoản", V.MSG_INVALID_YES_NO),
    ],
)
def test_row_errors_name_the_row_and_column_and_write_nothing(setup, row, column, message):
    report = run([person_row(name="Dòng đúng", phone="0900000001"), row])
    assert (3, column, message) in messages(report)
    assert not report.written and not Person.objects.exists()


def test_unknown_target_group_lists_the_known_ones(setup):
    report = run([person_row(group="Trưởng họ")])
    (error,) = report.errors
    assert error.column == "Nhóm đối tượng" and "Trưởng họ" in error.message
    assert "“nguoi-thuc-hien”" in error.message


def test_dates_accept_iso_and_real_excel_dates_and_serials(setup):
    rows = [
        person_row(phone="0900000001", start="2025-07-01"),
        person_row(name="B", phone="0900000002", start=dt.date(2025, 7, 1)),
        person_row(name="C", phone="0900000003", start=45839),  # Excel serial of 2025-07-01
    ]
    report = run(rows)
    assert report.ok, messages(report)
    assert set(PositionAssignment.objects.values_list("start_date", flat=True)) == {
        dt.date(2025, 7, 1)
    }


def test_phone_typed_as_a_number_keeps_its_leading_zero(setup):
    report = run([person_row(phone=912345678)])
    assert report.ok and Person.objects.get().phone == "0912345678"


def test_duplicates_inside_the_file_are_reported_with_the_other_row(setup):
    rows = [
        person_row(name="Nguyễn Văn An", phone="0912000001", staff_code="CB1", email="an@x.vn"),
        person_row(name="Trần Văn Bình", phone="0912000001"),
        person_row(name="Lê Văn Cường", phone="0912000003", staff_code="cb1"),
        person_row(name="Đỗ Thị Dung", phone="0912000004", email="AN@x.vn"),
    ]
    report = run(rows)
    got = messages(report)
    assert (
        3,
        "Số điện thoại",
        P.MSG_DUPLICATE_IN_FILE.format(label="Số điện thoại", value="0912000001", other=2),
    ) in got
    assert (
        4,
        "Mã cán bộ",
        P.MSG_DUPLICATE_IN_FILE.format(label="Mã cán bộ", value="CB1", other=2),
    ) in got
    assert (
        5,
        "Email",
        P.MSG_DUPLICATE_IN_FILE.format(label="Email", value="an@x.vn", other=2),
    ) in got
    assert not Person.objects.exists()


def test_duplicates_against_the_database_are_reported(setup):
    PersonFactory(full_name="Người A", phone="0999999999", staff_code="CB7", email="a@x.vn")
    PersonFactory(full_name="Người B", phone="0988888888", staff_code="CB8")
    PersonFactory(full_name="Người C", phone=None, staff_code="CB10")
    rows = [
        person_row(name="Người B", phone="", staff_code="CB8", email="a@x.vn"),
        person_row(name="Người C", phone="0999999999", staff_code="CB10"),
    ]
    report = run(rows)
    got = messages(report)
    assert (2, "Email", P.MSG_DUPLICATE_IN_DB.format(label="Email", value="a@x.vn")) in got
    assert (
        3,
        "Số điện thoại",
        P.MSG_DUPLICATE_IN_DB.format(label="Số điện thoại", value="0999999999"),
    ) in got
    assert len(got) == 2
    assert Person.objects.get(staff_code="CB10").phone is None


def test_match_on_phone_with_a_different_staff_code_is_refused(setup):
    PersonFactory(full_name="Người A", phone="0999999999", staff_code="CB7")
    report = run([person_row(name="Người A", phone="0999999999", staff_code="CB70")])
    message = P.MSG_IDENTITY_CONFLICT.format(
        matched_label="Số điện thoại", matched_value="0999999999", label="Mã cán bộ"
    )
    assert messages(report) == [(2, "Mã cán bộ", message)]


def test_two_rows_matching_the_same_existing_person_differently(setup):
    PersonFactory(full_name="Người A", phone="0999999999", staff_code="CB7")
    rows = [
        person_row(name="Người A", phone="", staff_code="CB7"),
        person_row(name="Người A khác", phone="0999999999", staff_code=""),
    ]
    report = run(rows)
    assert (3, "Họ và tên", P.MSG_SAME_PERSON_TWICE.format(other=2)) in messages(report)


def test_duplicate_position_in_file_is_an_error(setup):
    row = person_row()
    report = run([row, list(row)])
    assert (3, "Từ ngày", P.MSG_DUPLICATE_POSITION.format(other=2)) in messages(report)


def test_empty_file_and_header_only_file(setup):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.title = "Người học"
    buffer = io.BytesIO()
    workbook.save(buffer)
    empty = people_import(file=SimpleUploadedFile("rong.xlsx", buffer.getvalue()))
    assert [e.message for e in empty.errors] == [T.MSG_EMPTY_FILE]
    header_only = run([])
    assert [e.message for e in header_only.errors] == [T.MSG_NO_DATA_ROWS]
    zero_bytes = people_import(file=SimpleUploadedFile("rong.csv", b""))
    assert not zero_bytes.ok


def test_wrong_sheet_lists_the_sheets_found(setup):
    report = run([person_row()], sheet="Sheet1", extra_sheets=["Ghi chú"])
    (error,) = report.errors
    assert error.message == T.MSG_WRONG_SHEET.format(
        expected="Người học", found="“Sheet1”, “Ghi chú”"
    )
    # A single sheet is taken whatever its name.
    assert run([person_row()], sheet="Sheet1").ok


def test_too_large_file_and_too_many_rows(setup, settings):
    settings.MAX_IMPORT_FILE_BYTES = 2000
    big = run(people_rows(200))
    assert "Tệp quá lớn" in big.errors[0].message
    assert big.errors[0].message.startswith(MSG_UPLOAD_TOO_LARGE.split("(")[0])
    settings.MAX_IMPORT_FILE_BYTES = 10_000_000
    settings.MAX_IMPORT_ROWS = 5
    many = run(people_rows(6))
    assert [e.message for e in many.errors] == [T.MSG_TOO_MANY_ROWS.format(limit=5)]


def test_renamed_extension_is_refused(setup):
    from django.core.files.uploadedfile import SimpleUploadedFile

    report = people_import(file=SimpleUploadedFile("ds.xlsx", b"Ho va ten,So dien thoai\n"))
    assert report.errors[0].message == MSG_UPLOAD_CONTENT_MISMATCH.format(extension=".xlsx")


def test_damaged_files_are_refused_with_a_message(setup):
    import zipfile

    from django.core.files.uploadedfile import SimpleUploadedFile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("khong-phai-excel.txt", "xin chào")
    not_excel = people_import(file=SimpleUploadedFile("ds.xlsx", buffer.getvalue()))
    assert [e.message for e in not_excel.errors] == [T.MSG_FILE_UNREADABLE]
    # A cell larger than the csv module accepts (a broken quote swallowing the rest of the file).
    header = ",".join(PEOPLE_HEADERS).encode()
    huge = header + b'\n"' + b"a" * 200_000 + b"\n"
    nul_csv = people_import(file=SimpleUploadedFile("ds.csv", huge))
    assert [e.message for e in nul_csv.errors] == [T.MSG_FILE_UNREADABLE]


def test_csv_utf8_with_and_without_bom(setup):
    rows = [person_row(name="Đặng Thị Ngọc Ánh", phone="0912000009")]
    for bom in (False, True):
        report = people_import(file=csv_file(rows, headers=PEOPLE_HEADERS, bom=bom))
        assert report.ok, messages(report)
    assert Person.objects.get().full_name == "Đặng Thị Ngọc Ánh"


def test_semicolon_separated_csv(setup):
    text = ";".join(PEOPLE_HEADERS) + "\n" + ";".join(str(v) for v in person_row()) + "\n"
    from django.core.files.uploadedfile import SimpleUploadedFile

    report = people_import(file=SimpleUploadedFile("ds.csv", text.encode()))
    assert report.ok, messages(report)


def test_legacy_encoded_csv_is_refused_with_a_way_to_fix_it(setup):
    rows = [
        person_row(
            name="Nguyễn Thị Ánh Tuyết", phone="0912000009", title="Chủ tịch Ủy ban nhân dân"
        )
    ]
    report = people_import(file=csv_file(rows, headers=PEOPLE_HEADERS, encoding="cp1258"))
    (error,) = report.errors
    assert "CSV UTF-8" in error.message and "không dùng bảng mã UTF-8" in error.message
    assert not Person.objects.exists()


def test_formula_like_cells_are_text_and_never_exported_live(setup):
    rows = [person_row(name="=HYPERLINK(\"http://x\")", title="@SUM(A1)", phone="0912000001"),
            person_row(name="+Bad", phone="0912", title="-1")]  # fmt: skip
    report = run(rows)
    assert not report.ok
    import io

    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(error_report_xlsx(report))).active
    cells = [cell.value for row in sheet.iter_rows(min_row=2) for cell in row]
    assert "'0912" not in cells  # values are kept, only formula starters are neutralised
    assert all(not (isinstance(c, str) and c[:1] in "=+-@") for c in cells)
    # The same names are plain text once the file is valid.
    ok = run([person_row(name="=1+1", title="@cong-chuc", phone="0912000001")])
    assert ok.ok and Person.objects.get().full_name == "=1+1"


def test_accounts_are_created_with_a_random_password_to_change(setup):
    rows = [
        person_row(name="Có Tài Khoản", phone="0912000001", account="Có"),
        person_row(name="Mã Cán Bộ", phone="", staff_code="CB5", account="có"),
        person_row(name="Không Tài Khoản", phone="0912000003", account="không"),
    ]
    report = run(rows)
    assert report.ok, messages(report)
    usernames = sorted(a.username for a in report.accounts)
    assert usernames == ["0912000001", "CB5"]
    User = get_user_model()
    for account in report.accounts:
        user = User.objects.get(username=account.username)
        assert user.must_change_password and user.check_password(account.password)
        assert user.person.full_name == account.full_name
        assert account.password not in repr(account)
    # A second run does not create accounts again.
    assert run(rows).accounts == []
    assert User.objects.count() == 2


def test_account_username_already_taken_is_an_error(setup):
    get_user_model().objects.create(username="0912000001")
    report = run([person_row(phone="0912000001", account="Có")])
    assert (2, "Tạo tài khoản", P.MSG_USERNAME_TAKEN.format(username="0912000001")) in messages(
        report
    )


def test_dry_run_counts_without_writing(setup):
    report = run(people_rows(3), dry_run=True)
    assert report.ok and not report.written
    assert report.counts["people"].created == 3 and report.counts["positions"].created == 3
    assert not Person.objects.exists()


def test_manager_imports_only_into_their_subtree(setup):
    tree, groups = setup
    manager = staff_user(role=ROLE.MANAGER, unit=tree.commune_a)
    outsider = PersonFactory(full_name="Người xã khác", phone="0977777777")
    PositionAssignment.objects.create(
        person=outsider,
        unit=tree.commune_b,
        target_group=groups.official,
        start_date=dt.date(2025, 7, 1),
    )
    rows = [
        person_row(phone="0912000001", unit="BTU-A1"),
        person_row(name="B", phone="0912000002", unit="TT"),
        person_row(name="Người xã khác", phone="0977777777", unit="BTU"),
    ]
    report = run(rows, user=manager)
    got = messages(report)
    assert (3, "Mã đơn vị", P.MSG_UNIT_OUT_OF_SCOPE.format(code="TT")) in got
    assert (4, "Họ và tên", P.MSG_PERSON_OUT_OF_SCOPE) in got
    assert len(got) == 2
    assert run([rows[0]], user=manager).ok


def _queries(rows, prefix):
    upload = xlsx_file(people_rows(rows, prefix=prefix), headers=PEOPLE_HEADERS)
    with CaptureQueriesContext(connection) as queries:
        report = people_import(file=upload)
    assert report.ok
    sql = [q["sql"] for q in queries.captured_queries]
    inserts = [q for q in sql if q.startswith("INSERT")]
    return len(sql) - len(inserts), len(inserts)


def test_query_count_does_not_grow_with_rows(setup):
    small_other, small_inserts = _queries(10, "090")
    large_other, large_inserts = _queries(200, "091")
    # Lookups and updates: the same number of queries for 10 or 200 rows.
    assert large_other == small_other
    # Inserts are batched: SQLite caps a statement at 999 parameters (~76 people), PostgreSQL
    # takes the whole batch of 500 in one statement.
    assert large_inserts <= small_inserts + 4
    # Re-importing 200 matched rows (nothing to write) costs the same lookups, no insert.
    again_other, again_inserts = _queries(200, "091")
    assert again_inserts == 0 and again_other <= small_other + 1


def test_templates_have_the_headers_instructions_and_import_cleanly(setup):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(template_xlsx("people")))
    assert workbook.sheetnames == ["Người học", "Hướng dẫn"]
    assert [c.value for c in workbook["Người học"][1]] == PEOPLE_HEADERS
    report = people_import(file=SimpleUploadedFile("mau.xlsx", template_xlsx("people")))
    assert report.ok, messages(report)
    csv_bytes = template_csv("people")
    assert csv_bytes.startswith(b"\xef\xbb\xbf")
    assert people_import(file=SimpleUploadedFile("mau.csv", csv_bytes)).ok


def test_management_command_prints_errors_and_exits_non_zero(setup, tmp_path, capsys):
    path = tmp_path / "loi.xlsx"
    path.write_bytes(xlsx_file([person_row(unit="KHONG-CO")], headers=PEOPLE_HEADERS).read())
    with pytest.raises(CommandError):
        call_command("import_people", str(path))
    out = capsys.readouterr()
    assert "Dòng 2" in out.out + out.err and "KHONG-CO" in out.out + out.err
    assert not Person.objects.exists()

    good = tmp_path / "dung.xlsx"
    good.write_bytes(xlsx_file([person_row(account="Có")], headers=PEOPLE_HEADERS).read())
    call_command("import_people", str(good), "--dry-run")
    assert not Person.objects.exists()
    call_command("import_people", str(good))
    out = capsys.readouterr().out
    assert Person.objects.count() == 1 and "0912000001" in out


def test_many_accounts_are_hashed_in_parallel_and_each_password_works(setup):
    rows = [person_row(name=f"Người {i}", phone=f"09120000{i:02d}", account="Có") for i in range(6)]
    report = run(rows)
    assert report.ok and len(report.accounts) == 6
    User = get_user_model()
    for account in report.accounts:
        assert User.objects.get(username=account.username).check_password(account.password)
    assert len({account.password for account in report.accounts}) == 6
