"""Document uploads are limited by format and size; materials accept only their kind's formats."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from wagtail.documents.forms import get_document_form
from wagtail.documents.models import Document

from cms.public import uploads
from cms.public.models import MaterialKind, MaterialPage
from tests.site.conftest import add_document

pytestmark = pytest.mark.django_db


def form_for(name: str, data: bytes):
    form_class = get_document_form(Document)
    return form_class(
        data={"title": "Tờ gấp"},
        files={"file": SimpleUploadedFile(name, data)},
        user=None,
    )


def test_a_small_pdf_is_accepted():
    form = form_for("to-gap.pdf", b"%PDF-1.4 leaflet")
    form.is_valid()
    assert "file" not in form.errors


def test_too_large_files_are_refused_with_the_limit(monkeypatch):
    monkeypatch.setitem(uploads.MAX_BYTES, "pdf", 10)
    form = form_for("to-gap.pdf", b"%PDF-1.4 " + b"x" * 20)
    assert not form.is_valid()
    assert "Dung lượng tối đa" in form.errors["file"][0]


def test_a_renamed_file_is_refused():
    form = form_for("to-gap.pdf", b"MZ not a pdf")
    assert not form.is_valid()
    assert "không đúng định dạng" in form.errors["file"][0]


def test_other_formats_are_refused():
    form = form_for("virus.exe", b"MZ")
    assert not form.is_valid()


def test_material_needs_a_file_of_its_kind(public_site):
    wav = public_site.audio.document
    page = MaterialPage(
        title="Tờ gấp", slug="x", kind=MaterialKind.LEAFLET, summary=".", document=wav
    )
    with pytest.raises(ValidationError) as error:
        page.clean()
    assert "document" in error.value.message_dict
    video = MaterialPage(
        title="Video",
        slug="v",
        kind=MaterialKind.VIDEO,
        summary=".",
        video_url="https://example.com/v",
    )
    with pytest.raises(ValidationError):
        video.clean()
    ok = MaterialPage(
        title="Video", slug="v", kind=MaterialKind.VIDEO, summary=".",
        video_url="https://www.youtube.com/watch?v=abcdefghijk",
    )  # fmt: skip
    ok.clean()
    assert ok.youtube_embed_url == "https://www.youtube-nocookie.com/embed/abcdefghijk"
    mp4 = add_document("Phim", "phim.mp4", b"\x00\x00\x00\x18ftypmp42")
    both = MaterialPage(
        title="V",
        slug="w",
        kind=MaterialKind.VIDEO,
        summary=".",
        document=mp4,
        video_url=ok.video_url,
    )
    with pytest.raises(ValidationError):
        both.clean()
