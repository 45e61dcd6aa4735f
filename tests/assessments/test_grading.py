"""Grading of every question type, through a real attempt so option ids are the frozen ones."""

from decimal import Decimal

import pytest

from assessments.grading import Option, answer_clean, grade
from assessments.models import AttemptChoice, AttemptQuestion


def frozen(attempt, qtype):
    aq = AttemptQuestion.objects.get(attempt=attempt, snapshot__qtype=qtype)
    options = [
        Option(id=o.id, source_id=o.source_id, is_prompt=o.is_prompt, position=o.position)
        for o in AttemptChoice.objects.filter(attempt_question=aq)
    ]
    return aq, options


def by_text(aq, options, text, *, prompt=False):
    """The frozen option id showing ``text`` (a choice, a matching answer, or with prompt=True a prompt)."""
    for o in options:
        if o.is_prompt != prompt:
            continue
        for c in aq.snapshot["choices"] + aq.snapshot["pairs"]:
            shown = c.get("prompt") if prompt else c.get("text", c.get("answer"))
            if c["id"] == o.source_id and shown == text:
                return o.id
    raise AssertionError(text)


@pytest.fixture
def attempt(quiz, start):
    return start(quiz)


def test_single_choice_scores_the_chosen_fraction_and_never_below_zero(attempt):
    aq, opts = frozen(attempt, "single")
    assert grade(aq.snapshot, opts, by_text(aq, opts, "Đúng là A")) == 1
    assert grade(aq.snapshot, opts, by_text(aq, opts, "Sai C")) == 0  # -50% floored at 0
    assert grade(aq.snapshot, opts, None) == 0


def test_multiple_response_gives_partial_credit_and_floors_negative_totals_at_zero(attempt):
    aq, opts = frozen(attempt, "multiple")
    one, two, bad3 = (by_text(aq, opts, t) for t in ("Đúng 1", "Đúng 2", "Sai 3"))
    assert grade(aq.snapshot, opts, [one, two]) == 1
    assert grade(aq.snapshot, opts, [one]) == Decimal("0.5")
    assert grade(aq.snapshot, opts, [one, bad3]) == 0
    assert grade(aq.snapshot, opts, [one, two, by_text(aq, opts, "Sai 4")]) == Decimal("0.5")


def test_true_false(attempt):
    aq, opts = frozen(attempt, "truefalse")
    assert grade(aq.snapshot, opts, by_text(aq, opts, "Đúng")) == 1
    assert grade(aq.snapshot, opts, by_text(aq, opts, "Sai")) == 0


def test_short_answer_ignores_case_and_optionally_accents_and_supports_wildcards(attempt):
    aq, opts = frozen(attempt, "shortanswer")
    assert grade(aq.snapshot, opts, "HỘI NGHỊ THÔN") == 1
    assert (
        grade(aq.snapshot, opts, "  hoi   nghi thon ") == 1
    )  # ignore_accents is on for this question
    assert grade(aq.snapshot, opts, "Hội nghị cử tri") == Decimal("0.5")  # "hội nghị*"
    assert grade(aq.snapshot, opts, "Họp tổ") == 0


def test_short_answer_with_accents_required(attempt):
    aq, opts = frozen(attempt, "shortanswer")
    snapshot = {**aq.snapshot, "ignore_accents": False}
    assert grade(snapshot, opts, "hội nghị thôn") == 1
    assert grade(snapshot, opts, "hoi nghi thon") == 0


def test_short_answer_case_sensitive(attempt):
    aq, opts = frozen(attempt, "shortanswer")
    snapshot = {**aq.snapshot, "case_sensitive": True, "ignore_accents": False}
    assert grade(snapshot, opts, "Hội nghị thôn") == 1
    assert grade(snapshot, opts, "HỘI NGHỊ THÔN") == 0


def test_numerical_with_tolerance_and_decimal_comma(attempt):
    aq, opts = frozen(attempt, "numerical")
    assert grade(aq.snapshot, opts, "51,5") == 1  # 50 ± 2
    assert grade(aq.snapshot, opts, "48") == 1
    assert grade(aq.snapshot, opts, "40") == Decimal("0.5")
    assert grade(aq.snapshot, opts, "45") == 0
    assert grade(aq.snapshot, opts, "năm mươi") == 0


def test_matching_gives_credit_per_correct_pair(attempt):
    aq, opts = frozen(attempt, "matching")
    prompts = {o.id: o for o in opts if o.is_prompt}
    assert len(prompts) == 3  # the distractor is an answer option, not a prompt
    answers = {
        "Nhân dân biết": by_text(aq, opts, "Công khai"),
        "Nhân dân bàn": by_text(aq, opts, "Thảo luận"),
        "Nhân dân kiểm tra": by_text(aq, opts, "Giám sát"),
    }
    full = {str(by_text(aq, opts, p, prompt=True)): a for p, a in answers.items()}
    assert grade(aq.snapshot, opts, full) == 1
    wrong_one = dict(full)
    wrong_one[str(by_text(aq, opts, "Nhân dân bàn", prompt=True))] = by_text(aq, opts, "Gây nhiễu")
    assert grade(aq.snapshot, opts, wrong_one).quantize(Decimal("0.01")) == Decimal("0.67")


def test_ordering_is_graded_per_position(attempt):
    aq, opts = frozen(attempt, "ordering")
    right = [by_text(aq, opts, f"Bước {i}") for i in (1, 2, 3, 4)]
    assert grade(aq.snapshot, opts, right) == 1
    swapped = [right[1], right[0], right[2], right[3]]
    assert grade(aq.snapshot, opts, swapped) == Decimal("0.5")
    # the order shown to the learner never is the answer
    shown = [o.id for o in sorted((o for o in opts), key=lambda o: o.position)]
    assert shown != right


def test_answers_outside_the_attempts_options_are_rejected(attempt):
    aq, opts = frozen(attempt, "single")
    with pytest.raises(ValueError):
        answer_clean("single", 999999, opts)
    with pytest.raises(ValueError):
        answer_clean("multiple", [True], opts)
    aq, opts = frozen(attempt, "ordering")
    with pytest.raises(ValueError):
        answer_clean("ordering", [o.id for o in opts][:2], opts)
