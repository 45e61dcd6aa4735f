"""python manage.py import_legal_document FILE [--library|--page-parent ID] [--number …] [--dry-run]."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from cms.legal.models import DocumentStatus, DocumentType, LegalLibraryPage
from cms.legal.parsing import parse_file
from cms.legal.services import DocumentMetadata, ImportRefused, legal_document_import


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(
            _("Ngày không hợp lệ (dạng YYYY-MM-DD): %(value)s") % {"value": value}
        ) from exc


class Command(BaseCommand):
    help = "Nhập văn bản pháp luật (.txt, .md, .docx) vào Thư viện pháp luật."

    def add_arguments(self, parser):
        parser.add_argument("file")
        where = parser.add_mutually_exclusive_group()
        where.add_argument(
            "--page-parent", type=int, help="ID trang Thư viện pháp luật chứa văn bản"
        )
        where.add_argument(
            "--library", action="store_true", help="đặt vào Thư viện pháp luật (mặc định)"
        )
        parser.add_argument(
            "--number", help="số hiệu, ví dụ 10/2022/QH15 (bắt buộc trừ khi --dry-run)"
        )
        parser.add_argument("--title", default="")
        parser.add_argument("--short-code", default="")
        parser.add_argument("--type", dest="document_type", choices=DocumentType.values, default="")
        parser.add_argument("--issuer", default="")
        parser.add_argument("--issue-date", type=_date)
        parser.add_argument("--effective-date", type=_date)
        parser.add_argument("--expiry-date", type=_date)
        parser.add_argument("--status", choices=DocumentStatus.values, default="")
        parser.add_argument("--amended-by", default="")
        parser.add_argument("--source-note", default="")
        parser.add_argument(
            "--dry-run", action="store_true", help="chỉ phân tích và báo cáo, không ghi"
        )
        parser.add_argument(
            "--accept-warnings", action="store_true", help="vẫn nhập khi có cảnh báo"
        )

    def handle(self, *args, **options):
        path = Path(options["file"])
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(_("Không mở được tệp %(path)s.") % {"path": path}) from exc
        parsed = parse_file(name=path.name, data=data)
        for error in parsed.errors:
            self.stderr.write(self.style.ERROR(error))
        for warning in parsed.warnings:
            self.stdout.write(self.style.WARNING(warning))
        if parsed.errors:
            raise CommandError(_("Không nhập: tệp có lỗi."))
        self.stdout.write(
            _(
                "Đọc được: %(chapters)s chương, %(sections)s mục, %(articles)s điều, %(clauses)s khoản, %(points)s điểm; %(warnings)s cảnh báo."
            )
            % {
                "chapters": parsed.count("chapter"),
                "sections": parsed.count("section"),
                "articles": parsed.count("article"),
                "clauses": parsed.count("clause"),
                "points": parsed.count("point"),
                "warnings": len(parsed.warnings),
            }
        )
        if options["dry_run"]:
            self.stdout.write(_("Chạy thử: không ghi gì vào cơ sở dữ liệu."))
            return
        if not options["number"]:
            raise CommandError(_("Cần --number (số hiệu văn bản)."))
        parent = None
        if options["page_parent"]:
            parent = LegalLibraryPage.objects.filter(pk=options["page_parent"]).first()
            if parent is None:
                raise CommandError(
                    _("Không có trang Thư viện pháp luật với ID %(id)s.")
                    % {"id": options["page_parent"]}
                )
        metadata = DocumentMetadata(
            number=options["number"],
            title=options["title"],
            short_code=options["short_code"],
            document_type=options["document_type"],
            issuer=options["issuer"],
            issue_date=options["issue_date"],
            effective_date=options["effective_date"],
            status=options["status"],
            amended_by=options["amended_by"],
            expiry_date=options["expiry_date"],
            source_note=options["source_note"],
        )
        try:
            result = legal_document_import(
                parsed=parsed,
                metadata=metadata,
                parent=parent,
                accept_warnings=options["accept_warnings"],
            )
        except ImportRefused as exc:
            raise CommandError("\n".join(exc.messages)) from exc
        verb = _("Đã tạo") if result.created else _("Đã cập nhật")
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "%(verb)s “%(title)s”: %(new)s điều khoản mới, %(updated)s cập nhật, %(deleted)s bỏ."
                )
                % {
                    "verb": verb,
                    "title": result.document.title,
                    "new": result.provisions_created,
                    "updated": result.provisions_updated,
                    "deleted": result.provisions_deleted,
                }
            )
        )
