"""Read a legal text (plain text, Markdown or .docx) into chapters, sections, articles, clauses, points.

The parser never drops text: anything it cannot place is kept (in the preamble or the nearest
provision) and reported as a problem with its line number, in Vietnamese.
"""

from __future__ import annotations

import io
import re
import unicodedata
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import anchors

MAX_FILE_BYTES = 5 * 1024 * 1024
ALLOWED_EXTENSIONS = (".txt", ".md", ".docx")

# Hard errors: nothing is written.
ERROR_WRONG_TYPE = gettext_lazy("Chỉ nhận tệp .txt, .md hoặc .docx.")
ERROR_TOO_LARGE = gettext_lazy("Tệp quá lớn (tối đa 5 MB).")
ERROR_UNREADABLE = gettext_lazy("Không đọc được tệp: tệp hỏng hoặc không phải văn bản UTF-8.")
ERROR_NO_ARTICLE = gettext_lazy(
    "Không tìm thấy Điều nào (dòng dạng “Điều 1. Tên điều”), không thể nhập văn bản."
)

# Warnings: the text is kept, the user must confirm having read them.
WARN_TEXT_BEFORE_ARTICLE = gettext_lazy(
    "Dòng %(line)s: đoạn văn nằm trước Điều đầu tiên, không thuộc điều nào; đã giữ ở phần mở đầu."
)
WARN_TEXT_OUTSIDE_ARTICLE = gettext_lazy(
    "Dòng %(line)s: đoạn văn nằm giữa tiêu đề %(heading)s và Điều tiếp theo; đã gắn vào tiêu đề."
)
WARN_ARTICLE_DUPLICATE = gettext_lazy(
    "Dòng %(line)s: Điều %(number)s bị trùng (đã có ở dòng %(first)s)."
)
WARN_ARTICLE_SEQUENCE = gettext_lazy(
    "Dòng %(line)s: Điều %(number)s không liền sau Điều %(previous)s."
)
WARN_CLAUSE_SEQUENCE = gettext_lazy(
    "Dòng %(line)s: khoản %(number)s của Điều %(article)s không đúng thứ tự (khoản trước: %(previous)s)."
)
WARN_POINT_OUTSIDE_CLAUSE = gettext_lazy(
    "Dòng %(line)s: điểm %(label)s không nằm trong khoản nào; đã gắn trực tiếp vào Điều %(article)s."
)
WARN_POINT_SEQUENCE = gettext_lazy(
    "Dòng %(line)s: điểm %(label)s không đúng thứ tự (điểm trước: %(previous)s)."
)
WARN_EMPTY_HEADING = gettext_lazy("Dòng %(line)s: %(heading)s không có tên.")

# Vietnamese legal texts letter their points in this order (no f, j, w, z).
POINT_LETTERS = [
    "a",
    "b",
    "c",
    "d",
    "đ",
    "e",
    "g",
    "h",
    "i",
    "k",
    "l",
    "m",
    "n",
    "o",
    "p",
    "q",
    "r",
    "s",
    "t",
    "u",
    "v",
    "x",
    "y",
]

_ROMAN = r"[IVXLC]+"
_SEP = r"(?:\s*[.:\-–—]\s*|\s+)"
CHAPTER_RE = re.compile(rf"^(?:chương)\s+({_ROMAN}|\d+)(?:{_SEP}(.*))?$", re.IGNORECASE)
SUBSECTION_RE = re.compile(rf"^tiểu\s+mục\s+(\d+)(?:{_SEP}(.*))?$", re.IGNORECASE)
SECTION_RE = re.compile(rf"^mục\s+(\d+)(?:{_SEP}(.*))?$", re.IGNORECASE)
ARTICLE_RE = re.compile(r"^điều\s+(\d+[a-zđ]?)\s*[.:]\s*(.*)$", re.IGNORECASE)
CLAUSE_RE = re.compile(r"^(\d+)\s*[.)]\s+(\S.*)$")
POINT_RE = re.compile(r"^([a-zđ])\)\s*(\S.*)$")
_MD_HEADING = re.compile(r"^#{1,6}\s+")
_MD_EMPHASIS = re.compile(r"(\*\*|__|(?<!\w)\*(?!\s)|(?<!\s)\*(?!\w))")
_MD_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!])")


@dataclass
class ParsedProvision:
    kind: str  # chapter | section | subsection | article | clause | point
    number: str
    title: str
    anchor: str
    line: int
    parent: int | None = None  # index into ParsedDocument.provisions
    paragraphs: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(self.paragraphs)


@dataclass
class ParsedDocument:
    provisions: list[ParsedProvision] = field(default_factory=list)
    preamble: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    @property
    def articles(self) -> list[ParsedProvision]:
        return [p for p in self.provisions if p.kind == "article"]

    def count(self, kind: str) -> int:
        return sum(1 for p in self.provisions if p.kind == kind)


def read_lines(*, name: str, data: bytes) -> tuple[list[str] | None, str | None]:
    """The file's lines (NFC) or an error message. Markdown markers are removed."""
    lower = (name or "").lower()
    if not lower.endswith(ALLOWED_EXTENSIONS):
        return None, str(ERROR_WRONG_TYPE)
    if len(data) > MAX_FILE_BYTES:
        return None, str(ERROR_TOO_LARGE)
    if lower.endswith(".docx"):
        try:
            import docx

            document = docx.Document(io.BytesIO(data))
        except Exception:  # python-docx raises several unrelated types for broken files
            return None, str(ERROR_UNREADABLE)
        lines = [paragraph.text for paragraph in document.paragraphs]
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            return None, str(ERROR_UNREADABLE)
        if "\x00" in text:
            return None, str(ERROR_UNREADABLE)
        lines = text.splitlines()
    lines = [unicodedata.normalize("NFC", line) for line in lines]
    if lower.endswith(".md"):
        lines = [_strip_markdown(line) for line in lines]
    return lines, None


def _strip_markdown(line: str) -> str:
    line = _MD_HEADING.sub("", line.strip())
    line = _MD_EMPHASIS.sub("", line)
    return _MD_ESCAPE.sub(r"\1", line)


_INVISIBLE = re.compile("[\u00ad\u200b\u200c\u200d\u2060\ufeff]")  # soft hyphen, zero-width marks


def _clean(line: str) -> str:
    return re.sub(r"\s+", " ", _INVISIBLE.sub("", unicodedata.normalize("NFC", line))).strip()


class _Parser:
    def __init__(self, lines: list[str]):
        self.lines = lines
        self.doc = ParsedDocument()
        self.chapter: int | None = None
        self.section: int | None = None
        self.subsection: int | None = None
        self.article: int | None = None
        self.clause: int | None = None
        self.point: int | None = None
        self.awaiting_title: int | None = None  # heading whose title may be on the next line
        self.article_lines: dict[str, int] = {}
        self.used_anchors: set[str] = set()

    # -- helpers -------------------------------------------------------------------------------
    def warn(self, message, **params) -> None:
        self.doc.warnings.append(str(message) % params)

    def add(self, kind, number, title, anchor, line, parent) -> int:
        unique = anchor
        n = 2
        while unique in self.used_anchors:
            unique = f"{anchor}-{n}"
            n += 1
        self.used_anchors.add(unique)
        self.doc.provisions.append(
            ParsedProvision(
                kind=kind, number=number, title=title, anchor=unique, line=line, parent=parent
            )
        )
        return len(self.doc.provisions) - 1

    def prov(self, index: int | None) -> ParsedProvision | None:
        return None if index is None else self.doc.provisions[index]

    def heading_label(self, index: int) -> str:
        p = self.doc.provisions[index]
        names = {"chapter": _("Chương"), "section": _("Mục"), "subsection": _("Tiểu mục")}
        return f"{names[p.kind]} {p.number}"

    # -- line handlers -------------------------------------------------------------------------
    def parse(self) -> ParsedDocument:
        for number, raw in enumerate(self.lines, start=1):
            line = _clean(raw)
            if not line:
                continue
            self.handle(line, number)
        self.finish_heading()
        if not self.doc.articles:
            self.doc.errors.append(str(ERROR_NO_ARTICLE))
        return self.doc

    def finish_heading(self) -> None:
        if self.awaiting_title is not None:
            p = self.doc.provisions[self.awaiting_title]
            if not p.title:
                self.warn(
                    WARN_EMPTY_HEADING, line=p.line, heading=self.heading_label(self.awaiting_title)
                )
        self.awaiting_title = None

    def handle(self, line: str, number: int) -> None:
        if m := CHAPTER_RE.match(line):
            self.finish_heading()
            roman = m.group(1).upper()
            self.chapter = self.add(
                "chapter", roman, m.group(2) or "", anchors.chapter_anchor(roman), number, None
            )
            self.section = self.subsection = self.article = self.clause = self.point = None
            self.awaiting_title = None if m.group(2) else self.chapter
            return
        if m := SUBSECTION_RE.match(line):
            self.finish_heading()
            parent = self.section if self.section is not None else self.chapter
            base = self.prov(parent).anchor if parent is not None else "muc"
            self.subsection = self.add(
                "subsection", m.group(1), m.group(2) or "",
                anchors.subsection_anchor(m.group(1), section=base), number, parent,
            )  # fmt: skip
            self.article = self.clause = self.point = None
            self.awaiting_title = None if m.group(2) else self.subsection
            return
        if m := SECTION_RE.match(line):
            self.finish_heading()
            chapter_anchor = self.prov(self.chapter).anchor if self.chapter is not None else None
            self.section = self.add(
                "section", m.group(1), m.group(2) or "",
                anchors.section_anchor(m.group(1), chapter=chapter_anchor), number, self.chapter,
            )  # fmt: skip
            self.subsection = self.article = self.clause = self.point = None
            self.awaiting_title = None if m.group(2) else self.section
            return
        if m := ARTICLE_RE.match(line):
            self.finish_heading()
            self.start_article(m.group(1).lower(), m.group(2), number)
            return
        if self.awaiting_title is not None:
            self.doc.provisions[self.awaiting_title].title = line
            self.awaiting_title = None
            return
        if self.article is not None and (m := CLAUSE_RE.match(line)):
            self.start_clause(m.group(1), m.group(2), number)
            return
        if self.article is not None and (m := POINT_RE.match(line)):
            self.start_point(m.group(1), m.group(2), number)
            return
        self.continuation(line, number)

    def start_article(self, label: str, title: str, line: int) -> None:
        previous = self.doc.articles[-1].number if self.doc.articles else None
        if label in self.article_lines:
            self.warn(
                WARN_ARTICLE_DUPLICATE, line=line, number=label, first=self.article_lines[label]
            )
        elif (
            previous and previous.isdigit() and label.isdigit() and int(label) != int(previous) + 1
        ):
            self.warn(WARN_ARTICLE_SEQUENCE, line=line, number=label, previous=previous)
        self.article_lines.setdefault(label, line)
        parent = next(
            (i for i in (self.subsection, self.section, self.chapter) if i is not None), None
        )
        self.article = self.add(
            "article", label, title, anchors.article_anchor(label), line, parent
        )
        self.clause = self.point = None

    def start_clause(self, label: str, text: str, line: int) -> None:
        article = self.prov(self.article)
        siblings = [
            p.number for p in self.doc.provisions if p.kind == "clause" and p.parent == self.article
        ]
        expected = str(int(siblings[-1]) + 1) if siblings else "1"
        if label != expected:
            self.warn(
                WARN_CLAUSE_SEQUENCE, line=line, number=label, article=article.number,
                previous=siblings[-1] if siblings else "—",
            )  # fmt: skip
        self.clause = self.add(
            "clause",
            label,
            "",
            anchors.clause_anchor(label, article=article.anchor),
            line,
            self.article,
        )
        self.doc.provisions[self.clause].paragraphs.append(text)
        self.point = None

    def start_point(self, label: str, text: str, line: int) -> None:
        parent = self.clause if self.clause is not None else self.article
        if self.clause is None:
            self.warn(
                WARN_POINT_OUTSIDE_CLAUSE,
                line=line,
                label=label,
                article=self.prov(self.article).number,
            )
        siblings = [
            p.number for p in self.doc.provisions if p.kind == "point" and p.parent == parent
        ]
        if siblings:
            previous = siblings[-1]
            position = POINT_LETTERS.index(previous) if previous in POINT_LETTERS else -1
            expected = (
                POINT_LETTERS[position + 1] if 0 <= position < len(POINT_LETTERS) - 1 else None
            )
        else:
            previous, expected = "—", "a"
        if label != expected:
            self.warn(WARN_POINT_SEQUENCE, line=line, label=label, previous=previous)
        self.point = self.add(
            "point",
            label,
            "",
            anchors.point_anchor(label, parent=self.prov(parent).anchor),
            line,
            parent,
        )
        self.doc.provisions[self.point].paragraphs.append(text)

    def continuation(self, line: str, number: int) -> None:
        target = next((i for i in (self.point, self.clause, self.article) if i is not None), None)
        if target is not None:
            self.doc.provisions[target].paragraphs.append(line)
            return
        heading = next(
            (i for i in (self.subsection, self.section, self.chapter) if i is not None), None
        )
        if heading is None:
            self.warn(WARN_TEXT_BEFORE_ARTICLE, line=number)
            self.doc.preamble.append(line)
        else:
            self.warn(WARN_TEXT_OUTSIDE_ARTICLE, line=number, heading=self.heading_label(heading))
            self.doc.provisions[heading].paragraphs.append(line)


def parse_lines(lines: list[str]) -> ParsedDocument:
    """Parse already-read lines (see `read_lines`)."""
    return _Parser(lines).parse()


def parse_file(*, name: str, data: bytes) -> ParsedDocument:
    lines, error = read_lines(name=name, data=data)
    if error:
        return ParsedDocument(errors=[error])
    return parse_lines(lines)
