"""Keep the site search index in step with publishing."""

from __future__ import annotations

from django.dispatch import receiver
from wagtail.signals import page_published, page_unpublished

from .search import INDEXED_TYPES, search_entry_remove, search_entry_update


@receiver(page_published, dispatch_uid="public_search_page_published")
def _page_published(sender, instance, **kwargs) -> None:
    if isinstance(instance, INDEXED_TYPES):
        search_entry_update(page=instance)


@receiver(page_unpublished, dispatch_uid="public_search_page_unpublished")
def _page_unpublished(sender, instance, **kwargs) -> None:
    if isinstance(instance, INDEXED_TYPES):
        search_entry_remove(page_id=instance.pk)
