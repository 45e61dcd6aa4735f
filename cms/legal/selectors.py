"""Reads of the legal library: citation resolution, search, the document tree."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field

from asgiref.local import Local
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db.models import QuerySet

from . import anchors
from .models import LegalDocumentPage, LegalLibraryPage, LegalProvision, ProvisionKind, code_key

PROVISION_MAP_CACHE_KEY = "legal:provision-map:v1"
PROVISION_MAP_TIMEOUT = 60 * 60 * 24
SEARCH_LIMIT = 50

# The map is kept per request here (and across requests in the shared cache), so a page with many
# citations costs at most one cache read.
_request_memo = Local()


def _reset_memo(**kwargs) -> None:
    with contextlib.suppress(AttributeError):
        del _request_memo.provision_map


request_started.connect(_reset_memo, dispatch_uid="legal_provision_map_reset_started")
request_finished.connect(_reset_memo, dispatch_uid="legal_provision_map_reset_finished")


def provision_map_invalidate() -> None:
    """Forget the citation map (after a publish, unpublish, delete or import)."""
    cache.delete(PROVISION_MAP_CACHE_KEY)
    _reset_memo()


def _provision_map_build() -> dict[str, tuple[str, frozenset[str]]]:
    documents = {
        page.pk: page
        for page in LegalDocumentPage.objects.live().only(
            "id", "url_path", "path", "code_key", "slug"
        )
    }
    anchors_by_doc: dict[int, set[str]] = {pk: set() for pk in documents}
    for document_id, anchor in LegalProvision.objects.filter(document_id__in=documents).values_list(
        "document_id", "anchor"
    ):
        anchors_by_doc[document_id].add(anchor)
    result = {}
    for pk, page in documents.items():
        url = page.get_url()
        if url:
            result[page.code_key] = (url, frozenset(anchors_by_doc[pk]))
    return result


def provision_map() -> dict[str, tuple[str, frozenset[str]]]:
    """{code key: (document URL, anchors)} for every live document."""
    memo = getattr(_request_memo, "provision_map", None)
    if memo is not None:
        return memo
    value = cache.get(PROVISION_MAP_CACHE_KEY)
    if value is None:
        value = _provision_map_build()
        cache.set(PROVISION_MAP_CACHE_KEY, value, PROVISION_MAP_TIMEOUT)
    _request_memo.provision_map = value
    return value


def provision_url(*, law: str, article=None, clause=None, point=None) -> str | None:
    """URL of the cited provision ("10/2022/QH15", 11, 2, "a") in the library, or None.

    Falls back to the nearest existing provision (clause, then article, then the document) so a
    citation of a point the text does not letter still lands in the right place.
    """
    entry = provision_map().get(code_key(law or ""))
    if entry is None:
        return None
    url, known = entry
    candidates = []
    if article:
        if clause and point:
            candidates.append(anchors.citation_anchor(article=article, clause=clause, point=point))
        if clause:
            candidates.append(anchors.citation_anchor(article=article, clause=clause))
        if point and not clause:
            candidates.append(
                anchors.point_anchor(str(point), parent=anchors.article_anchor(article))
            )
        candidates.append(anchors.article_anchor(article))
    for anchor in candidates:
        if anchor in known:
            return f"{url}#{anchor}"
    return url


def documents_for_library(*, library: LegalLibraryPage) -> QuerySet[LegalDocumentPage]:
    return (
        LegalDocumentPage.objects.child_of(library)
        .live()
        .public()
        .order_by("document_type", "-issue_date", "title")
    )


def provisions_search(
    *, query: str, library: LegalLibraryPage | None = None
) -> list[LegalProvision]:
    """Provisions of live documents whose text contains every word of the query, accents ignored."""
    qs = LegalProvision.objects.live().matching(query)
    if library is not None:
        qs = qs.filter(document__path__startswith=library.path)
    return list(
        qs.select_related("document")
        .only(
            "id",
            "anchor",
            "citation",
            "title",
            "text",
            "kind",
            "number",
            "document__id",
            "document__title",
            "document__url_path",
            "document__path",
            "document__number",
            "document__slug",
        )  # fmt: skip
        .order_by("phrase_rank", "document__path", "sort_order")[:SEARCH_LIMIT]
    )


@dataclass
class ProvisionNode:
    provision: LegalProvision
    children: list[ProvisionNode] = field(default_factory=list)

    @property
    def kind(self) -> str:
        return self.provision.kind


_TOC_KINDS = {
    ProvisionKind.CHAPTER,
    ProvisionKind.SECTION,
    ProvisionKind.SUBSECTION,
    ProvisionKind.ARTICLE,
}


def provision_tree(
    *, document: LegalDocumentPage
) -> tuple[list[ProvisionNode], list[ProvisionNode]]:
    """(body tree, table-of-contents tree) of the document, from one query."""
    nodes: dict[int, ProvisionNode] = {}
    toc_nodes: dict[int, ProvisionNode] = {}
    roots: list[ProvisionNode] = []
    toc: list[ProvisionNode] = []
    for provision in document.provisions.order_by("sort_order"):
        node = ProvisionNode(provision)
        nodes[provision.pk] = node
        parent = nodes.get(provision.parent_id)
        (parent.children if parent else roots).append(node)
        if provision.kind in _TOC_KINDS:
            toc_node = ProvisionNode(provision)
            toc_nodes[provision.pk] = toc_node
            toc_parent = toc_nodes.get(provision.parent_id)
            (toc_parent.children if toc_parent else toc).append(toc_node)
    return roots, toc
