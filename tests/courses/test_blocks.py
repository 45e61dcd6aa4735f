"""Lesson blocks: legal citations, knowledge-check validation, every block renders its preview."""

import pytest
from django.core.exceptions import ValidationError

from courses import legal
from courses.blocks import KnowledgeCheckBlock, LegalCitationBlock, LessonStreamBlock, VideoBlock


def test_citation_label_and_anchor():
    parts = {"law": "10/2022/QH15", "article": 11, "clause": 2}
    assert legal.citation_label(**parts) == "Điều 11 khoản 2 Luật số 10/2022/QH15"
    assert legal.citation_anchor(**parts) == "dieu-11-khoan-2"
    decree = {"law": "61/2023/NĐ-CP", "article": 5, "clause": 1, "point": "a"}
    assert legal.citation_label(**decree) == "Điều 5 khoản 1 điểm a Nghị định số 61/2023/NĐ-CP"
    assert legal.citation_anchor(**decree) == "dieu-5-khoan-1-diem-a"


def test_citation_links_only_when_a_legal_library_is_registered():
    block = LegalCitationBlock()
    value = block.to_python(
        {
            "law": "10/2022/QH15",
            "article": 3,
            "clause": None,
            "point": "",
            "article_title": "Nguyên tắc",
            "text": "",
        }
    )
    installed = legal._resolver  # the real library registers itself at start-up; put it back after
    legal.legal_library_register(None)
    try:
        html = block.render(value)
        assert "<a " not in html and "Điều 3 Luật số 10/2022/QH15" in html and 'id="dieu-3"' in html
        legal.legal_library_register(lambda **kw: f"/van-ban/{kw['article']}/")
        assert 'href="/van-ban/3/"' in block.render(value)
    finally:
        legal.legal_library_register(installed)


def _check(choices):
    block = KnowledgeCheckBlock()
    return block, block.to_python(
        {
            "question": "Câu hỏi?",
            "explanation": "Vì Điều 3.",
            "choices": [{"text": t, "correct": c} for t, c in choices],
        }
    )


def test_knowledge_check_needs_exactly_one_correct_choice():
    block, value = _check([("A", True), ("B", True)])
    with pytest.raises(ValidationError):
        block.clean(value)
    block, value = _check([("A", False), ("B", False)])
    with pytest.raises(ValidationError):
        block.clean(value)
    block, value = _check([("A", False), ("B", True)])
    assert block.clean(value)


def test_video_needs_exactly_one_source():
    block = VideoBlock()
    with pytest.raises(ValidationError):
        block.clean(
            block.to_python({"title": "Video", "file": None, "embed": None, "transcript": ""})
        )


@pytest.mark.django_db
def test_every_block_has_a_template_and_a_rendering_preview():
    stream = LessonStreamBlock()
    for name, block in stream.child_blocks.items():
        assert block.meta.template.startswith("courses/blocks/"), name
        assert block.meta.icon, name
        html = block.render(block.get_preview_value())
        if name in (
            "image",
            "document",
        ):  # these need a stored file; without one they render nothing
            continue
        assert html.strip(), name


@pytest.mark.django_db
def test_image_block_renders_phone_sized_lazy_renditions():
    import io

    from django.core.files.images import ImageFile
    from PIL import Image as PILImage
    from wagtail.images import get_image_model

    buffer = io.BytesIO()
    PILImage.new("RGB", (1600, 900), "#a3161a").save(buffer, "PNG")
    image = get_image_model().objects.create(
        title="Hội nghị thôn", file=ImageFile(buffer, name="hoi-nghi.png")
    )
    block = LessonStreamBlock().child_blocks["image"]
    value = block.to_python(
        {
            "image": {
                "image": image.pk,
                "alt_text": "Người dân họp ở nhà văn hóa thôn",
                "decorative": False,
            },
            "caption": "Hội nghị thôn",
        }
    )
    html = block.render(value)
    assert 'loading="lazy"' in html and "srcset=" in html
    assert "360w" in html and "720w" in html
    assert 'alt="Người dân họp ở nhà văn hóa thôn"' in html
    assert "<figcaption>Hội nghị thôn</figcaption>" in html
