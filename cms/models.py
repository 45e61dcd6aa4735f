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
        from cms.legal.models import LegalLibraryPage

        # One query finds both section roots (plain Page rows are enough for their URLs).
        sections = {
            page.content_type_id: page
            for page in Page.objects.live()
            .public()
            .type(LegalLibraryPage, ConsultationIndexPage)
            .only("id", "title", "url_path", "content_type_id")
        }
        types = ContentType.objects.get_for_models(LegalLibraryPage, ConsultationIndexPage)
        context["library"] = sections.get(types[LegalLibraryPage].pk)
        context["consultations_index"] = sections.get(types[ConsultationIndexPage].pk)
        today = timezone.localdate()
        context["open_consultations"] = list(
            ConsultationPage.objects.live()
            .public()
            .filter(opens_on__lte=today, closes_on__gte=today)
            .only("id", "title", "url_path", "closes_on")
            .order_by("closes_on")[:3]
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
