"""`python manage.py seed_demo`: the demo organisation, logins, home page, legal library,
courses and training plan.

Idempotent: running it twice changes nothing. It lives in `cms`, the top layer, because it
brings together every app's demo data.
"""

import importlib
import logging

from django.core.management.base import BaseCommand
from django.utils import translation

from cms.site_setup import home_page_ensure
from lms.org.demo_data import demo_logins_load, demo_org_load

# (module, function): each function takes stdout=, is idempotent, and runs after the org data.
DEMO_LOADERS = (
    ("cms.legal.demo", "load_demo_legal_documents"),
    ("assessments.demo", "load_demo_quizzes"),
    ("courses.demo", "load_demo_courses"),
    ("certificates.demo", "load_demo_certificates"),
    ("lms.training.demo", "demo_training_load"),
    ("lms.dissemination.demo", "load_demo_dissemination"),
    ("cms.consultations.demo", "load_demo_consultations"),
    ("cms.contests.demo", "load_demo_contest"),
    ("cms.public.demo", "load_demo_public_site"),
)
QUIET_LOGGERS = ("wagtail", "django_tasks", "modelsearch", "celery")


class Command(BaseCommand):
    help = "Nạp dữ liệu mẫu: cơ cấu tổ chức, người học, tài khoản mẫu, trang chủ và khóa học mẫu."

    def add_arguments(self, parser):
        parser.add_argument("--hostname", default="127.0.0.1", help="Tên máy của trang mặc định.")
        parser.add_argument("--port", type=int, default=8000, help="Cổng của trang mặc định.")

    def handle(self, *args, hostname: str, port: int, **options):
        translation.activate("vi")
        # Page publishing and in-process tasks log every step at INFO; keep the output readable.
        for name in QUIET_LOGGERS:
            logging.getLogger(name).setLevel(logging.WARNING)
        org = demo_org_load()
        logins = demo_logins_load(org)
        home = home_page_ensure(hostname=hostname, port=port)
        self.stdout.write(f"Trang chủ: {home.title} ({hostname}:{port})")

        # Apps contribute their demo data through these loaders, in dependency order.
        for module, function in DEMO_LOADERS:
            loader = getattr(importlib.import_module(module), function)
            loader(stdout=self.stdout)

        self._print_logins(logins)

    def _print_logins(self, logins) -> None:
        rows = [("Tên đăng nhập", "Mật khẩu", "Vai trò", "Phạm vi / người")]
        rows += [(x.username, x.password, x.role, x.description) for x in logins]
        widths = [max(len(row[i]) for row in rows) for i in range(3)]
        self.stdout.write("")
        self.stdout.write(
            self.style.SUCCESS("Tài khoản mẫu (đăng nhập tại /tai-khoan/dang-nhap/):")
        )
        for index, row in enumerate(rows):
            cells = [cell.ljust(widths[i]) for i, cell in enumerate(row[:3])] + [row[3]]
            self.stdout.write("  " + "  ".join(cells))
            if index == 0:
                self.stdout.write("  " + "  ".join("-" * w for w in widths) + "  " + "-" * 16)
