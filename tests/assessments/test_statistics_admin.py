"""The quiz statistics screens in the Wagtail admin: figures, unit scoping, .xlsx export, permissions,
query counts."""

from __future__ import annotations

import io
import random

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from assessments import legal_links
from assessments.models import AttemptChoice, AttemptQuestion
from assessments.services import attempt_start, attempt_submit, response_save
from tests import factories
from tests.assessments.conftest import add_choices, make_question

ROLES = ("anonymous", "learner", "trainer", "manager_a", "manager_b", "admin_a", "admin")
OK, NO, NF = "ok", "refused", "404"
B_ANSWER = "Đáp án riêng của Xã Thường Tân"
A_ANSWER = "Hội nghị thôn"


def row(*expected: str) -> dict[str, str]:
    return dict(zip(ROLES, expected, strict=True))


#                    anon learner trainer mgr_A mgr_B adm_A admin
EVERY_VIEWER = row(NO, NO, OK, OK, OK, OK, OK)
UNIT_B = row(NO, NO, OK, NF, OK, NF, OK)


@pytest.fixture
def world(tree, groups):
    return factories.staff_world(tree, groups)


def _take(quiz, person, *, single: str, short: str, seed: int = 1):
    """Start, answer (the single-choice question with the option of that text, the short answer
    with ``short``) and submit an attempt through the real services."""
    attempt = attempt_start(quiz=quiz, person=person, rng=random.Random(seed))
    for aq in AttemptQuestion.objects.filter(attempt=attempt):
        qtype = aq.snapshot["qtype"]
        if qtype == "single":
            texts = {c["id"]: c["text"] for c in aq.snapshot["choices"]}
            option = next(
                o
                for o in AttemptChoice.objects.filter(attempt_question=aq)
                if texts[o.source_id] == single
            )
            answer = option.pk
        elif qtype == "shortanswer":
            answer = short
        else:
            continue
        response_save(attempt=attempt, attempt_question_id=aq.pk, answer=answer, seq=1)
    assert attempt_submit(attempt_id=attempt.pk)
    return attempt


@pytest.fixture
def graded(world, questions, make_quiz):
    """Person A (hamlet A1 of commune A) answers everything right; person B (commune B) wrong."""
    quiz = make_quiz([questions["single"], questions["shortanswer"]], title="Kiểm tra Điều 3")
    _take(quiz, world.person_a, single="Đúng là A", short=A_ANSWER)
    _take(quiz, world.person_b, single="Sai C", short=B_ANSWER)
    return quiz


def _outcome(response) -> str:
    if response.status_code == 200:
        return OK
    if response.status_code == 404:
        return NF
    if response.status_code in (401, 403):
        return NO
    if response.status_code == 302:
        assert response["Location"].startswith(("/admin/", "/tai-khoan/")), response["Location"]
        return NO
    raise AssertionError(f"unexpected status {response.status_code}")


@pytest.mark.parametrize("role", ROLES)
def test_every_role_gets_what_its_scope_allows(client, world, tree, graded, role):
    if role != "anonymous":
        client.force_login(getattr(world, role))
    detail = reverse("assessments_statistics_quiz", args=[graded.pk])
    export = reverse("assessments_statistics_export", args=[graded.pk])
    cases = [
        (reverse("assessments_statistics"), EVERY_VIEWER),
        (detail, EVERY_VIEWER),
        (export, EVERY_VIEWER),
        (f"{detail}?don-vi={tree.commune_b.pk}", UNIT_B),
        (f"{export}?don-vi={tree.hamlet_b1.pk}", UNIT_B),
    ]
    failures = [
        f"{url}: expected {expected[role]}, got {got}"
        for url, expected in cases
        if (got := _outcome(client.get(url))) != expected[role]
    ]
    assert not failures, "\n".join(failures)


def test_the_menu_item_is_shown_to_statistics_viewers_only(client, world):
    url = reverse("assessments_statistics")
    client.force_login(world.manager_a)
    assert url in client.get(reverse("wagtailadmin_home")).content.decode()
    client.force_login(world.trainer)
    assert url in client.get(reverse("wagtailadmin_home")).content.decode()


def _xlsx_text(response) -> str:
    workbook = load_workbook(io.BytesIO(response.content))
    return "\n".join(
        str(value)
        for sheet in workbook.worksheets
        for line in sheet.iter_rows(values_only=True)
        for value in line
        if value is not None
    )


def test_manager_of_commune_a_sees_nothing_of_commune_b(client, world, tree, graded):
    client.force_login(world.manager_a)
    page = client.get(reverse("assessments_statistics_quiz", args=[graded.pk]))
    html = page.content.decode()
    export = client.get(reverse("assessments_statistics_export", args=[graded.pk]))
    text = _xlsx_text(export)
    for leaked in (B_ANSWER, tree.commune_b.name, tree.hamlet_b1.name, world.person_b.full_name):
        assert leaked not in html
        assert leaked not in text
    # Only A's attempt counts: one graded attempt, everything right.
    assert page.context["attempt_count"] == 1
    assert all(q.attempts == 1 and q.facility == 1.0 for q in page.context["questions"])
    overall = page.context["table"]["rows"][0]
    assert [c.percent for c in overall.cells] == [100.0, 100.0]
    assert [r.label for r in page.context["table"]["rows"][1:]] == [tree.hamlet_a1.name]
    assert A_ANSWER in html and A_ANSWER in text
    # The index counts only A's attempt too.
    index = client.get(reverse("assessments_statistics"))
    assert [q.graded_count for q in index.context["quizzes"]] == [1]


def test_admin_sees_every_commune_and_drills_down(client, world, tree, graded):
    client.force_login(world.admin)
    url = reverse("assessments_statistics_quiz", args=[graded.pk])
    page = client.get(url)
    assert page.context["attempt_count"] == 2
    rows = page.context["table"]["rows"]
    assert rows[0].label == "Toàn bộ" and [c.percent for c in rows[0].cells] == [50.0, 50.0]
    assert [r.label for r in rows[1:]] == [tree.city.name]
    page = client.get(f"{url}?don-vi={tree.city.pk}")
    rows = page.context["table"]["rows"]
    shares = {r.label: [c.percent for c in r.cells] for r in rows[1:]}
    assert shares == {tree.commune_a.name: [100.0, 100.0], tree.commune_b.name: [0.0, 0.0]}
    html = page.content.decode()
    assert f"?don-vi={tree.commune_a.pk}" in html and "share-poor" in html
    single = next(q for q in page.context["questions"] if q.qtype == "single")
    assert single.facility == 0.5
    chosen = {a.label: a.count for a in single.distribution}
    assert chosen == {"Đúng là A": 1, "Sai B": 0, "Sai C": 1}


def test_an_article_links_to_the_legal_library_when_one_is_registered(client, world, graded):
    client.force_login(world.trainer)
    url = reverse("assessments_statistics_quiz", args=[graded.pk])
    legal_links.legal_library_register(
        lambda **kw: f"/van-ban/{kw['law'].replace('/', '-')}/#dieu-{kw['article']}"
    )
    try:
        html = client.get(url).content.decode()
    finally:
        legal_links.legal_library_register(None)
    assert 'href="/van-ban/10-2022-QH15/#dieu-3"' in html
    assert 'href="/van-ban/10-2022-QH15/#dieu-6"' in html


def test_export_is_an_xlsx_of_the_same_figures(client, world, tree, graded):
    client.force_login(world.admin)
    url = reverse("assessments_statistics_export", args=[graded.pk])
    response = client.get(f"{url}?don-vi={tree.city.pk}")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert ".xlsx" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    values = {line[0]: line[1:] for line in sheet.iter_rows(min_row=2, max_row=4, values_only=True)}
    assert values[tree.commune_a.name] == (1.0, 1.0)
    assert values[tree.commune_b.name] == (0.0, 0.0)


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_query_counts_do_not_grow_with_attempts_or_questions(
    client, world, tree, groups, bank, categories, make_quiz
):
    def quiz_with(n_questions, n_people, title):
        qs = [
            add_choices(
                make_question(bank, categories[0], "single", f"{title} {i}", article=3 + i),
                [("Đúng là A", 1), ("Sai B", 0), ("Sai C", 0)],
            )
            for i in range(n_questions)
        ]
        qs.append(
            add_choices(
                make_question(bank, categories[0], "shortanswer", f"{title} ngắn"),
                [(A_ANSWER, 1)],
            )
        )
        quiz = make_quiz(qs, title=title)
        for n in range(n_people):
            person = factories.PersonFactory()
            unit = tree.hamlet_a1 if n % 2 else tree.board_a
            factories.PositionFactory(person=person, unit=unit, target_group=groups.hamlet_head)
            _take(quiz, person, single="Sai B" if n % 3 else "Đúng là A", short=f"ý {n}")
        return quiz

    small = quiz_with(1, 2, "Nhỏ")
    large = quiz_with(6, 8, "Lớn")
    client.force_login(world.manager_a)
    counts = {}
    for label, quiz in (("small", small), ("large", large)):
        counts[label] = (
            _count(client, reverse("assessments_statistics_quiz", args=[quiz.pk])),
            _count(client, reverse("assessments_statistics_export", args=[quiz.pk])),
        )
    counts["index"] = _count(client, reverse("assessments_statistics"))
    assert counts["small"] == counts["large"]
    page, export = counts["large"]
    assert page <= 20 and export <= 15 and counts["index"] <= 10, counts
