"""Question import/export formats: GIFT, Moodle XML, Aiken and the Excel template.

Pure Python (no models): ``parse(fmt, data)`` returns a ``ParseResult`` of ``ParsedQuestion``
dataclasses; ``write(fmt, questions)`` returns bytes. ``assessments.importing`` maps them to
the database.
"""

from __future__ import annotations

from .aiken import parse_aiken
from .gift import parse_gift
from .gift_writer import write_gift
from .moodle_xml import parse_moodle_xml
from .moodle_xml_writer import write_moodle_xml
from .types import (
    FormatError,
    ParsedChoice,
    ParsedLegalTag,
    ParsedPair,
    ParsedQuestion,
    ParseError,
    ParseResult,
    UnsupportedQuestion,
)
from .xlsx import parse_xlsx
from .xlsx_writer import write_xlsx, xlsx_template

GIFT = "gift"
MOODLE_XML = "moodle-xml"
AIKEN = "aiken"
XLSX = "xlsx"

IMPORT_FORMATS = (GIFT, MOODLE_XML, AIKEN, XLSX)
EXPORT_FORMATS = (GIFT, MOODLE_XML, XLSX)
FORMAT_LABELS = {
    GIFT: "GIFT",
    MOODLE_XML: "Moodle XML",
    AIKEN: "Aiken",
    XLSX: "Excel (.xlsx)",
}
# Upload extensions accepted for each format (GIFT and Aiken files are plain text).
EXTENSIONS = {GIFT: {"gift", "txt"}, MOODLE_XML: {"xml"}, AIKEN: {"txt", "aiken"}, XLSX: {"xlsx"}}
FILE_SUFFIX = {GIFT: ".gift.txt", MOODLE_XML: ".xml", XLSX: ".xlsx"}
CONTENT_TYPES = {
    GIFT: "text/plain; charset=utf-8",
    MOODLE_XML: "application/xml; charset=utf-8",
    XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def guess_format(filename: str) -> str | None:
    name = filename.lower()
    if name.endswith(".xml"):
        return MOODLE_XML
    if name.endswith(".xlsx"):
        return XLSX
    if name.endswith(".gift") or name.endswith(".gift.txt"):
        return GIFT
    if name.endswith(".aiken") or name.endswith(".aiken.txt"):
        return AIKEN
    return None


def parse(fmt: str, data: bytes, *, max_rows: int = 50_000) -> ParseResult:
    """Parse ``data`` in format ``fmt`` (one of IMPORT_FORMATS)."""
    if fmt == GIFT:
        return parse_gift(data)
    if fmt == MOODLE_XML:
        return parse_moodle_xml(data)
    if fmt == AIKEN:
        return parse_aiken(data)
    if fmt == XLSX:
        return parse_xlsx(data, max_rows=max_rows)
    raise ValueError(fmt)


def write(fmt: str, questions: list[ParsedQuestion], *, skip_unsupported: bool = False) -> bytes:
    """Serialise questions; raises FormatError when GIFT cannot hold a question type."""
    if fmt == GIFT:
        return write_gift(questions, skip_unsupported=skip_unsupported).encode("utf-8")
    if fmt == MOODLE_XML:
        return write_moodle_xml(questions).encode("utf-8")
    if fmt == XLSX:
        return write_xlsx(questions)
    raise ValueError(fmt)


__all__ = [
    "AIKEN",
    "CONTENT_TYPES",
    "EXPORT_FORMATS",
    "EXTENSIONS",
    "FILE_SUFFIX",
    "FORMAT_LABELS",
    "GIFT",
    "IMPORT_FORMATS",
    "MOODLE_XML",
    "XLSX",
    "FormatError",
    "ParseError",
    "ParseResult",
    "ParsedChoice",
    "ParsedLegalTag",
    "ParsedPair",
    "ParsedQuestion",
    "UnsupportedQuestion",
    "guess_format",
    "parse",
    "parse_aiken",
    "parse_gift",
    "parse_moodle_xml",
    "parse_xlsx",
    "write",
    "write_gift",
    "write_moodle_xml",
    "write_xlsx",
    "xlsx_template",
]
