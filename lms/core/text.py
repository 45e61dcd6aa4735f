"""Vietnamese text handling: NFC normalisation, accent-insensitive keys and collation.

Collation follows the Vietnamese alphabet (a < ă < â < b < c < d < đ < e < ê < … < ư < v < x < y)
with tones as a secondary difference (none < huyền < hỏi < ngã < sắc < nặng), as in CLDR "vi".
Person names sort by given name (last word), then middle names, then family name.
"""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")

# Tone marks as combining characters, in Vietnamese secondary order (no tone = 0).
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}
# Vowel-quality marks that make separate letters of the alphabet.
_BREVE, _CIRCUMFLEX, _HORN = "\u0306", "\u0302", "\u031b"

_ALPHABET = [
    "a", "ă", "â", "b", "c", "d", "đ", "e", "ê", "f", "g", "h", "i", "j", "k", "l", "m", "n",
    "o", "ô", "ơ", "p", "q", "r", "s", "t", "u", "ư", "v", "w", "x", "y", "z",
]  # fmt: skip
# Two base-36 digits per letter keep keys comparable byte by byte in any database collation.
_LETTER_RANK = {letter: index + 10 for index, letter in enumerate(_ALPHABET)}
_DIGIT_RANK = {str(d): d + 1 for d in range(10)}


def normalize_text(value: str | None) -> str:
    """NFC, trimmed, inner white space folded to single spaces. None becomes ""."""
    if value is None:
        return ""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", str(value))).strip()


def fold(value: str | None) -> str:
    """Accent-insensitive, lower-case search key: "Đồng Dân chủ" -> "dong dan chu"."""
    text = unicodedata.normalize("NFD", normalize_text(value).lower())
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Mn")
    return text.replace("đ", "d")


def _letter_and_tone(char: str) -> tuple[str, int]:
    decomposed = unicodedata.normalize("NFD", char.lower())
    base, marks = decomposed[:1], decomposed[1:]
    tone = 0
    for mark in marks:
        if mark in _TONES:
            tone = _TONES[mark]
        elif mark == _BREVE and base == "a":
            base = "ă"
        elif mark == _CIRCUMFLEX and base in "aeo":
            base = {"a": "â", "e": "ê", "o": "ô"}[base]
        elif mark == _HORN and base in "ou":
            base = {"o": "ơ", "u": "ư"}[base]
    return base, tone


def _b36(number: int) -> str:
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    return digits[number // 36] + digits[number % 36]


def collation_key(value: str | None) -> str:
    """A string whose plain (byte or ASCII) order is Vietnamese alphabetical order.

    Primary level: letters; secondary level: tones, appended after the letters so that
    "Ma" < "Mà" < "Mả" < "Mã" < "Má" < "Mạ" < "Mai".
    """
    primary: list[str] = []
    secondary: list[str] = []
    for char in normalize_text(value):
        if char.isspace():
            primary.append("01")  # word break sorts before any letter
            continue
        if char == "đ" or char == "Đ":
            letter, tone = "đ", 0
        else:
            letter, tone = _letter_and_tone(char)
        if letter in _LETTER_RANK:
            primary.append(_b36(_LETTER_RANK[letter]))
            secondary.append(str(tone))
        elif letter in _DIGIT_RANK:
            primary.append(_b36(_DIGIT_RANK[letter]))
            secondary.append("0")
        # punctuation and other symbols are ignored at the primary level
    return "".join(primary) + "00" + "".join(secondary)


def name_sort_key(full_name: str | None) -> str:
    """Sort key for a Vietnamese full name: given name, then middle names, then family name."""
    words = normalize_text(full_name).split(" ")
    ordered = words if len(words) <= 1 else [words[-1], *words[1:-1], words[0]]
    # One full key (letters, then tones) per word: "An" < "Anh" < "Ánh" before the next word counts.
    return "".join(collation_key(word) for word in ordered)


def safe_cell(value: object) -> object:
    """Neutralise spreadsheet formula injection: text starting with = + - @ gets a leading quote."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value
