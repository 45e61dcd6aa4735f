"""Demo contest: “Tìm hiểu Luật Thực hiện dân chủ ở cơ sở” with a round running now, drawing its
questions from the demo bank on Law 10/2022 (assessments demo content). Idempotent: pages are found
by slug; the demo bank is loaded by the assessments loader, which runs earlier in seed_demo."""

from __future__ import annotations

import datetime as dt
from typing import IO

from django.db import transaction
from django.utils import timezone

from assessments.api import QuestionCategory, bank_name
from cms.models import HomePage

from .models import ContestPage, ContestRoundPage

CONTEST_SLUG = "cuoc-thi-tim-hieu-phap-luat"
ROUND_SLUG = "dot-1"
DEMO_BANK = "luat-thuc-hien-dan-chu-o-co-so"

INTRO = (
    "<p>Cuộc thi trực tuyến tìm hiểu Luật Thực hiện dân chủ ở cơ sở số 10/2022/QH15, hưởng ứng "
    "Ngày Pháp luật Việt Nam 9/11. Người dân dự thi bằng điện thoại, không cần tài khoản.</p>"
)
RULES = (
    "<ol><li>Mỗi lượt thi gồm 10 câu hỏi chọn ngẫu nhiên, làm trong 15 phút.</li>"
    "<li>Mỗi số điện thoại được dự thi tối đa 3 lượt; chỉ lượt tốt nhất được xếp hạng.</li>"
    "<li>Cuối bài có câu hỏi dự đoán: “Đợt thi này sẽ có bao nhiêu người có bài làm đúng hoàn "
    "toàn?”. Mỗi số điện thoại có bài đúng hoàn toàn được tính một lần.</li>"
    "<li>Xếp hạng theo điểm, rồi độ lệch của câu dự đoán, rồi thời gian làm bài, rồi thời điểm "
    "nộp bài.</li></ol>"
)
PRIZES = "<p>01 giải Nhất, 02 giải Nhì, 03 giải Ba, 04 giải Khuyến khích; kèm giấy chứng nhận.</p>"


@transaction.atomic
def load_demo_contest(*, stdout: IO[str] | None = None) -> ContestRoundPage | None:
    home = HomePage.objects.first()
    category = (
        QuestionCategory.objects.filter(bank__name=bank_name(DEMO_BANK), parent__isnull=True)
        .order_by("full_path")
        .first()
    )
    if home is None or category is None:
        if stdout:
            stdout.write("Chưa có trang chủ hoặc ngân hàng câu hỏi mẫu: bỏ qua cuộc thi mẫu.\n")
        return None
    contest = ContestPage.objects.filter(slug=CONTEST_SLUG).first()
    if contest is None:
        contest = ContestPage(
            title="Cuộc thi tìm hiểu Luật Thực hiện dân chủ ở cơ sở",
            slug=CONTEST_SLUG,
            organiser="Ủy ban nhân dân Thành phố Hồ Chí Minh",
            intro=INTRO,
        )
        home.add_child(instance=contest)
        contest.save_revision().publish()
    round_page = ContestRoundPage.objects.filter(slug=ROUND_SLUG).child_of(contest).first()
    if round_page is None:
        now = timezone.now()
        round_page = ContestRoundPage(
            title="Đợt 1 — Hưởng ứng Ngày Pháp luật 9/11",
            slug=ROUND_SLUG,
            opens_at=now - dt.timedelta(days=1),
            closes_at=now + dt.timedelta(days=29),
            category=category,
            question_count=10,
            time_limit_minutes=15,
            max_entries_per_phone=3,
            top_n=10,
            rules=RULES,
            prizes=PRIZES,
        )
        contest.add_child(instance=round_page)
        round_page.save_revision().publish()
    if stdout:
        stdout.write(f"Cuộc thi mẫu: “{contest.title}”, {round_page.title}.\n")
    return round_page
