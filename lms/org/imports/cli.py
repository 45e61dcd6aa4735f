"""Printing an import report in a terminal (management commands)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from .report import ImportReport

COUNT_LABELS = {
    "units": gettext_noop("Đơn vị"),
    "people": gettext_noop("Người học"),
    "positions": gettext_noop("Vị trí"),
    "accounts": gettext_noop("Tài khoản"),
}


def print_report(command, report: ImportReport) -> None:
    out = command.stdout
    out.write(_("Số dòng dữ liệu: {rows}").format(rows=report.rows))
    for error in report.sorted_errors():
        where = _("Dòng {row}").format(row=error.row) if error.row else _("Tệp")
        value = f" [{error.value}]" if error.value else ""
        command.stderr.write(f"{where} — {error.column}: {error.message}{value}")
    if report.errors:
        return
    verb = _("Sẽ") if report.dry_run else _("Đã")
    for key, counts in report.counts.items():
        label = _(COUNT_LABELS.get(key, key))
        if key == "accounts":
            out.write(
                _("{label}: {verb} tạo {created}").format(
                    label=label, verb=verb.lower(), created=counts.created
                )
            )
            continue
        out.write(
            _("{label}: {verb} tạo {created}, cập nhật {updated}, giữ nguyên {unchanged}").format(
                label=label,
                verb=verb.lower(),
                created=counts.created,
                updated=counts.updated,
                unchanged=counts.unchanged,
            )
        )
    if report.dry_run:
        out.write(command.style.WARNING(_("Chạy thử: chưa ghi dữ liệu nào.")))
        return
    if report.accounts:
        # Printed once to the operator's terminal, never written to the log.
        out.write(_("Tài khoản mới (mật khẩu ban đầu, phải đổi ở lần đăng nhập đầu):"))
        for account in report.accounts:
            out.write(f"  {account.full_name}\t{account.username}\t{account.password}")
    out.write(command.style.SUCCESS(_("Nhập dữ liệu thành công.")))
