"""Recompute every pre-aggregated completion count from the assignments (decision 0008)."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Tính lại toàn bộ số liệu tổng hợp hoàn thành bồi dưỡng từ các nhiệm vụ."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--check",
            action="store_true",
            help="Chỉ đối chiếu và sửa các đơn vị lệch (như tác vụ chạy mỗi phút).",
        )

    def handle(self, *args, check: bool = False, **options) -> None:
        from lms.reports.counts import rebuild, reconcile

        start = time.perf_counter()
        written = reconcile() if check else rebuild()
        self.stdout.write(f"{written} units written in {time.perf_counter() - start:.1f} s")
