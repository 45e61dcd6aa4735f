"""StreamField blocks for lesson content. One shared base stream block: `LessonStreamBlock`."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageBlock

from .legal import citation_anchor, citation_label, legal_library_url

RICH_FEATURES = ["bold", "italic", "ol", "ul", "link", "document-link"]

ERROR_VIDEO_SOURCE = _("Chọn một tệp video đã tải lên hoặc nhập một địa chỉ video nhúng (chỉ một).")
ERROR_ONE_CORRECT = _("Câu hỏi phải có đúng một phương án đúng.")
ERROR_TWO_CHOICES = _("Câu hỏi cần ít nhất hai phương án.")


class HeadingBlock(blocks.CharBlock):
    class Meta:
        icon = "title"
        label = _("Tiêu đề mục")
        template = "courses/blocks/heading_block.html"
        preview_value = "Quyền của Nhân dân ở cấp xã"


class ParagraphBlock(blocks.RichTextBlock):
    def __init__(self, **kwargs):
        super().__init__(features=RICH_FEATURES, **kwargs)

    class Meta:
        icon = "pilcrow"
        label = _("Đoạn văn")
        template = "courses/blocks/paragraph_block.html"
        preview_value = (
            "<p>Nhân dân ở xã, phường, thị trấn được <strong>biết, bàn, quyết định, kiểm tra, "
            "giám sát</strong> các nội dung thực hiện dân chủ ở cơ sở theo quy định của Luật.</p>"
        )


class CaptionedImageBlock(blocks.StructBlock):
    image = ImageBlock(label=_("Ảnh"))
    caption = blocks.CharBlock(label=_("Chú thích"), required=False, max_length=300)

    class Meta:
        icon = "image"
        label = _("Ảnh có chú thích")
        template = "courses/blocks/image_block.html"


class VideoBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Tiêu đề video"), max_length=200)
    file = DocumentChooserBlock(label=_("Tệp video (mp4)"), required=False)
    embed = EmbedBlock(label=_("Hoặc địa chỉ video nhúng (YouTube…)"), required=False)
    transcript = blocks.TextBlock(
        label=_("Lời thoại / mô tả nội dung"),
        required=False,
        help_text=_("Cho người không nghe được hoặc mạng chậm không tải được video."),
    )

    def clean(self, value):
        value = super().clean(value)
        if bool(value.get("file")) == bool(value.get("embed")):
            raise StructBlockValidationError(
                block_errors={"file": ValidationError(ERROR_VIDEO_SOURCE)}
            )
        return value

    class Meta:
        icon = "media"
        label = _("Video")
        template = "courses/blocks/video_block.html"
        preview_value = {
            "title": "Hội nghị Nhân dân bàn và quyết định",
            "transcript": "Video minh họa cách tổ chức hội nghị thôn.",
        }


class AudioBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Tiêu đề bản tin"), max_length=200)
    file = DocumentChooserBlock(label=_("Tệp âm thanh (mp3, m4a, ogg)"))
    transcript = blocks.TextBlock(
        label=_("Nội dung đọc"),
        required=False,
        help_text=_("Văn bản để phát trên loa truyền thanh xã và cho người không nghe được."),
    )

    class Meta:
        icon = "media"
        label = _("Âm thanh (loa truyền thanh)")
        template = "courses/blocks/audio_block.html"
        preview_value = {
            "title": "Bản tin phổ biến Luật Thực hiện dân chủ ở cơ sở",
            "transcript": "Kính thưa bà con, Luật Thực hiện dân chủ ở cơ sở có hiệu lực từ ngày 01/7/2023…",
        }


class DocumentDownloadBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("Tài liệu"))
    title = blocks.CharBlock(label=_("Tên hiển thị"), required=False, max_length=200)
    description = blocks.CharBlock(label=_("Mô tả ngắn"), required=False, max_length=300)

    class Meta:
        icon = "doc-full"
        label = _("Tài liệu tải về")
        template = "courses/blocks/document_block.html"


class LegalCitationBlock(blocks.StructBlock):
    law = blocks.CharBlock(
        label=_("Số hiệu văn bản"), max_length=40, help_text=_("Ví dụ: 10/2022/QH15, 61/2023/NĐ-CP")
    )
    article = blocks.IntegerBlock(label=_("Điều"), min_value=1)
    clause = blocks.IntegerBlock(label=_("Khoản"), required=False, min_value=1)
    point = blocks.CharBlock(label=_("Điểm"), required=False, max_length=2)
    article_title = blocks.CharBlock(label=_("Tên điều"), required=False, max_length=300)
    text = blocks.TextBlock(label=_("Nội dung trích dẫn"), required=False)

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        parts = {
            "law": value.get("law"),
            "article": value.get("article"),
            "clause": value.get("clause"),
            "point": value.get("point"),
        }
        context["label"] = citation_label(**parts)
        context["anchor"] = citation_anchor(**parts)
        context["library_url"] = legal_library_url(**parts)
        return context

    class Meta:
        icon = "openquote"
        label = _("Trích dẫn điều luật")
        template = "courses/blocks/legal_citation_block.html"
        preview_value = {
            "law": "10/2022/QH15",
            "article": 11,
            "clause": 2,
            "article_title": "Những nội dung công khai",
            "text": "Chính quyền địa phương ở cấp xã công khai các nội dung theo quy định.",
        }


class KeyPointsBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Tiêu đề"), default="Ghi nhớ", max_length=120)
    items = blocks.ListBlock(blocks.CharBlock(label=_("Ý chính"), max_length=400), min_num=1)

    class Meta:
        icon = "list-ul"
        label = _("Ý chính cần nhớ")
        template = "courses/blocks/key_points_block.html"
        preview_value = {
            "title": "Ghi nhớ",
            "items": ["Nhân dân được biết, bàn, quyết định.", "Chính quyền xã phải công khai."],
        }


class CalloutBlock(blocks.StructBlock):
    style = blocks.ChoiceBlock(
        label=_("Loại"),
        choices=[("note", _("Lưu ý")), ("warning", _("Cảnh báo")), ("tip", _("Mẹo"))],
        default="note",
    )
    body = blocks.RichTextBlock(label=_("Nội dung"), features=RICH_FEATURES)

    class Meta:
        icon = "warning"
        label = _("Lưu ý / cảnh báo")
        template = "courses/blocks/callout_block.html"
        preview_value = {
            "style": "warning",
            "body": "<p>Không được lợi dụng dân chủ để vi phạm pháp luật.</p>",
        }


class SummaryBlock(blocks.RichTextBlock):
    def __init__(self, **kwargs):
        super().__init__(features=RICH_FEATURES, **kwargs)

    class Meta:
        icon = "list-ol"
        label = _("Tóm tắt bài")
        template = "courses/blocks/summary_block.html"
        preview_value = "<p>Bài học đã giới thiệu các nguyên tắc thực hiện dân chủ ở cơ sở.</p>"


class CheckChoiceBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("Phương án"), max_length=400)
    correct = blocks.BooleanBlock(label=_("Đúng"), required=False)

    class Meta:
        icon = "radio-full"
        label = _("Phương án")


class KnowledgeCheckBlock(blocks.StructBlock):
    """An ungraded question. The right answer stays on the server; the learner's choice is POSTed."""

    question = blocks.TextBlock(label=_("Câu hỏi"))
    choices = blocks.ListBlock(CheckChoiceBlock(), label=_("Phương án"), min_num=2)
    explanation = blocks.TextBlock(label=_("Giải thích"), help_text=_("Nên dẫn điều, khoản."))

    def clean(self, value):
        value = super().clean(value)
        choices = list(value.get("choices") or [])
        if len(choices) < 2:
            raise StructBlockValidationError(
                block_errors={"choices": ValidationError(ERROR_TWO_CHOICES)}
            )
        if sum(1 for choice in choices if choice.get("correct")) != 1:
            raise StructBlockValidationError(
                block_errors={"choices": ValidationError(ERROR_ONE_CORRECT)}
            )
        return value

    class Meta:
        icon = "help"
        label = _("Câu hỏi tự kiểm tra")
        template = "courses/blocks/knowledge_check_block.html"
        preview_value = {
            "question": "Ai có quyền bàn và quyết định các công việc của cộng đồng dân cư?",
            "choices": [
                {"text": "Chỉ Trưởng thôn", "correct": False},
                {"text": "Nhân dân ở thôn, tổ dân phố", "correct": True},
            ],
            "explanation": "Nhân dân bàn và quyết định theo Điều 15 Luật số 10/2022/QH15.",
        }


class LessonStreamBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = ParagraphBlock()
    image = CaptionedImageBlock()
    video = VideoBlock()
    audio = AudioBlock()
    document = DocumentDownloadBlock()
    citation = LegalCitationBlock()
    key_points = KeyPointsBlock()
    callout = CalloutBlock()
    summary = SummaryBlock()
    check = KnowledgeCheckBlock()

    class Meta:
        block_counts = {"summary": {"max_num": 1}}


def block_plain_text(block_type: str, value) -> str:
    """Plain text of one block for the accent-insensitive search index."""
    from django.utils.html import strip_tags

    if block_type in ("heading",):
        return str(value)
    if block_type in ("paragraph", "summary"):
        return strip_tags(value.source if hasattr(value, "source") else str(value))
    if block_type == "callout":
        return strip_tags(value["body"].source)
    if block_type == "key_points":
        return " ".join([value["title"], *[str(item) for item in value["items"]]])
    if block_type == "citation":
        return " ".join(str(value.get(key) or "") for key in ("law", "article_title", "text"))
    if block_type == "check":
        return str(value["question"])
    if block_type in ("video", "audio"):
        return " ".join(str(value.get(key) or "") for key in ("title", "transcript"))
    return ""
