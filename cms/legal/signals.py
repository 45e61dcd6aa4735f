"""Keep the citation map in step with what is published."""

from __future__ import annotations

from django.db.models.signals import post_delete
from django.dispatch import receiver
from wagtail.signals import page_published, page_unpublished

from .models import LegalDocumentPage
from .selectors import provision_map_invalidate


@receiver(page_published, sender=LegalDocumentPage, dispatch_uid="legal_published_invalidate")
@receiver(page_unpublished, sender=LegalDocumentPage, dispatch_uid="legal_unpublished_invalidate")
@receiver(post_delete, sender=LegalDocumentPage, dispatch_uid="legal_deleted_invalidate")
def _invalidate(sender, **kwargs) -> None:
    provision_map_invalidate()
