"""How a lesson names and links a legal provision: "Điều 11 khoản 2 Luật số 10/2022/QH15"."""

from __future__ import annotations

from collections.abc import Callable

from django.utils.translation import gettext as _

from lms.core.text import fold

LegalResolver = Callable[..., "str | None"]
_resolver: LegalResolver | None = None


def document_kind(law: str) -> str:
    """The kind of document from its number: …/QHxx is a law, …/NĐ-CP a decree, …/TT-… a circular."""
    upper = (law or "").upper()
    if "/QH" in upper:
        return _("Luật")
    if "NĐ-CP" in upper or "ND-CP" in upper:
        return _("Nghị định")
    if "/TT-" in upper:
        return _("Thông tư")
    if "/NQ-" in upper:
        return _("Nghị quyết")
    return _("Văn bản")


def citation_label(*, law: str, article: int | None, clause: int | None = None, point=None) -> str:
    """ "Điều 11 khoản 2 điểm a Luật số 10/2022/QH15"."""
    parts: list[str] = []
    if article:
        parts.append(_("Điều %(article)s") % {"article": article})
    if clause:
        parts.append(_("khoản %(clause)s") % {"clause": clause})
    if point:
        parts.append(_("điểm %(point)s") % {"point": point})
    parts.append(_("%(kind)s số %(law)s") % {"kind": document_kind(law), "law": law})
    return " ".join(parts)


def citation_anchor(*, law: str, article: int | None, clause: int | None = None, point=None) -> str:
    """A stable fragment id for the citation: "dieu-11-khoan-2" (with "-diem-a" when a point is cited)."""
    anchor = f"dieu-{article}"
    if clause:
        anchor += f"-khoan-{clause}"
    if point:
        # Same scheme as the legal library: "đ" is its own letter, so it becomes "dd", not "d".
        letter = str(point).strip().lower()
        anchor += "-diem-" + ("dd" if letter == "đ" else fold(letter))
    return anchor


def legal_library_url(*, law: str, article: int | None, clause: int | None = None, point=None):
    """URL of the provision in the legal document library, or None while no library is registered.

    The library lives in `cms`, which `courses` must not import; when it exists it calls
    `legal_library_register(resolver)` (e.g. from its AppConfig.ready) with a function taking the
    same keyword arguments and returning a URL or None.
    """
    if _resolver is None:
        return None
    return _resolver(law=law, article=article, clause=clause, point=point)


def legal_library_register(resolver: LegalResolver | None) -> None:
    """Install (or, with None, remove) the resolver that turns a citation into a library URL."""
    global _resolver
    _resolver = resolver
