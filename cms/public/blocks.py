"""StreamField blocks of news articles. Legal citations reuse the lesson block, so a citation in
an article resolves to the same anchor of the legal library as a citation in a lesson."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from wagtail import blocks

from courses.blocks import (
    CaptionedImageBlock,
    DocumentDownloadBlock,
    HeadingBlock,
    LegalCitationBlock,
    ParagraphBlock,
)


class QuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock(label=_("Lời trích"))
    source = blocks.CharBlock(label=_("Người nói / nguồn"), required=False, max_length=200)

    class Meta:
        icon = "openquote"
        label = _("Trích lời")
        template = "public/blocks/quote_block.html"


class NewsStreamBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = ParagraphBlock()
    image = CaptionedImageBlock()
    quote = QuoteBlock()
    citation = LegalCitationBlock()
    document = DocumentDownloadBlock()


class CitationsBlock(blocks.StreamBlock):
    citation = LegalCitationBlock()
