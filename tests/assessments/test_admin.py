"""Question authoring in the Wagtail admin: trainers and administrators only; revisions; previews."""

import pytest
from django.test import Client
from django.urls import reverse

from assessments.models import Question, QuestionRevision
from assessments.viewsets import TRUEFALSE_NEEDS_TWO
from tests.factories import ROLE, staff_user

LIST = "wagtailsnippets_assessments_question:list"
ADD = "wagtailsnippets_assessments_question:add"


@pytest.fixture
def trainer(db):
    return staff_user(role=ROLE.TRAINER, unit=None, username="giang-vien")


@pytest.fixture
def as_user():
    def _as(user):
        client = Client()
        client.force_login(user)
        return client

    return _as


def question_post(bank, category, **overrides):
    data = {
        "bank": bank.pk,
        "category": category.pk,
        "qtype": "single",
        "status": "draft",
        "difficulty": "easy",
        "name": "Nội dung công khai",
        "text": "<p>Nội dung nào phải công khai?</p>",
        "text_format": "html",
        "explanation": "Theo Điều 11 Luật 10/2022/QH15",
        "general_feedback": "",
        "default_mark": "1",
        "penalty": "0",
        "shuffle_choices": "on",
        "idnumber": "",
        "choices-TOTAL_FORMS": "2",
        "choices-INITIAL_FORMS": "0",
        "choices-MIN_NUM_FORMS": "0",
        "choices-MAX_NUM_FORMS": "1000",
        "choices-0-text": "Dự toán ngân sách xã",
        "choices-0-fraction": "1",
        "choices-0-feedback": "",
        "choices-0-tolerance": "",
        "choices-0-ORDER": "1",
        "choices-1-text": "Thư riêng",
        "choices-1-fraction": "0",
        "choices-1-feedback": "",
        "choices-1-tolerance": "",
        "choices-1-ORDER": "2",
        "pairs-TOTAL_FORMS": "0",
        "pairs-INITIAL_FORMS": "0",
        "pairs-MIN_NUM_FORMS": "0",
        "pairs-MAX_NUM_FORMS": "1000",
        "legal_tags-TOTAL_FORMS": "1",
        "legal_tags-INITIAL_FORMS": "0",
        "legal_tags-MIN_NUM_FORMS": "0",
        "legal_tags-MAX_NUM_FORMS": "1000",
        "legal_tags-0-law": "10/2022/QH15",
        "legal_tags-0-article": "11",
        "legal_tags-0-clause": "",
        "legal_tags-0-point": "",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize(
    "who,allowed", [("trainer", True), ("admin", True), ("manager", False), ("learner", False)]
)
def test_only_trainers_and_admins_reach_the_question_bank(
    who, allowed, tree, bank, as_user, learner
):
    users = {
        "trainer": lambda: staff_user(role=ROLE.TRAINER, unit=None, username="gv"),
        "admin": lambda: staff_user(role=ROLE.ADMIN, unit=tree.commune_a, username="qt"),
        "manager": lambda: staff_user(role=ROLE.MANAGER, unit=tree.commune_a, username="ql"),
        "learner": lambda: learner.user,
    }
    client = as_user(users[who]())
    for name in (
        LIST,
        ADD,
        "wagtailsnippets_assessments_quiz:list",
        "wagtailsnippets_assessments_questionbank:list",
    ):
        response = client.get(reverse(name))
        assert (response.status_code == 200) is allowed, (name, response.status_code)


def test_anonymous_is_sent_to_login(db):
    response = Client().get(reverse(LIST))
    assert response.status_code == 302 and "dang-nhap" in response["Location"]


def test_trainer_creates_a_question_with_inline_choices_and_a_revision_is_kept(
    trainer, as_user, bank, categories
):
    client = as_user(trainer)
    response = client.post(reverse(ADD), question_post(bank, categories[0]))
    assert response.status_code == 302, (
        response.context["form"].errors if response.context else response
    )
    question = Question.objects.get(name="Nội dung công khai")
    assert question.choices.count() == 2 and question.legal_tags.get().article == 11
    revision = QuestionRevision.objects.get(question=question)
    assert (
        revision.created_by == trainer
        and revision.data["choices"][0]["text"] == "Dự toán ngân sách xã"
    )
    edit = reverse("wagtailsnippets_assessments_question:edit", args=[question.pk])
    data = question_post(bank, categories[0], name="Nội dung phải công khai", status="reviewed")
    data.update({"choices-INITIAL_FORMS": "0"})
    assert client.post(edit, data).status_code == 302
    assert QuestionRevision.objects.filter(question=question).count() == 2
    history = client.get(
        reverse("wagtailsnippets_assessments_question:revisions", args=[question.pk])
    )
    assert "Nội dung phải công khai" in history.content.decode()


def test_question_form_checks_the_type_rules(trainer, as_user, bank, categories):
    client = as_user(trainer)
    response = client.post(
        reverse(ADD),
        question_post(bank, categories[0], qtype="truefalse", **{"choices-TOTAL_FORMS": "1"}),
    )
    assert response.status_code == 200
    assert str(TRUEFALSE_NEEDS_TWO) in response.content.decode()


def test_learner_preview_hides_the_answer_key_and_answer_preview_shows_it(
    trainer, as_user, bank, categories
):
    client = as_user(trainer)
    url = reverse("wagtailsnippets_assessments_question:preview_on_add")
    data = question_post(bank, categories[0], explanation="GIẢI-THÍCH-ẨN")
    assert client.post(url, data).json()["is_valid"]
    learner_view = client.get(url).content.decode()
    assert (
        "Dự toán ngân sách xã" in learner_view
        and "GIẢI-THÍCH-ẨN" not in learner_view
        and "100%" not in learner_view
    )
    answers_view = client.get(url, {"mode": "answers"}).content.decode()
    assert "GIẢI-THÍCH-ẨN" in answers_view and "100%" in answers_view


def test_question_list_query_count_does_not_grow(
    trainer, as_user, bank, categories, questions, django_assert_max_num_queries
):
    client = as_user(trainer)
    with django_assert_max_num_queries(40):
        assert client.get(reverse(LIST)).status_code == 200


def test_question_list_links_to_revision_history(trainer, as_user, questions):
    html = as_user(trainer).get(reverse(LIST)).content.decode()
    assert (
        reverse("wagtailsnippets_assessments_question:revisions", args=[questions["single"].pk])
        in html
    )


def test_revision_history_is_for_authors_only(tree, as_user, questions):
    url = reverse("wagtailsnippets_assessments_question:revisions", args=[questions["single"].pk])
    manager = staff_user(role=ROLE.MANAGER, unit=tree.commune_a, username="ql2")
    assert as_user(manager).get(url).status_code in (302, 403)


def test_saving_a_quiz_that_cannot_be_drawn_warns_the_author(trainer, as_user, bank, categories):
    from assessments.models import Quiz

    client = as_user(trainer)
    data = {
        "title": "Đề thử",
        "bank": bank.pk,
        "intro": "",
        "shuffle_questions": "on",
        "shuffle_choices": "on",
        "time_limit": "900",
        "open_at": "",
        "close_at": "",
        "attempts_allowed": "1",
        "pass_percent": "50",
        "grading_method": "highest",
        "review_score": "immediately",
        "review_answers": "never",
        "review_explanations": "never",
        "slots-TOTAL_FORMS": "1",
        "slots-INITIAL_FORMS": "0",
        "slots-MIN_NUM_FORMS": "0",
        "slots-MAX_NUM_FORMS": "1000",
        "slots-0-kind": "random",
        "slots-0-question": "",
        "slots-0-category": categories[0].pk,
        "slots-0-count": "5",
        "slots-0-include_subcategories": "on",
        "slots-0-spread": "",
        "slots-0-mark": "",
        "slots-0-ORDER": "1",
    }
    response = client.post(reverse("wagtailsnippets_assessments_quiz:add"), data, follow=True)
    assert Quiz.objects.filter(title="Đề thử").exists(), response.content.decode()[:500]
    assert "chỉ có 0 câu đã duyệt" in response.content.decode()
