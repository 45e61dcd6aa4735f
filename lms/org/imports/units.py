"""Import units (the unit tree) from a spreadsheet.

A parent may come earlier or later in the same file or already exist. New units are created
parents first, with materialised paths computed in memory and written with bulk_create, so the
number of queries does not depend on the number of rows.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from lms.core.text import fold

from ..models import Unit, UnitEvent, UnitKind
from ..scoping import scope_roots
from . import values
from .report import PREVIEW_ROWS, WRITE_BATCH, Counts, ImportReport
from .table import Column, ImportFileError, Table, display_value, read_table

SHEET_NAME = "Đơn vị"

MSG_DUPLICATE_CODE = gettext_noop("Mã đơn vị “{code}” đã có ở dòng {other}.")
MSG_UNKNOWN_KIND = gettext_noop("Không có loại đơn vị “{value}”. Các loại hiện có: {choices}.")
MSG_UNKNOWN_PARENT = gettext_noop(
    "Không có đơn vị cấp trên mã “{code}” (trong tệp hoặc trong hệ thống)."
)
MSG_PARENT_IS_SELF = gettext_noop("Đơn vị không thể là cấp trên của chính nó.")
MSG_PARENT_CYCLE = gettext_noop("Các đơn vị cấp trên tạo thành vòng lặp: {codes}.")
MSG_PARENT_CHANGED = gettext_noop(
    "Đơn vị “{code}” đã có trong hệ thống với đơn vị cấp trên khác (“{current}”). "
    "Không đổi cấp trên bằng nhập tệp; hãy dùng chức năng sáp nhập hoặc điều chuyển đơn vị."
)
MSG_OUT_OF_SCOPE = gettext_noop("Đơn vị “{code}” nằm ngoài phạm vi bạn quản lý.")
MSG_ROOT_NOT_ALLOWED = gettext_noop(
    "Bạn chỉ được thêm đơn vị trực thuộc đơn vị mình quản lý; hãy ghi “Mã đơn vị cấp trên”."
)
NO_PARENT = "—"

COLUMNS = [
    Column("code", "Mã đơn vị", True, ("Mã ĐV", "Mã"), "Bắt buộc, không trùng. Chữ in hoa, số và dấu gạch ngang.", "BTU-A2"),
    Column("name", "Tên đơn vị", True, ("Tên",), "Bắt buộc.", "Ấp 2"),
    Column("kind", "Loại đơn vị", True, ("Loại", "Cấp"), "Bắt buộc. Mã hoặc tên loại đơn vị.", "thon-ap"),
    Column("parent_code", "Mã đơn vị cấp trên", False, ("Mã cấp trên", "Đơn vị cấp trên"), "Để trống nếu là đơn vị cao nhất. Đơn vị cấp trên có thể ở trong cùng tệp.", "BTU"),
    Column("place_name", "Địa danh", False, (), "Dùng trong dòng “…, ngày … tháng … năm …” của văn bản.", "Bắc Tân Uyên"),
    Column("valid_from", "Hiệu lực từ", False, ("Ngày hiệu lực", "Từ ngày"), "Ngày/tháng/năm đơn vị bắt đầu hoạt động.", "01/07/2025"),
]  # fmt: skip
HEADERS = {column.key: column.header for column in COLUMNS}
_UPDATABLE = ("name", "kind_id", "place_name", "valid_from")


@dataclass
class _Row:
    number: int
    code: str = ""
    name: str = ""
    kind: UnitKind | None = None
    kind_raw: str = ""
    parent_code: str = ""
    place_name: str = ""
    valid_from: dt.date | None = None
    existing: Unit | None = None
    changed: tuple[str, ...] = ()


def units_import(*, file, user=None, dry_run: bool = False) -> ImportReport:
    """Validate a units file and, when it has no error and dry_run is False, import it.

    `user` limits the rows to that user's unit subtree (None: the whole system).
    """
    report = ImportReport(kind="units", dry_run=dry_run)
    try:
        table = read_table(file=file, columns=COLUMNS, sheet_name=SHEET_NAME)
    except ImportFileError as error:
        report.errors = error.errors
        return report
    _fill_preview(report, table)
    rows = _parse_rows(report, table)
    # Every unit is needed to place new ones (paths) and check parents: one query.
    units = list(
        Unit.objects.only(
            "id",
            "code",
            "name",
            "kind_id",
            "place_name",
            "valid_from",
            "valid_to",
            "path",
            "depth",
            "numchild",
        )
    )
    active = {unit.code: unit for unit in units if unit.valid_to is None}
    by_path = {unit.path: unit for unit in units}
    order = _check_rows(report, rows, active, by_path, user)
    if report.errors:
        return report
    report.counts["units"] = Counts(
        created=sum(1 for row in rows if row.existing is None),
        updated=sum(1 for row in rows if row.existing is not None and row.changed),
        unchanged=sum(1 for row in rows if row.existing is not None and not row.changed),
    )
    if not dry_run:
        with transaction.atomic():
            _write(rows, order, active, units, user)
        report.written = True
    return report


def _fill_preview(report: ImportReport, table: Table) -> None:
    keys = [c.key for c in COLUMNS if c.key in table.headers]
    report.headers = [HEADERS[key] for key in keys]
    report.rows = len(table.rows)
    report.preview = [
        (number, [display_value(cells.get(key)) for key in keys])
        for number, cells in table.rows[:PREVIEW_ROWS]
    ]


def _parse_rows(report: ImportReport, table: Table) -> list[_Row]:
    kinds = list(UnitKind.objects.all())
    by_key: dict[str, UnitKind] = {}
    for kind in kinds:
        by_key.setdefault(fold(kind.code), kind)
        by_key.setdefault(fold(kind.name), kind)
    choices = ", ".join(f"“{k.code}” ({k.name})" for k in kinds)
    parsers = {
        "code": lambda v: values.text(v, max_length=40).upper(),
        "name": lambda v: values.text(v, max_length=255),
        "kind_raw": lambda v: values.text(v, max_length=120),
        "parent_code": lambda v: values.text(v, max_length=40).upper(),
        "place_name": lambda v: values.text(v, max_length=120),
        "valid_from": values.date,
    }
    source = {"kind_raw": "kind"}
    rows = []
    for number, cells in table.rows:
        row = _Row(number=number)
        for attr, parse in parsers.items():
            key = source.get(attr, attr)
            if key not in table.headers:
                continue
            try:
                setattr(row, attr, parse(cells.get(key)))
            except values.CellError as error:
                report.add_error(number, HEADERS[key], str(error), display_value(cells.get(key)))
        for column in COLUMNS:
            raw = cells.get(column.key)
            if column.required and (raw is None or (isinstance(raw, str) and not raw.strip())):
                report.add_error(
                    number, column.header, _(values.MSG_REQUIRED).format(header=column.header)
                )
        if row.kind_raw:
            row.kind = by_key.get(fold(row.kind_raw))
            if row.kind is None:
                report.add_error(
                    number,
                    HEADERS["kind"],
                    _(MSG_UNKNOWN_KIND).format(value=row.kind_raw, choices=choices),
                    row.kind_raw,
                )
        rows.append(row)
    return rows


def _parent_code_of(unit: Unit, by_path: dict[str, Unit]) -> str:
    parent = by_path.get(unit.path[: -Unit.steplen]) if unit.depth > 1 else None
    return parent.code if parent is not None else ""


def _check_rows(report, rows: list[_Row], active: dict[str, Unit], by_path, user) -> list[_Row]:
    """Validate codes and parents; return the new units in creation order (parents first)."""
    in_file: dict[str, _Row] = {}
    for row in rows:
        if not row.code:
            continue
        if row.code in in_file:
            other = in_file[row.code].number
            report.add_error(
                row.number,
                HEADERS["code"],
                _(MSG_DUPLICATE_CODE).format(code=row.code, other=other),
                row.code,
            )
            continue
        in_file[row.code] = row
        row.existing = active.get(row.code)
    roots = scope_roots(user) if user is not None else None

    def in_scope(unit: Unit) -> bool:
        return roots is None or any(unit.path.startswith(root.path) for root in roots)

    for row in in_file.values():
        if row.parent_code == row.code:
            report.add_error(
                row.number, HEADERS["parent_code"], _(MSG_PARENT_IS_SELF), row.parent_code
            )
            continue
        if row.parent_code and row.parent_code not in in_file and row.parent_code not in active:
            report.add_error(
                row.number,
                HEADERS["parent_code"],
                _(MSG_UNKNOWN_PARENT).format(code=row.parent_code),
                row.parent_code,
            )
            continue
        if row.existing is not None:
            if not in_scope(row.existing):
                report.add_error(
                    row.number, HEADERS["code"], _(MSG_OUT_OF_SCOPE).format(code=row.code), row.code
                )
                continue
            current = _parent_code_of(row.existing, by_path)
            if current != row.parent_code:
                report.add_error(
                    row.number,
                    HEADERS["parent_code"],
                    _(MSG_PARENT_CHANGED).format(code=row.code, current=current or NO_PARENT),
                    row.parent_code,
                )
                continue
            if row.kind is not None:
                new = {
                    "name": row.name,
                    "kind_id": row.kind.pk,
                    "place_name": row.place_name,
                    "valid_from": row.valid_from,
                }
                if row.valid_from is None:
                    new.pop("valid_from")  # an empty cell keeps the recorded date
                row.changed = tuple(f for f, v in new.items() if getattr(row.existing, f) != v)
        elif row.parent_code in active and row.parent_code not in in_file:
            if not in_scope(active[row.parent_code]):
                report.add_error(
                    row.number,
                    HEADERS["parent_code"],
                    _(MSG_OUT_OF_SCOPE).format(code=row.parent_code),
                    row.parent_code,
                )
        elif not row.parent_code and roots is not None:
            report.add_error(row.number, HEADERS["parent_code"], _(MSG_ROOT_NOT_ALLOWED))
    return _creation_order(report, in_file)


def _creation_order(report, in_file: dict[str, _Row]) -> list[_Row]:
    order: list[_Row] = []
    state: dict[str, int] = {}  # 1 = being visited, 2 = placed
    for start in in_file.values():
        if start.existing is not None or state.get(start.code):
            continue
        chain: list[_Row] = []
        row = start
        while row is not None and row.existing is None and not state.get(row.code):
            state[row.code] = 1
            chain.append(row)
            row = in_file.get(row.parent_code)
        if row is not None and state.get(row.code) == 1:
            codes = " → ".join(r.code for r in chain)
            report.add_error(
                start.number,
                HEADERS["parent_code"],
                _(MSG_PARENT_CYCLE).format(codes=codes),
                start.parent_code,
            )
        for item in reversed(chain):
            state[item.code] = 2
            order.append(item)
    return order


def _write(
    rows: list[_Row], order: list[_Row], active: dict[str, Unit], units: list[Unit], user
) -> None:
    actor = user if getattr(user, "pk", None) else None
    today = timezone.localdate()
    last_step: dict[str, int] = {}
    for unit in units:
        parent_path = unit.path[: -Unit.steplen]
        step = Unit._str2int(unit.path[-Unit.steplen :])
        last_step[parent_path] = max(last_step.get(parent_path, 0), step)

    placed: dict[str, Unit] = {}
    parents_touched: dict[str, Unit] = {}
    new_units: list[Unit] = []
    for row in order:
        parent = (
            placed.get(row.parent_code) or active.get(row.parent_code) if row.parent_code else None
        )
        parent_path = parent.path if parent is not None else ""
        step = last_step.get(parent_path, 0) + 1
        last_step[parent_path] = step
        depth = (parent.depth if parent is not None else 0) + 1
        unit = Unit(
            code=row.code,
            name=row.name,
            kind=row.kind,
            place_name=row.place_name,
            valid_from=row.valid_from,
            depth=depth,
            numchild=0,
            path=Unit._get_path(parent_path, depth, step),
        )
        unit.fill_derived_fields()
        if parent is not None:
            parent.numchild += 1
            if parent.pk is not None:
                parents_touched[parent.path] = parent
        placed[row.code] = unit
        new_units.append(unit)
    Unit.objects.bulk_create(new_units, batch_size=WRITE_BATCH)
    if parents_touched:
        Unit.objects.bulk_update(
            list(parents_touched.values()), ["numchild"], batch_size=WRITE_BATCH
        )

    events = [
        UnitEvent(
            unit=unit,
            kind=UnitEvent.Kind.CREATED,
            date=unit.valid_from or today,
            new_name=unit.name,
            actor=actor,
        )
        for unit in new_units
    ]
    changed: list[Unit] = []
    now = timezone.now()
    for row in rows:
        if row.existing is None or not row.changed:
            continue
        unit = row.existing
        if "name" in row.changed:
            events.append(
                UnitEvent(
                    unit=unit,
                    kind=UnitEvent.Kind.RENAMED,
                    date=today,
                    old_name=unit.name,
                    new_name=row.name,
                    actor=actor,
                )
            )
        unit.name, unit.kind_id, unit.place_name = row.name, row.kind.pk, row.place_name
        if row.valid_from is not None:
            unit.valid_from = row.valid_from
        unit.fill_derived_fields()
        unit.updated_at = now
        changed.append(unit)
    if changed:
        Unit.objects.bulk_update(
            changed,
            ["name", "kind", "place_name", "valid_from", "search_text", "updated_at"],
            batch_size=WRITE_BATCH,
        )
    UnitEvent.objects.bulk_create(events, batch_size=WRITE_BATCH)
