from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page

from lms.org.api import TargetGroup


class HomePage(Page):
    """The public home page (trang chủ)."""

    intro = RichTextField(_("giới thiệu"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["wagtailcore.Page"]
    max_count = 1

    # The learner-facing course catalogue (served by the courses app).
    catalogue_url = "/hoc-tap/khoa-hoc/"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["catalogue_url"] = self.catalogue_url
        # Imported here: the public sections are separate apps that hang below this page.
        from cms.consultations.models import ConsultationIndexPage, ConsultationPage
        from cms.contests.selectors import running_rounds
        from cms.legal.models import LegalLibraryPage
        from cms.public.models import MaterialsIndexPage, NewsIndexPage, QAIndexPage
        from cms.public.selectors import news_latest
        from courses.api import CoursePage

        # Restricted sections are looked up once for every list below (`.public()` would look
        # them up again for each queryset).
        private = Page.objects.private_q()
        # One query finds every section root (plain Page rows are enough for their URLs).
        section_models = {
            "library": LegalLibraryPage,
            "consultations_index": ConsultationIndexPage,
            "news_index": NewsIndexPage,
            "qa_index": QAIndexPage,
            "materials_index": MaterialsIndexPage,
        }
        sections = {
            page.content_type_id: page
            for page in Page.objects.live()
            .exclude(private)
            .type(*section_models.values())
            .only("id", "title", "url_path", "content_type_id")
        }
        types = ContentType.objects.get_for_models(*section_models.values())
        for name, model in section_models.items():
            context[name] = sections.get(types[model].pk)
        today = timezone.localdate()
        context["open_consultations"] = list(
            ConsultationPage.objects.live()
            .exclude(private)
            .filter(opens_on__lte=today, closes_on__gte=today)
            .only("id", "title", "url_path", "closes_on")
            .order_by("closes_on")[:3]
        )
        context["latest_news"] = news_latest(limit=3, exclude=private)
        context["running_rounds"] = running_rounds(limit=3)
        # Featured: the newest courses open to citizens without an account (the rule of
        # courses.selectors.visible_courses for anonymous visitors).
        context["open_courses"] = list(
            CoursePage.objects.live()
            .exclude(private)
            .filter(audience=CoursePage.Audience.PUBLIC)
            .only("id", "title", "url_path", "summary", "year")
            .order_by("-year", "title")[:3]
        )
        context["target_groups"] = list(
            TargetGroup.objects.filter(is_active=True, requires_training=True).only(
                "name", "legal_basis", "sort_order"
            )
        )
        return context

    class Meta:
        verbose_name = _("trang chủ")
        verbose_name_plural = _("trang chủ")
