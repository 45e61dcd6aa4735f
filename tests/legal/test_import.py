"""Importing documents: the command, re-imports in place, the demo loader."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from cms.legal import services
from cms.legal.demo import load_demo_legal_documents
from cms.legal.models import LegalDocumentPage, LegalProvision
from cms.legal.parsing import parse_lines
from cms.legal.services import DocumentMetadata, ImportRefused, legal_document_import

from .conftest import LAW_FILE, SMALL_TEXT


def run(*args):
    out = StringIO()
    call_command("import_legal_document", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_full_law_imported_from_text_lands_with_every_article_anchored(library):
    output = run(str(LAW_FILE), "--library", "--number", "10/2022/QH15", "--type", "luat")
    law = LegalDocumentPage.objects.get(number="10/2022/QH15")
    assert law.live and law.get_parent().pk == library.pk
    articles = list(law.provisions.filter(kind="article").order_by("sort_order"))
    assert len(articles) == 91
    assert [a.anchor for a in articles] == [f"dieu-{n}" for n in range(1, 92)]
    assert law.provisions.filter(kind="chapter").count() == 6
    assert law.provisions.filter(kind="section").count() == 10
    assert law.provisions.get(anchor="dieu-11").parent.anchor == "chuong-ii-muc-1"
    assert law.provisions.get(anchor="dieu-11-khoan-1").text.startswith(
        "Kế hoạch phát triển kinh tế"
    )
    assert "91 điều" in output


def test_dry_run_reports_and_writes_nothing(library):
    output = run(str(LAW_FILE), "--dry-run")
    assert "91 điều" in output
    assert not LegalDocumentPage.objects.exists()


def test_file_with_warnings_is_refused_without_accept_warnings(library, tmp_path):
    path = tmp_path / "loi.txt"
    path.write_text("Căn cứ Hiến pháp;\nĐiều 1. A\n1. Một.\n3. Ba.\n", encoding="utf-8")
    with pytest.raises(CommandError) as excinfo:
        run(str(path), "--number", "1/2024/NĐ-CP")
    assert "tôi đã xem các cảnh báo" in str(excinfo.value)
    assert not LegalDocumentPage.objects.exists()
    run(str(path), "--number", "1/2024/NĐ-CP", "--accept-warnings")
    document = LegalDocumentPage.objects.get(number="1/2024/NĐ-CP")
    assert document.preamble == "Căn cứ Hiến pháp;"
    assert list(document.provisions.values_list("anchor", flat=True)) == [
        "dieu-1", "dieu-1-khoan-1", "dieu-1-khoan-3",
    ]  # fmt: skip


def test_hard_errors_write_nothing(library, tmp_path):
    no_article = tmp_path / "rong.txt"
    no_article.write_text("Chương I\nQUY ĐỊNH CHUNG\n", encoding="utf-8")
    wrong_type = tmp_path / "luat.pdf"
    wrong_type.write_bytes(b"%PDF-1.4")
    for path in (no_article, wrong_type):
        with pytest.raises(CommandError):
            run(str(path), "--number", "2/2024/NĐ-CP", "--accept-warnings")
    with pytest.raises(CommandError):
        run(str(tmp_path / "khong-co.txt"), "--number", "2/2024/NĐ-CP")
    assert not LegalDocumentPage.objects.exists()
    assert not LegalProvision.objects.exists()


def test_service_refuses_errors_even_when_warnings_are_accepted(library):
    parsed = parse_lines(["Chỉ có đoạn văn."])
    with pytest.raises(ImportRefused):
        legal_document_import(
            parsed=parsed, metadata=DocumentMetadata(number="3/2024/NĐ-CP"), accept_warnings=True
        )
    assert not LegalDocumentPage.objects.exists()


def test_reimport_updates_in_place_without_changing_anchors(import_text):
    document = import_text(SMALL_TEXT, title="Nghị định mẫu")
    before = dict(document.provisions.values_list("anchor", "pk"))
    corrected = SMALL_TEXT.replace("tập hợp những người", "tập hợp người").replace(
        "đ) Điểm có chữ đ.\n", "e) Điểm e mới.\n"
    )
    again = import_text(corrected)
    assert again.pk == document.pk
    assert LegalDocumentPage.objects.count() == 1
    after = dict(again.provisions.values_list("anchor", "pk"))
    for anchor in ("dieu-1", "dieu-2", "dieu-2-khoan-1", "dieu-2-khoan-2-diem-a"):
        assert after[anchor] == before[anchor]
    assert "dieu-2-khoan-2-diem-dd" not in after and "dieu-2-khoan-2-diem-e" in after
    assert again.provisions.get(anchor="dieu-2-khoan-1").text.endswith("tập hợp người cùng cư trú.")
    assert again.title == "Nghị định mẫu"  # blank metadata keeps what the page has


def test_search_key_and_citation_are_stored(small_decree):
    point = small_decree.provisions.get(anchor="dieu-2-khoan-2-diem-a")
    assert point.citation == "Điều 2 khoản 2 điểm a"
    assert " uy ban nhan dan cap xa cong nhan " in point.folded_text


def test_import_needs_a_library(db):
    with pytest.raises(ImportRefused) as excinfo:
        legal_document_import(
            parsed=parse_lines(["Điều 1. A"]), metadata=DocumentMetadata(number="4/2024/NĐ-CP")
        )
    assert excinfo.value.messages == [str(services.ERROR_NO_LIBRARY)]


def test_demo_loader_imports_three_documents_and_is_idempotent(home):
    out = StringIO()
    documents = load_demo_legal_documents(stdout=out)
    assert [d.number for d in documents] == ["10/2022/QH15", "59/2023/NĐ-CP", "61/2023/NĐ-CP"]
    counts = {d.number: d.provisions.filter(kind="article").count() for d in documents}
    assert counts == {"10/2022/QH15": 91, "59/2023/NĐ-CP": 31, "61/2023/NĐ-CP": 25}
    assert all(d.live for d in documents)
    assert "pháp điển" in documents[1].source_note
    revisions = [d.latest_revision_id for d in documents]
    total = LegalProvision.objects.count()
    load_demo_legal_documents(stdout=StringIO())
    assert LegalProvision.objects.count() == total
    assert [
        LegalDocumentPage.objects.get(pk=d.pk).latest_revision_id for d in documents
    ] == revisions
