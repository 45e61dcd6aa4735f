"""Plain data exchanged by the parsers, the writers and ``assessments.importing``.

Nothing here touches the database: a parser turns bytes into ``ParsedQuestion`` objects, the
importer maps them to models, and the writers turn them back into bytes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils.translation import gettext as _

# Question types the engine grades (same values as ``assessments.models.QuestionType``).
SINGLE = "single"
MULTIPLE = "multiple"
TRUEFALSE = "truefalse"
SHORTANSWER = "shortanswer"
MATCHING = "matching"
ORDERING = "ordering"
NUMERICAL = "numerical"
SUPPORTED_TYPES = (SINGLE, MULTIPLE, TRUEFALSE, SHORTANSWER, MATCHING, ORDERING, NUMERICAL)

HTML = "html"
PLAIN = "plain"
DIFFICULTIES = ("easy", "medium", "hard")

# A true/false question is stored as two choices, "true" first (see ASSESSMENTS_MODEL.md).
TRUE_TEXT = "Đúng"
FALSE_TEXT = "Sai"

# "Any other answer" in a numerical question (Moodle's "*"): carries the wrong-answer feedback.
NUMERICAL_ANY = "*"

FRACTION_PLACES = Decimal("0.00001")  # Choice.fraction is Decimal(8, 5)
MARK_PLACES = Decimal("0.01")  # Question.default_mark is Decimal(6, 2)
PENALTY_PLACES = Decimal("0.001")  # Question.penalty is Decimal(4, 3)
TOLERANCE_PLACES = Decimal("0.000001")  # Choice.tolerance is Decimal(14, 6)


@dataclass
class ParsedChoice:
    text: str
    fraction: Decimal = Decimal("0")
    feedback: str = ""
    tolerance: Decimal | None = None


@dataclass
class ParsedPair:
    prompt: str  # empty prompt = a distractor answer
    answer: str


@dataclass(frozen=True)
class ParsedLegalTag:
    law: str
    article: int
    clause: int | None = None
    point: str = ""


@dataclass
class ParsedQuestion:
    qtype: str
    name: str
    text: str
    text_format: str = HTML
    general_feedback: str = ""
    explanation: str = ""
    difficulty: str = ""
    category_path: tuple[str, ...] = ()
    choices: list[ParsedChoice] = field(default_factory=list)
    pairs: list[ParsedPair] = field(default_factory=list)
    legal_tags: list[ParsedLegalTag] = field(default_factory=list)
    idnumber: str = ""
    default_mark: Decimal = Decimal("1")
    penalty: Decimal = Decimal("0")
    shuffle: bool = True
    case_sensitive: bool = False
    ignore_accents: bool = False
    # Where the question came from, for messages: GIFT/Aiken line, XML/xlsx question or row number.
    line: int | None = None
    number: int = 0


@dataclass(frozen=True)
class ParseError:
    """A problem that stops the whole import. ``message_vi`` is already translated."""

    line: int | None
    question_number: int | None
    message_vi: str

    def __str__(self) -> str:
        if self.line is not None and self.question_number is not None:
            where = _("Dòng %(line)s (câu hỏi số %(number)s)") % {
                "line": self.line,
                "number": self.question_number,
            }
        elif self.line is not None:
            where = _("Dòng %(line)s") % {"line": self.line}
        elif self.question_number is not None:
            where = _("Câu hỏi số %(number)s") % {"number": self.question_number}
        else:
            return self.message_vi
        return f"{where}: {self.message_vi}"


@dataclass(frozen=True)
class UnsupportedQuestion:
    """A question of a type the engine cannot grade (essay, description, cloze …)."""

    number: int
    name: str
    source_type: str
    line: int | None = None

    def __str__(self) -> str:
        where = _("Câu hỏi số %(number)s") % {"number": self.number}
        if self.line is not None:
            where += " " + _("(dòng %(line)s)") % {"line": self.line}
        return _("%(where)s “%(name)s”: loại “%(type)s” chưa được hỗ trợ") % {
            "where": where,
            "name": self.name,
            "type": self.source_type,
        }


@dataclass
class ParseResult:
    questions: list[ParsedQuestion] = field(default_factory=list)
    unsupported: list[UnsupportedQuestion] = field(default_factory=list)
    errors: list[ParseError] = field(default_factory=list)
    # Things that were read but cannot be kept (embedded images, units …), already translated.
    warnings: list[str] = field(default_factory=list)

    def problems(self, *, skip_unsupported: bool) -> list[str]:
        """Everything that blocks the import, as Vietnamese sentences (empty = may import)."""
        messages = [str(error) for error in self.errors]
        if self.unsupported and not skip_unsupported:
            messages += [str(item) for item in self.unsupported]
        return messages

    def can_import(self, *, skip_unsupported: bool) -> bool:
        return not self.problems(skip_unsupported=skip_unsupported)


class FormatError(Exception):
    """Raised by writers when a question cannot be represented in the chosen format."""

    def __init__(self, messages: list[str]):
        super().__init__("\n".join(messages))
        self.messages = messages


def to_decimal(value: str | int | float | Decimal, places: Decimal) -> Decimal:
    """Parse a number written with a dot ("1.5", "-0.25", "1e3"); raise ValueError otherwise."""
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError) as exc:
        raise ValueError(str(value)) from exc
    if not number.is_finite():
        raise ValueError(str(value))
    return number.quantize(places, rounding=ROUND_HALF_UP)


def format_decimal(value: Decimal) -> str:
    """Shortest plain notation: Decimal("1.50000") -> "1.5", Decimal("100") -> "100"."""
    text = format(value.normalize(), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def percent_to_fraction(value: str) -> Decimal:
    """Moodle weights are percentages: "50" -> 0.5, "-33.33333" -> -0.33333."""
    try:
        percent = Decimal(str(value).strip())
    except (InvalidOperation, ValueError) as exc:
        raise ValueError(str(value)) from exc
    return to_decimal(percent / 100, FRACTION_PLACES)


def fraction_to_percent(value: Decimal) -> str:
    return format_decimal(value * 100)
