"""The demo GIFT banks shipped in assessments/demo_content import cleanly and idempotently."""

from __future__ import annotations

from pathlib import Path

import pytest

from assessments import formats, importing
from assessments.models import QuestionBank

DEMO_DIR = Path(__file__).resolve().parents[2] / "assessments" / "demo_content"
DEMO_FILES = sorted(DEMO_DIR.glob("*.gift"))


def test_there_are_demo_banks():
    assert DEMO_FILES


@pytest.mark.parametrize("path", DEMO_FILES, ids=lambda p: p.name)
def test_demo_bank_parses_without_errors_and_cites_the_law(path):
    result = formats.parse_gift(path.read_bytes())
    assert [str(e) for e in result.errors] == []
    assert [str(u) for u in result.unsupported] == []
    assert result.questions
    for question in result.questions:
        assert question.legal_tags, question.name
        assert question.explanation, question.name
        assert question.difficulty in ("easy", "medium", "hard"), question.name
        assert question.category_path, question.name


@pytest.mark.parametrize("path", DEMO_FILES, ids=lambda p: p.name)
def test_demo_bank_imports_once(path, db):
    bank = QuestionBank.objects.create(name=path.stem, slug=path.stem[:100])
    first = importing.file_import(bank=bank, data=path.read_bytes(), fmt="gift")
    again = importing.file_import(bank=bank, data=path.read_bytes(), fmt="gift")
    assert first.created == bank.questions.count() > 0
    assert (again.created, again.updated, again.unchanged) == (0, 0, first.created)


def test_demo_banks_survive_a_moodle_xml_round_trip(db):
    source = QuestionBank.objects.create(name="Nguồn", slug="nguon")
    copy = QuestionBank.objects.create(name="Bản sao", slug="ban-sao")
    for path in DEMO_FILES:
        importing.file_import(bank=source, data=path.read_bytes(), fmt="gift")
    data = importing.bank_export(bank=source, fmt="moodle-xml")
    importing.file_import(bank=copy, data=data, fmt="moodle-xml")

    def snapshot(bank):
        return [
            importing.content_key(q) + (q.category_path,)
            for q in importing.bank_questions_parsed(bank=bank)
        ]

    assert snapshot(copy) == snapshot(source)
