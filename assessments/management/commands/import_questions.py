"""python manage.py import_questions FILE --format gift|moodle-xml|aiken|xlsx --bank NAME [--dry-run]"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from assessments import formats
from assessments.importing import ImportRefused, bank_get_or_create, file_import
from assessments.models import QuestionStatus

MSG_FILE_MISSING = gettext_noop("Không tìm thấy tệp “{path}”.")
MSG_FILE_TOO_LARGE = gettext_noop("Tệp lớn quá giới hạn {limit} byte (MAX_IMPORT_FILE_BYTES).")
MSG_FORMAT_UNKNOWN = gettext_noop(
    "Không đoán được định dạng từ tên tệp; hãy ghi rõ --format gift|moodle-xml|aiken|xlsx."
)
MSG_REFUSED = gettext_noop("Không nhập câu hỏi nào vì tệp có {count} lỗi:")
MSG_DONE = gettext_noop(
    "Ngân hàng “{bank}”: {created} câu hỏi mới, {updated} câu hỏi cập nhật, "
    "{unchanged} câu hỏi không đổi, {categories} danh mục mới."
)
MSG_DRY_RUN = gettext_noop("Chạy thử (--dry-run): không có gì được lưu.")
MSG_SKIPPED = gettext_noop("Đã bỏ qua câu hỏi chưa hỗ trợ: {item}")
MSG_BANK_CREATED = gettext_noop("Đã tạo ngân hàng câu hỏi mới “{bank}”.")


class Command(BaseCommand):
    help = "Nhập câu hỏi từ tệp GIFT, Moodle XML, Aiken hoặc Excel vào một ngân hàng câu hỏi."

    def add_arguments(self, parser):
        parser.add_argument("file", help="Đường dẫn tệp cần nhập")
        parser.add_argument(
            "--format", dest="fmt", choices=formats.IMPORT_FORMATS, help="Định dạng tệp"
        )
        parser.add_argument("--bank", required=True, help="Tên (hoặc mã) ngân hàng câu hỏi")
        parser.add_argument("--dry-run", action="store_true", help="Chỉ kiểm tra, không lưu")
        parser.add_argument(
            "--skip-unsupported",
            action="store_true",
            help="Bỏ qua (và liệt kê) các câu hỏi thuộc loại chưa hỗ trợ",
        )
        parser.add_argument(
            "--status",
            choices=[QuestionStatus.DRAFT, QuestionStatus.REVIEWED],
            default=QuestionStatus.DRAFT,
            help="Trạng thái của câu hỏi sau khi nhập (mặc định: draft)",
        )

    def handle(self, *args, file, fmt, bank, dry_run, skip_unsupported, status, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(_(MSG_FILE_MISSING).format(path=file))
        if path.stat().st_size > settings.MAX_IMPORT_FILE_BYTES:
            raise CommandError(_(MSG_FILE_TOO_LARGE).format(limit=settings.MAX_IMPORT_FILE_BYTES))
        fmt = fmt or formats.guess_format(path.name)
        if fmt is None:
            raise CommandError(_(MSG_FORMAT_UNKNOWN))
        data = path.read_bytes()
        # Parse before touching the database so that a broken file creates no bank either.
        parsed = formats.parse(fmt, data, max_rows=settings.MAX_IMPORT_ROWS)
        problems = parsed.problems(skip_unsupported=skip_unsupported)
        if problems:
            self._refuse(problems)
        try:
            # One transaction: a refused (or dry) run leaves no new bank behind either.
            with transaction.atomic():
                target, created = bank_get_or_create(name=bank)
                result = file_import(
                    bank=target,
                    data=data,
                    fmt=fmt,
                    dry_run=dry_run,
                    skip_unsupported=skip_unsupported,
                    status=status,
                )
                if dry_run:
                    transaction.set_rollback(True)
        except ImportRefused as refused:
            self._refuse(refused.messages)
        if created and not dry_run:
            self.stdout.write(_(MSG_BANK_CREATED).format(bank=target.name))
        for item in result.skipped_unsupported:
            self.stdout.write(self.style.WARNING(_(MSG_SKIPPED).format(item=item)))
        for warning in result.warnings:
            self.stdout.write(self.style.WARNING(warning))
        self.stdout.write(
            self.style.SUCCESS(
                _(MSG_DONE).format(
                    bank=target.name,
                    created=result.created,
                    updated=result.updated,
                    unchanged=result.unchanged,
                    categories=result.categories_created,
                )
            )
        )
        if dry_run:
            self.stdout.write(_(MSG_DRY_RUN))

    def _refuse(self, problems: list[str]) -> None:
        raise CommandError(_(MSG_REFUSED).format(count=len(problems)) + "\n" + "\n".join(problems))
