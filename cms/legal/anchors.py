"""Stable, ASCII fragment ids for provisions of a legal document.

Scheme (documented in docs: keep it stable, citations and bookmarks depend on it):

- chapter ``Chương II``                    -> ``chuong-ii``
- section ``Mục 1`` of Chương II            -> ``chuong-ii-muc-1`` (``muc-1`` when there is no chapter;
  section numbers restart in every chapter, so the chapter is part of the id)
- sub-section ``Tiểu mục 2`` of that section -> ``chuong-ii-muc-1-tieu-muc-2``
- article ``Điều 11``                       -> ``dieu-11`` (``Điều 11a`` -> ``dieu-11a``)
- clause ``khoản 2`` of Điều 11             -> ``dieu-11-khoan-2``
- point ``điểm a`` of that clause           -> ``dieu-11-khoan-2-diem-a``
- point ``điểm đ``                          -> ``dieu-11-khoan-2-diem-dd`` (``đ`` is a letter of its own,
  folding it to ``d`` would collide with ``điểm d``)
- a point placed directly under an article  -> ``dieu-11-diem-a``
"""

from __future__ import annotations

import re

from lms.core.text import fold

_NOT_ALNUM = re.compile(r"[^a-z0-9]+")


def label_slug(label: str) -> str:
    """ASCII slug of a provision number: "II" -> "ii", "11a" -> "11a", "đ" -> "dd"."""
    text = (label or "").strip().lower().replace("đ", "dd")
    return _NOT_ALNUM.sub("-", fold(text)).strip("-")


def chapter_anchor(number: str) -> str:
    return f"chuong-{label_slug(number)}"


def section_anchor(number: str, *, chapter: str | None = None) -> str:
    base = f"muc-{label_slug(number)}"
    return f"{chapter}-{base}" if chapter else base


def subsection_anchor(number: str, *, section: str) -> str:
    return f"{section}-tieu-muc-{label_slug(number)}"


def article_anchor(number: str | int) -> str:
    return f"dieu-{label_slug(str(number))}"


def clause_anchor(number: str | int, *, article: str) -> str:
    return f"{article}-khoan-{label_slug(str(number))}"


def point_anchor(label: str, *, parent: str) -> str:
    return f"{parent}-diem-{label_slug(label)}"


def citation_anchor(*, article, clause=None, point=None) -> str:
    """The anchor a citation "Điều 11 khoản 2 điểm đ" points at."""
    anchor = article_anchor(article)
    if clause:
        anchor = clause_anchor(clause, article=anchor)
    if point:
        anchor = point_anchor(str(point), parent=anchor)
    return anchor
