"""Import people and their positions from a spreadsheet.

Everything is validated before anything is written; a file with any error writes nothing.
A person is matched by staff code, then phone, then email, so importing the same file twice
changes nothing. Lookups are prefetched into dicts and writes are batched: the number of
queries does not grow with the number of rows (only with rows / LOOKUP_CHUNK).
"""

from __future__ import annotations

import datetime as dt
import os
import secrets
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from lms.core.text import fold

from ..models import Person, PositionAssignment, TargetGroup, Unit
from ..scoping import scope_roots, unit_scope_q
from ..signals import positions_changed
from . import values
from .report import WRITE_BATCH, Counts, ImportReport, NewAccount, chunked
from .table import Column, ImportFileError, Table, display_value, read_table

SHEET_NAME = "Người học"

MSG_NEEDS_IDENTIFIER = gettext_noop(
    "Cần ít nhất một trong ba thông tin: Số điện thoại, Mã cán bộ hoặc Email."
)
MSG_UNKNOWN_UNIT = gettext_noop("Không có đơn vị đang hoạt động với mã “{code}”.")
MSG_UNIT_OUT_OF_SCOPE = gettext_noop("Đơn vị “{code}” không thuộc phạm vi bạn quản lý.")
MSG_UNKNOWN_GROUP = gettext_noop("Không có nhóm đối tượng “{value}”. Các nhóm hiện có: {choices}.")
MSG_END_BEFORE_START = gettext_noop("“Đến ngày” phải sau “Từ ngày”.")
MSG_DUPLICATE_IN_FILE = gettext_noop(
    "{label} “{value}” trùng với dòng {other} nhưng là người khác (họ tên hoặc thông tin liên hệ khác nhau)."
)
MSG_DUPLICATE_IN_DB = gettext_noop(
    "{label} “{value}” đã được dùng cho một người khác trong hệ thống."
)
MSG_IDENTITY_CONFLICT = gettext_noop(
    "Người có {matched_label} “{matched_value}” đã có trong hệ thống với {label} khác. "
    "Kiểm tra lại dòng này, hoặc để trống ô “{label}” nếu không muốn thay đổi."
)
MSG_SAME_PERSON_TWICE = gettext_noop(
    "Dòng này và dòng {other} cùng khớp với một người đã có trong hệ thống nhưng khác họ tên "
    "hoặc thông tin liên hệ."
)
MSG_DUPLICATE_POSITION = gettext_noop(
    "Vị trí này (đơn vị, nhóm đối tượng, từ ngày) đã có ở dòng {other}."
)
MSG_PERSON_OUT_OF_SCOPE = gettext_noop(
    "Người này đã có trong hệ thống nhưng thuộc đơn vị ngoài phạm vi bạn quản lý; hãy liên hệ quản trị viên."
)
MSG_ACCOUNT_NEEDS_LOGIN = gettext_noop(
    "Để tạo tài khoản cần có Số điện thoại hoặc Mã cán bộ (dùng làm tên đăng nhập)."
)
MSG_USERNAME_TAKEN = gettext_noop("Tên đăng nhập “{username}” đã được dùng cho một tài khoản khác.")

COLUMNS = [
    Column("full_name", "Họ và tên", True, ("Họ tên", "Tên"), "Bắt buộc. Ghi đầy đủ, có dấu.", "Nguyễn Thị Hồng Nhung"),
    Column("phone", "Số điện thoại", False, ("Điện thoại", "SĐT", "Số ĐT", "Di động"), "10 chữ số, bắt đầu bằng 0. Có thể để trống nếu có Mã cán bộ hoặc Email.", "0912345678"),
    Column("email", "Email", False, ("Thư điện tử", "E-mail", "Địa chỉ email"), "Không bắt buộc.", "nhung.nth@example.gov.vn"),
    Column("staff_code", "Mã cán bộ", False, ("Mã CB", "Mã nhân sự", "Mã công chức"), "Không bắt buộc; nếu có thì không được trùng.", "CB0001"),
    Column("birth_date", "Ngày sinh", False, (), "Ngày/tháng/năm, ví dụ 20/11/1985.", "20/11/1985"),
    Column("gender", "Giới tính", False, (), "Nam, Nữ hoặc Khác.", "Nữ"),
    Column("unit_code", "Mã đơn vị", True, ("Mã ĐV",), "Bắt buộc. Mã của đơn vị đang hoạt động (xem danh sách đơn vị).", "BTU"),
    Column("group", "Nhóm đối tượng", True, ("Đối tượng", "Mã nhóm đối tượng"), "Bắt buộc. Mã hoặc tên nhóm đối tượng.", "nguoi-thuc-hien"),
    Column("title", "Chức danh", False, ("Chức vụ",), "Không bắt buộc.", "Công chức Tư pháp – Hộ tịch"),
    Column("start_date", "Từ ngày", True, ("Ngày bắt đầu",), "Bắt buộc. Ngày bắt đầu đảm nhiệm vị trí.", "01/07/2025"),
    Column("end_date", "Đến ngày", False, ("Ngày kết thúc",), "Để trống nếu còn đảm nhiệm; nếu có phải sau “Từ ngày”.", ""),
    Column("create_account", "Tạo tài khoản", False, (), "“Có” để tạo tài khoản đăng nhập (tên đăng nhập là số điện thoại, nếu không có thì mã cán bộ).", "Có"),
]  # fmt: skip
HEADERS = {column.key: column.header for column in COLUMNS}
_PERSON_FIELDS = ("full_name", "phone", "email", "staff_code", "birth_date", "gender")
_IDENTIFIERS = ("staff_code", "phone", "email")  # matching order


@dataclass
class _Row:
    number: int
    full_name: str = ""
    phone: str = ""
    email: str = ""
    staff_code: str = ""
    birth_date: dt.date | None = None
    gender: str = ""
    unit_code: str = ""
    group: str = ""
    title: str = ""
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    create_account: bool = False
    unit: Unit | None = None
    target_group: TargetGroup | None = None
    person_key: int = 0  # index of the first row describing the same person


@dataclass
class _PersonPlan:
    rows: list[_Row] = field(default_factory=list)
    existing: Person | None = None
    person: Person | None = None
    changed_fields: list[str] = field(default_factory=list)
    username: str = ""


def people_import(*, file, user=None, dry_run: bool = False) -> ImportReport:
    """Validate a people file and, when it has no error and dry_run is False, import it.

    `user` limits rows to the units that user manages (None: the whole system, e.g. a
    management command run by an operator).
    """
    report = ImportReport(kind="people", dry_run=dry_run)
    try:
        table = read_table(file=file, columns=COLUMNS, sheet_name=SHEET_NAME)
    except ImportFileError as error:
        report.errors = error.errors
        return report
    _fill_preview(report, table)
    rows = _parse_rows(report, table)
    _resolve_units_and_groups(report, rows, user)
    plans = _group_people(report, rows)
    _match_existing(report, plans, user)
    positions = _plan_positions(report, plans)
    _plan_accounts(report, plans)
    if report.errors:
        return report
    _count_people(report, plans)
    report.counts["positions"] = Counts(
        created=sum(1 for p in positions if p.existing is None),
        updated=sum(1 for p in positions if p.changed),
        unchanged=sum(1 for p in positions if p.existing is not None and not p.changed),
    )
    if not dry_run:
        with transaction.atomic():
            _write(report, plans, positions)
        report.written = True
    return report


def _fill_preview(report: ImportReport, table: Table) -> None:
    from .report import PREVIEW_ROWS

    keys = [c.key for c in COLUMNS if c.key in table.headers]
    report.headers = [HEADERS[key] for key in keys]
    report.rows = len(table.rows)
    report.preview = [
        (number, [display_value(cells.get(key)) for key in keys])
        for number, cells in table.rows[:PREVIEW_ROWS]
    ]


def _parse_rows(report: ImportReport, table: Table) -> list[_Row]:
    parsers = {
        "full_name": lambda v: values.text(v, max_length=200),
        "phone": values.phone,
        "email": values.email,
        "staff_code": lambda v: values.text(v, max_length=40).upper(),
        "birth_date": values.date,
        "gender": values.gender,
        "unit_code": lambda v: values.text(v, max_length=40).upper(),
        "group": lambda v: values.text(v, max_length=255),
        "title": lambda v: values.text(v, max_length=200),
        "start_date": values.date,
        "end_date": values.date,
        "create_account": lambda v: bool(values.yes_no(v)),
    }
    required = [c for c in COLUMNS if c.required]
    rows = []
    for number, cells in table.rows:
        row = _Row(number=number)
        for key, parse in parsers.items():
            if key not in table.headers:
                continue
            try:
                setattr(row, key, parse(cells.get(key)))
            except values.CellError as error:
                report.add_error(number, HEADERS[key], str(error), display_value(cells.get(key)))
        for column in required:
            raw = cells.get(column.key)
            if raw is None or (isinstance(raw, str) and not raw.strip()):
                report.add_error(
                    number, column.header, _(values.MSG_REQUIRED).format(header=column.header)
                )
        if not (row.phone or row.staff_code or row.email) and not any(
            cells.get(key) not in (None, "") for key in _IDENTIFIERS
        ):
            report.add_error(number, HEADERS["phone"], _(MSG_NEEDS_IDENTIFIER))
        if row.start_date and row.end_date and row.end_date <= row.start_date:
            report.add_error(
                number,
                HEADERS["end_date"],
                _(MSG_END_BEFORE_START),
                display_value(cells.get("end_date")),
            )
        rows.append(row)
    return rows


def _resolve_units_and_groups(report: ImportReport, rows: list[_Row], user) -> None:
    codes = {row.unit_code for row in rows if row.unit_code}
    units: dict[str, Unit] = {}
    for batch in chunked(sorted(codes)):
        for unit in Unit.objects.filter(code__in=batch, valid_to__isnull=True).only(
            "id", "code", "path", "name"
        ):
            units[unit.code] = unit
    roots = scope_roots(user) if user is not None else None
    groups = list(TargetGroup.objects.filter(is_active=True))
    by_key: dict[str, TargetGroup] = {}
    for group in groups:
        for key in (group.code, group.name, group.short_name):
            if key:
                by_key.setdefault(fold(key), group)
    choices = ", ".join(f"“{g.code}”" for g in groups)
    for row in rows:
        if row.unit_code:
            unit = units.get(row.unit_code)
            if unit is None:
                report.add_error(
                    row.number,
                    HEADERS["unit_code"],
                    _(MSG_UNKNOWN_UNIT).format(code=row.unit_code),
                    row.unit_code,
                )
            elif roots is not None and not any(unit.path.startswith(r.path) for r in roots):
                report.add_error(
                    row.number,
                    HEADERS["unit_code"],
                    _(MSG_UNIT_OUT_OF_SCOPE).format(code=row.unit_code),
                    row.unit_code,
                )
            else:
                row.unit = unit
        if row.group:
            row.target_group = by_key.get(fold(row.group))
            if row.target_group is None:
                report.add_error(
                    row.number,
                    HEADERS["group"],
                    _(MSG_UNKNOWN_GROUP).format(value=row.group, choices=choices),
                    row.group,
                )


def _identity(row: _Row) -> tuple:
    return (fold(row.full_name), row.phone, row.email, row.staff_code)


def _group_people(report: ImportReport, rows: list[_Row]) -> list[_PersonPlan]:
    """Rows describing the same person (same name and identifiers) become one plan."""
    owners: dict[tuple[str, str], _Row] = {}
    plans: dict[int, _PersonPlan] = {}
    for row in rows:
        first: _Row | None = None
        clash = False
        for key in _IDENTIFIERS:
            value = getattr(row, key)
            if not value:
                continue
            other = owners.get((key, value))
            if other is None:
                continue
            if _identity(other) != _identity(row):
                label = HEADERS[key]
                report.add_error(
                    row.number,
                    label,
                    _(MSG_DUPLICATE_IN_FILE).format(label=label, value=value, other=other.number),
                    value,
                )
                clash = True
            else:
                first = other
        if clash:
            continue
        if first is None:
            row.person_key = row.number
            for key in _IDENTIFIERS:
                if getattr(row, key):
                    owners[(key, getattr(row, key))] = row
            plans[row.number] = _PersonPlan(rows=[row])
        else:
            row.person_key = first.person_key
            plans[first.person_key].rows.append(row)
    return list(plans.values())


def _match_existing(report: ImportReport, plans: list[_PersonPlan], user) -> None:
    wanted = {key: set() for key in _IDENTIFIERS}
    for plan in plans:
        head = plan.rows[0]
        for key in _IDENTIFIERS:
            if getattr(head, key):
                wanted[key].add(getattr(head, key))
    found: dict[str, dict[str, Person]] = {key: {} for key in _IDENTIFIERS}
    for key in _IDENTIFIERS:
        for batch in chunked(sorted(wanted[key])):
            for person in Person.objects.filter(**{f"{key}__in": batch}):
                found[key][getattr(person, key)] = person
    claimed: dict[int, int] = {}  # person id -> first row that matched it
    for plan in plans:
        head = plan.rows[0]
        matched_by = next(
            (
                key
                for key in _IDENTIFIERS
                if getattr(head, key) and getattr(head, key) in found[key]
            ),
            None,
        )
        matched = found[matched_by][getattr(head, matched_by)] if matched_by else None
        for key in _IDENTIFIERS:
            value = getattr(head, key)
            owner = found[key].get(value) if value else None
            label = HEADERS[key]
            if owner is not None and owner.pk != matched.pk:
                report.add_error(
                    head.number,
                    label,
                    _(MSG_DUPLICATE_IN_DB).format(label=label, value=value),
                    value,
                )
            elif (
                matched is not None
                and _IDENTIFIERS.index(key) < _IDENTIFIERS.index(matched_by)
                and value
                and getattr(matched, key)
                and getattr(matched, key) != value
            ):
                # Matched on a weaker identifier but a stronger one disagrees: not safe to merge.
                report.add_error(
                    head.number,
                    label,
                    _(MSG_IDENTITY_CONFLICT).format(
                        matched_label=HEADERS[matched_by],
                        matched_value=getattr(head, matched_by),
                        label=label,
                    ),
                    value,
                )
        if matched is not None:
            if matched.pk in claimed:
                report.add_error(
                    head.number,
                    HEADERS["full_name"],
                    _(MSG_SAME_PERSON_TWICE).format(other=claimed[matched.pk]),
                )
            claimed.setdefault(matched.pk, head.number)
        plan.existing = matched
    if user is not None:
        _check_people_in_scope(report, plans, user)


def _check_people_in_scope(report: ImportReport, plans: list[_PersonPlan], user) -> None:
    condition = unit_scope_q(user, "unit")
    if condition is None:
        return
    ids = sorted({plan.existing.pk for plan in plans if plan.existing is not None})
    visible: set[int] = set()
    for batch in chunked(ids):
        visible.update(
            PositionAssignment.objects.filter(condition, person_id__in=batch).values_list(
                "person_id", flat=True
            )
        )
    for plan in plans:
        if plan.existing is not None and plan.existing.pk not in visible:
            report.add_error(
                plan.rows[0].number,
                HEADERS["full_name"],
                _(MSG_PERSON_OUT_OF_SCOPE),
                plan.rows[0].full_name,
            )


@dataclass
class _PositionPlan:
    row: _Row
    plan: _PersonPlan
    existing: PositionAssignment | None = None

    @property
    def changed(self) -> bool:
        position = self.existing
        return position is not None and (
            position.title != self.row.title or position.end_date != self.row.end_date
        )


def _plan_positions(report: ImportReport, plans: list[_PersonPlan]) -> list[_PositionPlan]:
    ids = sorted({plan.existing.pk for plan in plans if plan.existing is not None})
    existing: dict[tuple, PositionAssignment] = {}
    for batch in chunked(ids):
        for position in PositionAssignment.objects.filter(person_id__in=batch):
            key = (
                position.person_id,
                position.unit_id,
                position.target_group_id,
                position.start_date,
            )
            existing[key] = position
    result = []
    seen: dict[tuple, int] = {}
    for plan in plans:
        for row in plan.rows:
            if row.unit is None or row.target_group is None or row.start_date is None:
                continue
            file_key = (row.person_key, row.unit.pk, row.target_group.pk, row.start_date)
            if file_key in seen:
                report.add_error(
                    row.number,
                    HEADERS["start_date"],
                    _(MSG_DUPLICATE_POSITION).format(other=seen[file_key]),
                )
                continue
            seen[file_key] = row.number
            position = None
            if plan.existing is not None:
                position = existing.get(
                    (plan.existing.pk, row.unit.pk, row.target_group.pk, row.start_date)
                )
            result.append(_PositionPlan(row=row, plan=plan, existing=position))
    return result


def _plan_accounts(report: ImportReport, plans: list[_PersonPlan]) -> None:
    needing = [
        plan
        for plan in plans
        if any(row.create_account for row in plan.rows)
        and (plan.existing is None or plan.existing.user_id is None)
    ]
    for plan in needing:
        head = plan.rows[0]
        plan.username = head.phone or head.staff_code or _existing_login(plan)
        if not plan.username:
            report.add_error(head.number, HEADERS["create_account"], _(MSG_ACCOUNT_NEEDS_LOGIN))
    names = sorted({plan.username.lower() for plan in needing if plan.username})
    User = get_user_model()
    taken: set[str] = set()
    for batch in chunked(names):
        taken.update(
            User.objects.annotate(login=Lower("username"))
            .filter(login__in=batch)
            .values_list("login", flat=True)
        )
    claimed: set[str] = set()
    for plan in needing:
        name = plan.username.lower()
        if not name:
            continue
        if name in taken or name in claimed:
            report.add_error(
                plan.rows[0].number,
                HEADERS["create_account"],
                _(MSG_USERNAME_TAKEN).format(username=plan.username),
                plan.username,
            )
        claimed.add(name)


def _existing_login(plan: _PersonPlan) -> str:
    person = plan.existing
    if person is None:
        return ""
    return person.phone or person.staff_code or ""


def _count_people(report: ImportReport, plans: list[_PersonPlan]) -> None:
    people = Counts()
    for plan in plans:
        if plan.existing is None:
            people.created += 1
            continue
        head = plan.rows[0]
        for name in _PERSON_FIELDS:
            new = _first_filled(plan.rows, name)
            if name == "full_name":
                new = head.full_name
            if new in ("", None):
                continue  # an empty cell keeps what is already recorded
            if getattr(plan.existing, name) != new:
                plan.changed_fields.append(name)
        if plan.changed_fields:
            people.updated += 1
        else:
            people.unchanged += 1
    report.counts["people"] = people
    report.counts["accounts"] = Counts(created=sum(1 for p in plans if p.username))


def _first_filled(rows: list[_Row], name: str):
    return next((getattr(row, name) for row in rows if getattr(row, name) not in ("", None)), "")


def _new_password() -> str:
    alphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return "".join(secrets.choice(alphabet) for _ in range(12))


def _hash_all(passwords: list[str]) -> list[str]:
    """Hash on every core: the password hasher dominates imports that create accounts
    (hashlib releases the GIL while it derives keys)."""
    if len(passwords) < 4:
        return [make_password(password) for password in passwords]
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        return list(pool.map(make_password, passwords))


def _write(report: ImportReport, plans: list[_PersonPlan], positions: list[_PositionPlan]) -> None:
    now = timezone.now()
    User = get_user_model()
    needing = [plan for plan in plans if plan.username]
    passwords = [_new_password() for _plan in needing]
    new_users = [
        User(username=plan.username, password=hashed, must_change_password=True)
        for plan, hashed in zip(needing, _hash_all(passwords), strict=True)
    ]
    report.accounts.extend(
        NewAccount(plan.rows[0].full_name, plan.username, password)
        for plan, password in zip(needing, passwords, strict=True)
    )
    User.objects.bulk_create(new_users, batch_size=WRITE_BATCH)
    users = iter(new_users)

    to_create: list[Person] = []
    to_update: list[Person] = []
    update_fields: set[str] = set()
    for plan in plans:
        user = next(users) if plan.username else None
        if plan.existing is None:
            head = plan.rows[0]
            person = Person(
                **{name: _first_filled(plan.rows, name) or None for name in _PERSON_FIELDS}
            )
            person.full_name = head.full_name
            person.gender = person.gender or ""
            person.user = user
            person.fill_derived_fields()
            to_create.append(person)
            plan.person = person
            continue
        person = plan.existing
        for name in plan.changed_fields:
            setattr(person, name, _head_value(plan, name))
        if user is not None:
            person.user = user
            plan.changed_fields.append("user")
        if plan.changed_fields:
            person.fill_derived_fields()
            person.updated_at = now
            update_fields.update(plan.changed_fields)
            to_update.append(person)
        plan.person = person
    Person.objects.bulk_create(to_create, batch_size=WRITE_BATCH)
    if to_update:
        fields = sorted(update_fields | {"sort_key", "search_text", "updated_at"})
        Person.objects.bulk_update(to_update, fields, batch_size=WRITE_BATCH)

    new_positions: list[PositionAssignment] = []
    changed_positions: list[PositionAssignment] = []
    touched: set[int] = set()
    for item in positions:
        row, person = item.row, item.plan.person
        if item.existing is None:
            new_positions.append(
                PositionAssignment(
                    person=person,
                    unit=row.unit,
                    target_group=row.target_group,
                    title=row.title,
                    start_date=row.start_date,
                    end_date=row.end_date,
                )
            )
            touched.add(person.pk)
        elif item.changed:
            position = item.existing
            position.title, position.end_date, position.updated_at = row.title, row.end_date, now
            changed_positions.append(position)
            touched.add(person.pk)
    PositionAssignment.objects.bulk_create(new_positions, batch_size=WRITE_BATCH)
    if changed_positions:
        PositionAssignment.objects.bulk_update(
            changed_positions, ["title", "end_date", "updated_at"], batch_size=WRITE_BATCH
        )
    if touched:
        ids = sorted(touched)
        transaction.on_commit(
            lambda: positions_changed.send(sender=PositionAssignment, person_ids=ids)
        )


def _head_value(plan: _PersonPlan, name: str):
    if name == "full_name":
        return plan.rows[0].full_name
    return _first_filled(plan.rows, name)
