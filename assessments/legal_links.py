"""Names and links of the legal provisions questions are tagged with ("Điều 5 Luật số 10/2022/QH15").

The legal document library lives in ``cms``, which ``assessments`` must not import. The library
registers its resolver here (``legal_library_register``, called from its AppConfig.ready), the same
way it does for ``courses``: a function taking ``law``, ``article``, ``clause`` and ``point`` keyword
arguments and returning the provision's URL (with its anchor) or None.
"""

from __future__ import annotations

from collections.abc import Callable

from django.utils.translation import gettext as _

LegalResolver = Callable[..., "str | None"]
_resolver: LegalResolver | None = None


def legal_library_register(resolver: LegalResolver | None) -> None:
    """Install (or, with None, remove) the resolver that turns a citation into a library URL."""
    global _resolver
    _resolver = resolver


def legal_library_url(*, law: str, article: int | None, clause: int | None = None, point=None):
    """URL of the provision in the legal library, or None (no library registered, or not found)."""
    if _resolver is None or not law:
        return None
    return _resolver(law=law, article=article, clause=clause, point=point)


def article_label(*, law: str, article: int) -> str:
    """ "Điều 5 – 10/2022/QH15"."""
    return _("Điều %(article)s – %(law)s") % {"article": article, "law": law}
