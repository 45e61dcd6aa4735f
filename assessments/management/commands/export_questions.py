"""python manage.py export_questions --bank NAME --format moodle-xml|gift|xlsx -o FILE"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from assessments import formats
from assessments.importing import bank_export
from assessments.models import QuestionBank

MSG_BANK_MISSING = gettext_noop("Không có ngân hàng câu hỏi “{bank}”.")
MSG_EXPORTED = gettext_noop("Đã xuất ngân hàng câu hỏi “{bank}” ra tệp “{path}”.")
MSG_XLSX_TO_FILE = gettext_noop("Tệp Excel phải được ghi ra tệp: dùng -o TÊN_TỆP.xlsx.")


class Command(BaseCommand):
    help = "Xuất một ngân hàng câu hỏi ra tệp Moodle XML, GIFT hoặc Excel."

    def add_arguments(self, parser):
        parser.add_argument("--bank", required=True, help="Tên (hoặc mã) ngân hàng câu hỏi")
        parser.add_argument(
            "--format", dest="fmt", choices=formats.EXPORT_FORMATS, default=formats.MOODLE_XML
        )
        parser.add_argument("-o", "--output", required=True, help="Tệp kết quả ('-' = màn hình)")
        parser.add_argument(
            "--include-retired", action="store_true", help="Xuất cả câu hỏi ngừng sử dụng"
        )
        parser.add_argument(
            "--skip-unsupported",
            action="store_true",
            help="Bỏ qua câu hỏi không ghi được ở định dạng đã chọn (ví dụ: sắp xếp trong GIFT)",
        )

    def handle(self, *args, bank, fmt, output, include_retired, skip_unsupported, **options):
        target = (
            QuestionBank.objects.filter(name=bank).first()
            or QuestionBank.objects.filter(slug=bank).first()
        )
        if target is None:
            raise CommandError(_(MSG_BANK_MISSING).format(bank=bank))
        try:
            data = bank_export(
                bank=target,
                fmt=fmt,
                include_retired=include_retired,
                skip_unsupported=skip_unsupported,
            )
        except formats.FormatError as error:
            raise CommandError("\n".join(error.messages)) from error
        if output == "-":
            if fmt == formats.XLSX:
                raise CommandError(_(MSG_XLSX_TO_FILE))
            self.stdout.write(data.decode("utf-8"))
            return
        Path(output).write_bytes(data)
        self.stdout.write(self.style.SUCCESS(_(MSG_EXPORTED).format(bank=target.name, path=output)))
