"""A trainer writes, previews and publishes a lesson in the Wagtail admin; a learner then reads it."""

import datetime as dt
import json
from pathlib import Path

import pytest
from playwright.sync_api import expect

from courses.demo import course_index_ensure, course_load
from courses.models import LessonPage
from tests import factories

pytestmark = pytest.mark.e2e

COURSE_JSON = Path(__file__).resolve().parent.parent / "courses" / "fixtures" / "mini-course.json"
LESSON_TITLE = "Hội nghị thôn bàn và quyết định"
LESSON_TEXT = "Trưởng thôn triệu tập hội nghị để Nhân dân bàn và quyết định."


@pytest.fixture
def people_and_course(wagtail_site, db):
    kinds = factories.unit_kinds()
    tree = factories.small_tree(kinds)
    groups = factories.target_groups()
    trainer = factories.staff_user(role="trainer", unit=None, username="giang-vien")
    course = course_load(
        data=json.loads(COURSE_JSON.read_text("utf-8")), index=course_index_ensure()
    )
    learner = factories.PersonFactory(full_name="Lê Văn Cường")
    factories.PositionFactory(
        person=learner, unit=tree.hamlet_a1, target_group=groups.hamlet_head,
        start_date=dt.date(2025, 7, 1),
    )  # fmt: skip
    return trainer, learner, course


def test_trainer_creates_previews_publishes_and_learner_sees_it(
    live_server, new_page, log_in, people_and_course, settings
):
    # Manual "Refresh" in the preview panel: the same preview, without the auto-update timer.
    settings.WAGTAIL_AUTO_UPDATE_PREVIEW_INTERVAL = 0
    # Wagtail 8 autosaves the form every 500 ms. The live test server shares one in-memory SQLite
    # connection between its threads, so an autosave overlapping the publish breaks the savepoints
    # of both requests (a real server has a connection per thread). The publish is what is tested.
    settings.WAGTAIL_AUTOSAVE_INTERVAL = 0
    trainer, learner, course = people_and_course
    base = live_server.url
    admin = new_page()
    admin.set_viewport_size({"width": 1280, "height": 900})  # the trainer works on a computer
    log_in(admin, base, trainer.username, factories.DEFAULT_PASSWORD)
    admin.goto(f"{base}/admin/pages/add/courses/lessonpage/{course.pk}/")
    admin.fill("#id_title", LESSON_TITLE)
    admin.fill("#id_summary", "Cách tổ chức hội nghị ở thôn, tổ dân phố.")

    # Add one paragraph block to the lesson body and type into it.
    admin.locator(
        "[data-contentpath=body] button[title], [data-contentpath=body] .c-sf-add-button"
    ).first.click()
    admin.get_by_role("option", name="Đoạn văn").or_(
        admin.get_by_role("button", name="Đoạn văn")
    ).first.click()
    editor = admin.locator("[data-contentpath=body] .public-DraftEditor-content").first
    editor.click()
    editor.type(LESSON_TEXT)

    editor.press("Tab")  # leave the editor so the form state is final
    # Draftail writes the editor's content into the form's hidden input on a short timer; a
    # refresh before that would preview the empty body (as it would for a very quick trainer).
    admin.wait_for_function(
        """text => [...document.querySelectorAll('[data-contentpath=body] input[type=hidden]')]
            .some(input => input.value.includes(text))""",
        arg=LESSON_TEXT,
    )

    # Preview in the side panel shows the lesson as learners will see it. The panel is in
    # manual-refresh mode for this test (see settings above), so no debounce race.
    admin.locator("[data-side-panel-toggle=preview]").click()
    admin.locator(".w-preview__refresh-button").click()
    preview = admin.frame_locator("iframe[title]").first
    expect(preview.get_by_text(LESSON_TEXT)).to_be_visible(timeout=30_000)

    # Publish from the footer's action menu.
    admin.locator("footer [data-w-dropdown-target=toggle], footer .dropdown-toggle").first.click()
    admin.locator("button[name=action-publish]").click()
    # The click only starts the POST; wait until Wagtail has saved and redirected away from the
    # add form before looking in the database.
    admin.wait_for_url(lambda url: "/add/" not in url, timeout=30_000)
    expect(admin.locator(".messages")).to_contain_text(LESSON_TITLE)
    lesson = LessonPage.objects.get(title=LESSON_TITLE)
    assert lesson.live and lesson.get_parent().pk == course.pk

    reader = new_page()
    log_in(reader, base, learner.user.username, factories.DEFAULT_PASSWORD)
    reader.goto(base + course.url)
    reader.get_by_role("link", name=LESSON_TITLE).click()
    expect(reader.get_by_role("heading", level=1)).to_have_text(LESSON_TITLE)
    expect(reader.get_by_text(LESSON_TEXT)).to_be_visible()
