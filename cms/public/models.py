"""The citizens' side of the public site: news (tin tức), questions and answers on the law (hỏi –
đáp pháp luật), downloadable materials (tài liệu) and the site-wide search index."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page

from .blocks import CitationsBlock, NewsStreamBlock

ANSWER_FEATURES = ["bold", "italic", "ol", "ul", "link", "document-link"]

MSG_MATERIAL_FILE = _("Hãy chọn tệp tài liệu (PDF) cho tờ gấp, tờ rơi.")
MSG_MATERIAL_AUDIO = _("Hãy chọn tệp âm thanh ({formats}).")
MSG_MATERIAL_VIDEO = _("Hãy chọn tệp video (mp4) hoặc nhập địa chỉ video YouTube (chỉ một).")
MSG_MATERIAL_FORMAT = _("Tệp “{name}” không phải định dạng {formats}.")
MSG_VIDEO_URL = _("Chỉ nhận địa chỉ video YouTube (youtube.com/watch?v=… hoặc youtu.be/…).")

_YOUTUBE = re.compile(
    r"^https://(?:www\.|m\.)?(?:youtube\.com/(?:watch\?v=|embed/|shorts/)|youtu\.be/)"
    r"([A-Za-z0-9_-]{11})(?:[&?#].*)?$"
)


def youtube_id(url: str) -> str | None:
    match = _YOUTUBE.match((url or "").strip())
    return match.group(1) if match else None


# --- Taxonomies (snippets) -------------------------------------------------------------------


class NewsCategory(models.Model):
    name = models.CharField(_("tên chuyên mục"), max_length=100, unique=True)
    slug = models.SlugField(_("đường dẫn"), max_length=100, unique=True, allow_unicode=False)
    sort_order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("chuyên mục tin")
        verbose_name_plural = _("chuyên mục tin")

    def __str__(self) -> str:
        return self.name


class QATopic(models.Model):
    name = models.CharField(_("tên chủ đề"), max_length=100, unique=True)
    slug = models.SlugField(_("đường dẫn"), max_length=100, unique=True, allow_unicode=False)
    sort_order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("chủ đề hỏi – đáp")
        verbose_name_plural = _("chủ đề hỏi – đáp")

    def __str__(self) -> str:
        return self.name


# --- News ------------------------------------------------------------------------------------


class NewsIndexPage(RoutablePageMixin, Page):
    """Tin tức: the list of articles (by category or tag, paginated) and its RSS/Atom feeds."""

    intro = models.TextField(_("giới thiệu"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["public.NewsPage"]
    max_count = 1
    template = "public/news_index_page.html"

    class Meta:
        verbose_name = _("chuyên trang tin tức")
        verbose_name_plural = _("chuyên trang tin tức")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        url = self.get_url(request) or ""
        context["rss_url"] = url + self.reverse_subpage("rss")
        context["atom_url"] = url + self.reverse_subpage("atom")
        return context

    @path("")
    def listing(self, request):
        from .selectors import news_listing

        return self.render(request, context_overrides=news_listing(index=self, params=request.GET))

    @path("rss/", name="rss")
    def rss(self, request):
        from .feeds import NewsRssFeed

        return NewsRssFeed(index=self)(request)

    @path("atom/", name="atom")
    def atom(self, request):
        from .feeds import NewsAtomFeed

        return NewsAtomFeed(index=self)(request)


class NewsPageTag(TaggedItemBase):
    content_object = ParentalKey(
        "public.NewsPage", on_delete=models.CASCADE, related_name="tagged_items"
    )


class NewsPage(Page):
    date = models.DateField(_("ngày đăng"), default=timezone.localdate)
    summary = models.TextField(
        _("tóm tắt"), max_length=400, help_text=_("Hai, ba câu; hiện ở danh sách tin và trang chủ.")
    )
    image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("ảnh đại diện"),
    )
    category = models.ForeignKey(
        NewsCategory,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="news",
        verbose_name=_("chuyên mục"),
    )
    tags = ClusterTaggableManager(through=NewsPageTag, blank=True, verbose_name=_("thẻ"))
    body = StreamField(NewsStreamBlock(), verbose_name=_("nội dung"))

    content_panels = [
        *Page.content_panels,
        FieldRowPanel([FieldPanel("date"), FieldPanel("category")]),
        FieldPanel("summary"),
        FieldPanel("image"),
        FieldPanel("body"),
        FieldPanel("tags"),
    ]
    parent_page_types = ["public.NewsIndexPage"]
    subpage_types: list[str] = []
    template = "public/news_page.html"

    class Meta:
        verbose_name = _("tin bài")
        verbose_name_plural = _("tin bài")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["index"] = self.get_parent()
        context["tag_list"] = list(self.tags.all())
        return context


# --- Questions and answers -------------------------------------------------------------------


class QAIndexPage(Page):
    """Hỏi – đáp pháp luật: answered questions by topic, and the form to ask a new one."""

    intro = models.TextField(_("giới thiệu"), blank=True)
    accepts_questions = models.BooleanField(
        _("nhận câu hỏi của người dân"),
        default=True,
        help_text=_("Câu hỏi gửi đến chỉ được trả lời công khai sau khi cán bộ xem xét."),
    )

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("accepts_questions")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["public.QAPage"]
    max_count = 1
    template = "public/qa_index_page.html"

    class Meta:
        verbose_name = _("chuyên trang hỏi – đáp pháp luật")
        verbose_name_plural = _("chuyên trang hỏi – đáp pháp luật")

    def serve(self, request, *args, **kwargs):
        from .views import qa_index_serve

        return qa_index_serve(self, request, *args, **kwargs)


class QAPage(Page):
    question = models.TextField(_("câu hỏi"))
    asker = models.CharField(
        _("người hỏi"),
        max_length=200,
        blank=True,
        help_text=_("Ví dụ: Bà Nguyễn Thị B, ấp 2, xã Bắc Tân Uyên. Để trống nếu không công khai."),
    )
    topic = models.ForeignKey(
        QATopic,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="questions",
        verbose_name=_("chủ đề"),
    )
    answer = RichTextField(_("trả lời"), features=ANSWER_FEATURES)
    citations = StreamField(
        CitationsBlock(), blank=True, verbose_name=_("điều khoản được dẫn chiếu")
    )
    answered_on = models.DateField(_("ngày trả lời"), default=timezone.localdate)

    content_panels = [
        *Page.content_panels,
        FieldRowPanel([FieldPanel("topic"), FieldPanel("answered_on")]),
        FieldPanel("question"),
        FieldPanel("asker"),
        FieldPanel("answer"),
        FieldPanel("citations"),
    ]
    parent_page_types = ["public.QAIndexPage"]
    subpage_types: list[str] = []
    template = "public/qa_page.html"

    class Meta:
        verbose_name = _("câu hỏi – trả lời")
        verbose_name_plural = _("câu hỏi – trả lời")


class SubmittedQuestion(models.Model):
    """A citizen's question, kept private until an editor answers it with a QAPage."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Chờ xem xét")
        ANSWERED = "answered", _("Đã trả lời")
        REJECTED = "rejected", _("Không trả lời")

    index = models.ForeignKey(
        QAIndexPage, on_delete=models.CASCADE, related_name="submissions", verbose_name=_("gửi đến")
    )
    name = models.CharField(_("họ và tên"), max_length=120)
    locality = models.CharField(_("ấp, khu phố / xã, phường"), max_length=200)
    contact = models.CharField(
        _("số điện thoại hoặc email (không công khai)"), max_length=254, blank=True
    )
    topic = models.ForeignKey(
        QATopic, null=True, blank=True, on_delete=models.SET_NULL, verbose_name=_("chủ đề")
    )
    body = models.TextField(_("câu hỏi"), max_length=3000)
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    answer_page = models.ForeignKey(
        QAPage,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("trang trả lời"),
    )
    note = models.TextField(_("ghi chú nội bộ"), blank=True)
    created_at = models.DateTimeField(_("gửi lúc"), auto_now_add=True)
    ip_hash = models.CharField(max_length=64, blank=True, editable=False)

    panels = [
        FieldPanel("name", read_only=True),
        FieldPanel("locality", read_only=True),
        FieldPanel("contact", read_only=True),
        FieldPanel("body", read_only=True),
        FieldPanel("topic"),
        FieldPanel("status"),
        FieldPanel("answer_page"),
        FieldPanel("note"),
    ]

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("câu hỏi của người dân")
        verbose_name_plural = _("câu hỏi của người dân")

    def __str__(self) -> str:
        return f"{self.name}: {self.body[:60]}"


# --- Materials -------------------------------------------------------------------------------


class MaterialKind(models.TextChoices):
    LEAFLET = "to-roi", _("Tờ gấp, tờ rơi")
    AUDIO = "am-thanh", _("Âm thanh cho loa truyền thanh")
    VIDEO = "video", _("Video")


# Formats each kind accepts; the site-wide document upload limits are in cms.public.uploads.
KIND_FORMATS = {
    MaterialKind.LEAFLET: ("pdf",),
    MaterialKind.AUDIO: ("mp3", "m4a", "ogg", "wav"),
    MaterialKind.VIDEO: ("mp4",),
}
AUDIO_MIME = {"mp3": "audio/mpeg", "m4a": "audio/mp4", "ogg": "audio/ogg", "wav": "audio/wav"}


class MaterialsIndexPage(Page):
    intro = models.TextField(_("giới thiệu"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["cms.HomePage"]
    subpage_types = ["public.MaterialPage"]
    max_count = 1
    template = "public/materials_index_page.html"

    class Meta:
        verbose_name = _("chuyên trang tài liệu")
        verbose_name_plural = _("chuyên trang tài liệu")

    def get_context(self, request, *args, **kwargs):
        from .selectors import materials_listing

        context = super().get_context(request, *args, **kwargs)
        context.update(materials_listing(index=self, params=request.GET))
        return context


class MaterialPage(Page):
    kind = models.CharField(_("loại tài liệu"), max_length=10, choices=MaterialKind.choices)
    date = models.DateField(_("ngày đăng"), default=timezone.localdate)
    summary = models.TextField(_("mô tả ngắn"), max_length=400)
    document = models.ForeignKey(
        "wagtaildocs.Document",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("tệp"),
        help_text=_("Tờ rơi: PDF. Âm thanh: mp3, m4a, ogg, wav. Video: mp4."),
    )
    video_url = models.URLField(
        _("hoặc địa chỉ video YouTube"),
        blank=True,
        help_text=_("Chỉ dùng cho video, khi không tải tệp lên."),
    )
    transcript = models.TextField(
        _("nội dung đọc / lời thoại"),
        blank=True,
        help_text=_("Toàn văn để phát trên loa và cho người không nghe được, mạng chậm."),
    )
    cover = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("ảnh bìa"),
    )

    content_panels = [
        *Page.content_panels,
        FieldRowPanel([FieldPanel("kind"), FieldPanel("date")]),
        FieldPanel("summary"),
        MultiFieldPanel(
            [FieldPanel("document"), FieldPanel("video_url")], heading=_("Tệp tài liệu")
        ),
        FieldPanel("transcript"),
        FieldPanel("cover"),
    ]
    parent_page_types = ["public.MaterialsIndexPage"]
    subpage_types: list[str] = []
    template = "public/material_page.html"

    class Meta:
        verbose_name = _("tài liệu")
        verbose_name_plural = _("tài liệu")

    def clean(self):
        super().clean()
        formats = KIND_FORMATS.get(self.kind, ())
        listed = ", ".join(formats)
        if self.video_url and (self.kind != MaterialKind.VIDEO or not youtube_id(self.video_url)):
            raise ValidationError({"video_url": MSG_VIDEO_URL})
        if self.kind == MaterialKind.VIDEO:
            if bool(self.document_id) == bool(self.video_url):
                raise ValidationError({"document": MSG_MATERIAL_VIDEO})
        elif not self.document_id:
            message = MSG_MATERIAL_FILE if self.kind == MaterialKind.LEAFLET else MSG_MATERIAL_AUDIO
            raise ValidationError({"document": str(message).format(formats=listed)})
        if self.document_id and self.document.file_extension.lower() not in formats:
            raise ValidationError(
                {
                    "document": str(MSG_MATERIAL_FORMAT).format(
                        name=self.document.title, formats=listed
                    )
                }
            )

    @property
    def file_format(self) -> str:
        return self.document.file_extension.upper() if self.document_id else ""

    @property
    def audio_mime(self) -> str:
        return AUDIO_MIME.get(self.document.file_extension.lower(), "") if self.document_id else ""

    @property
    def youtube_embed_url(self) -> str:
        video = youtube_id(self.video_url)
        return f"https://www.youtube-nocookie.com/embed/{video}" if video else ""


# --- Site-wide search ------------------------------------------------------------------------


class SearchKind(models.TextChoices):
    NEWS = "news", _("Tin tức")
    QA = "qa", _("Hỏi – đáp")
    MATERIAL = "material", _("Tài liệu")
    COURSE = "course", _("Khóa học")
    CONSULTATION = "consultation", _("Lấy ý kiến")
    LEGAL = "legal", _("Văn bản pháp luật")


class SearchEntry(models.Model):
    """One public page in the site search, with its text folded (no accents, lower case) so the
    same `LIKE` match works on SQLite and PostgreSQL. Kept in step by publish signals."""

    page = models.OneToOneField(
        Page, on_delete=models.CASCADE, related_name="public_search_entry", primary_key=True
    )
    kind = models.CharField(max_length=16, choices=SearchKind.choices)
    title = models.CharField(max_length=255)
    summary = models.TextField(blank=True)
    date = models.DateField(null=True, blank=True)
    folded_title = models.TextField()
    folded = models.TextField()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("mục tìm kiếm")
        verbose_name_plural = _("mục tìm kiếm")

    def __str__(self) -> str:
        return self.title
