"""`python manage.py public_search_rebuild`: re-index every public page for the site search."""

from django.core.management.base import BaseCommand

from cms.public.search import search_index_rebuild


class Command(BaseCommand):
    help = "Lập lại chỉ mục tìm kiếm của trang công khai (tin tức, hỏi – đáp, tài liệu, khóa học…)."

    def handle(self, *args, **options):
        count = search_index_rebuild()
        self.stdout.write(f"Đã lập chỉ mục {count} trang.")
