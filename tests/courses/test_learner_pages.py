"""The learner site: catalogue, search, outline, lesson reader, knowledge checks, dashboard."""

import datetime as dt
import gzip
import re

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from courses import services
from courses.models import Enrolment, LessonPage

pytestmark = pytest.mark.django_db


def _lessons(course):
    return list(LessonPage.objects.live().descendant_of(course).order_by("path"))


def _text(response) -> str:
    return response.content.decode()


def test_catalogue_defaults_to_my_target_groups(make_course, learner_client):
    mine = make_course(groups=("nguoi-thuc-hien",), title="Khóa cho người thực hiện")
    other = make_course(groups=("ban-ttnd",), title="Khóa cho Ban Thanh tra nhân dân")
    page = _text(learner_client.get(reverse("learner:catalogue")))
    assert mine.title in page and other.title not in page

    everything = _text(learner_client.get(reverse("learner:catalogue"), {"nhom": "tat-ca"}))
    assert mine.title in everything and other.title in everything

    board = _text(learner_client.get(reverse("learner:catalogue"), {"nhom": "ban-ttnd"}))
    assert other.title in board and mine.title not in board


def test_anonymous_visitors_see_only_courses_open_to_citizens(make_course, client):
    staff = make_course(audience="staff", title="Khóa dành cho cán bộ")
    public = make_course(audience="public", title="Khóa mở cho Nhân dân")
    page = _text(client.get(reverse("learner:catalogue")))
    assert public.title in page and staff.title not in page

    assert client.get(public.url).status_code == 200
    assert client.get(_lessons(public)[0].url).status_code == 200
    response = client.get(staff.url)
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]
    lesson_response = client.get(_lessons(staff)[0].url)
    assert lesson_response.status_code == 302
    assert reverse("accounts:login") in lesson_response["Location"]


def test_anonymous_reader_cannot_enrol_or_mark_done(make_course, client):
    public = make_course(audience="public")
    lesson = _lessons(public)[0]
    response = client.post(reverse("learner:course_enrol", args=[public.pk]))
    # “Đăng ký học” sends a visitor to sign up (or log in from there), then back to the course.
    assert response.status_code == 302 and reverse("accounts:signup") in response["Location"]
    response = client.post(reverse("learner:lesson_done", args=[lesson.pk]))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]
    assert not Enrolment.objects.exists()


def test_search_ignores_accents(make_course, learner_client):
    course = make_course(title="Hương ước, quy ước ở thôn")
    response = learner_client.get(reverse("learner:catalogue"), {"q": "huong uoc"})
    assert course.title in _text(response)
    response = learner_client.get(reverse("learner:catalogue"), {"q": "quyen lam chu"})
    # Lessons are found by their body text ("quyền làm chủ"), accent-free.
    assert _lessons(course)[0].title in _text(response)
    response = learner_client.get(reverse("learner:catalogue"), {"q": "DAN CHU"})
    assert "Dân chủ ở cơ sở" in _text(response)


def test_search_does_not_leak_staff_lessons_to_anonymous(make_course, client):
    staff = make_course(audience="staff", title="Khóa nội bộ")
    response = client.get(reverse("learner:catalogue"), {"q": "dan chu"})
    assert _lessons(staff)[0].title not in _text(response)


def test_outline_shows_each_lessons_status(make_course, learner_client, learner):
    course = make_course(lessons=3, modules=2)
    first, second, third = _lessons(course)
    services.lesson_complete(person=learner, lesson=first, course=course)
    services.lesson_visit(person=learner, lesson=second, course=course)
    html = _text(learner_client.get(course.url))
    assert "Chuyên đề 1" in html and "Chuyên đề 2" in html
    items = re.findall(r'<li class="(done)?">\s*<a href="([^"]+)">', html)
    assert items == [("done", first.url), ("", second.url), ("", third.url)]
    assert "Đã học 1/3 bài bắt buộc." in html
    assert 'aria-valuenow="33"' in html


def test_lesson_reader_has_previous_next_and_mark_done(make_course, learner_client):
    course = make_course(lessons=3)
    first, second, third = _lessons(course)
    html = _text(learner_client.get(second.url))
    assert f'href="{first.url}" rel="prev"' in html
    assert f'href="{third.url}" rel="next"' in html
    assert reverse("learner:lesson_done", args=[second.pk]) in html
    assert "Điều 11 khoản 2 Luật số 10/2022/QH15" in html
    assert 'id="dieu-11-khoan-2"' in html


def test_mark_done_goes_to_next_lesson_and_last_one_completes_course(
    make_course, learner_client, learner
):
    course = make_course(lessons=2)
    first, second = _lessons(course)
    response = learner_client.post(reverse("learner:lesson_done", args=[first.pk]))
    assert response["Location"] == second.url
    response = learner_client.post(reverse("learner:lesson_done", args=[second.pk]), follow=True)
    assert "Chúc mừng! Bạn đã hoàn thành khóa học" in _text(response)
    assert Enrolment.objects.get(person=learner, course=course).is_completed


def test_knowledge_check_answer_is_not_in_the_page(make_course, learner_client):
    course = make_course(lessons=1)
    (lesson,) = _lessons(course)
    html = _text(learner_client.get(lesson.url))
    assert "Phương án đúng" in html
    assert "correct" not in html.lower().replace("data-check", "")
    assert "Theo Điều 11 khoản 2" not in html  # the explanation comes only after answering


def test_knowledge_check_answers_from_the_server(make_course, learner_client):
    course = make_course(lessons=1)
    (lesson,) = _lessons(course)
    block = next(b for b in lesson.body if b.block_type == "check")
    url = reverse("learner:check_answer", args=[lesson.pk, block.id])
    assert f'action="{url}"' in _text(learner_client.get(lesson.url))

    fragment = learner_client.post(url, {"choice": "1"}, headers={"X-Requested-With": "fetch"})
    assert "Chính xác." in _text(fragment) and "Theo Điều 11 khoản 2" in _text(fragment)
    assert "<html" not in _text(fragment)

    wrong = learner_client.post(url, {"choice": "0"})  # plain form, no JavaScript
    assert "Chưa đúng." in _text(wrong) and "<html" in _text(wrong)

    empty = learner_client.post(url, {}, headers={"X-Requested-With": "fetch"})
    assert empty.status_code == 400 and "Hãy chọn một phương án" in _text(empty)
    assert (
        learner_client.post(url.replace(block.id, "khong-co"), {"choice": "1"}).status_code == 404
    )


def test_knowledge_check_of_staff_course_needs_login(make_course, client):
    course = make_course(lessons=1, audience="staff")
    (lesson,) = _lessons(course)
    block = next(b for b in lesson.body if b.block_type == "check")
    url = reverse("learner:check_answer", args=[lesson.pk, block.id])
    assert client.post(url, {"choice": "1"}).status_code == 404


def test_dashboard_shows_progress_for_you_and_empty_sections(make_course, learner_client, learner):
    started = make_course(lessons=2, title="Khóa đang học")
    recommended = make_course(lessons=2, title="Khóa gợi ý cho tôi")
    make_course(lessons=2, groups=("ban-gsdtcd",), title="Khóa của nhóm khác")
    first = _lessons(started)[0]
    services.lesson_complete(person=learner, lesson=first, course=started)

    html = _text(learner_client.get(reverse("learner:dashboard")))
    assert "Khóa đang học" in html and 'aria-valuenow="50"' in html
    assert "Tiếp tục học" in html and f'href="{first.url}"' in html
    assert "Khóa học dành cho bạn" in html and recommended.title in html
    assert "Khóa của nhóm khác" not in html
    assert f"Yêu cầu bồi dưỡng năm {dt.date.today().year}" in html
    assert "Giấy chứng nhận của tôi" in html and "Bạn chưa có giấy chứng nhận nào." in html


def test_dashboard_needs_login(client):
    response = client.get(reverse("learner:dashboard"))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_account_without_learner_profile_gets_a_clear_message(make_course, client):
    from tests.factories import UserFactory

    client.force_login(UserFactory(username="khong-ho-so"))
    course = make_course(lessons=1)
    assert "chưa gắn với hồ sơ người học" in _text(client.get(reverse("learner:dashboard")))
    response = client.post(
        reverse("learner:lesson_done", args=[_lessons(course)[0].pk]), follow=True
    )
    assert "chưa gắn với hồ sơ người học" in _text(response)


def test_lesson_page_without_media_is_under_100_kb_compressed(make_course, learner_client):
    """HTML + every stylesheet and script it references, each gzip-compressed, under 100 KB."""
    course = make_course(lessons=3)
    html = learner_client.get(_lessons(course)[1].url).content
    total = len(gzip.compress(html, compresslevel=6))
    assets = re.findall(rb'(?:href|src)="/static/([^"]+\.(?:css|js))"', html)
    assert any(a.endswith(b".css") for a in assets) and any(a.endswith(b".js") for a in assets)
    for asset in assets:
        path = finders.find(asset.decode())
        assert path, asset
        with open(path, "rb") as handle:
            total += len(gzip.compress(handle.read(), compresslevel=6))
    print(f"lesson page transfer (gzip): {total} bytes")
    assert total < 100 * 1024
