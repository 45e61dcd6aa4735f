"""The contest's ranking rules, as pure functions (no database), so each rule is testable by hand.

1. Only one entry per phone counts: its best one — highest score, then (once the actual number of
   fully correct entries is known) the smallest prediction distance, then the shortest time, then the
   earliest submission.
2. Ranking: score (desc), |prediction − actual| (asc; only after the round closes — before that the
   ranking is provisional, by score and time), time taken (asc), earlier submission.
3. The actual number of fully correct entries counts each phone once (its counted entry is fully
   correct exactly when one of its entries is), so the answer does not depend on retries.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal

NO_PREDICTION = 10**12  # an entry without a prediction loses every tie-break on it


@dataclass(frozen=True)
class Scored:
    entry_id: int
    phone: str
    full_name: str
    commune_id: int
    commune_name: str
    score: Decimal
    max_score: Decimal
    prediction: int | None
    duration: dt.timedelta
    submitted_at: dt.datetime
    hamlet: str = ""

    @property
    def fully_correct(self) -> bool:
        return self.max_score > 0 and self.score >= self.max_score

    @property
    def duration_seconds(self) -> int:
        return int(self.duration.total_seconds())


@dataclass(frozen=True)
class Ranked:
    rank: int
    entry: Scored
    distance: int | None  # None while the actual number is not known, or without a prediction
    entries_of_phone: int


def fully_correct_count(entries: list[Scored]) -> int:
    """How many phones have a fully correct entry (= counted entries that are fully correct)."""
    return len({e.phone for e in entries if e.fully_correct})


def distance(entry: Scored, actual: int | None) -> int | None:
    if actual is None or entry.prediction is None:
        return None
    return abs(entry.prediction - actual)


def sort_key(entry: Scored, actual: int | None) -> tuple:
    if actual is None:
        tie = 0
    else:
        d = distance(entry, actual)
        tie = NO_PREDICTION if d is None else d
    return (-entry.score, tie, entry.duration, entry.submitted_at, entry.entry_id)


def best_per_phone(entries: list[Scored], *, actual: int | None) -> dict[str, Scored]:
    best: dict[str, Scored] = {}
    for entry in entries:
        current = best.get(entry.phone)
        if current is None or sort_key(entry, actual) < sort_key(current, actual):
            best[entry.phone] = entry
    return best


def rank(entries: list[Scored], *, actual: int | None) -> list[Ranked]:
    """The counted entries, ranked 1..n (every tie is broken, so ranks are unique)."""
    per_phone: dict[str, int] = {}
    for entry in entries:
        per_phone[entry.phone] = per_phone.get(entry.phone, 0) + 1
    best = sorted(
        best_per_phone(entries, actual=actual).values(), key=lambda e: sort_key(e, actual)
    )
    return [
        Ranked(
            rank=position,
            entry=entry,
            distance=distance(entry, actual),
            entries_of_phone=per_phone[entry.phone],
        )
        for position, entry in enumerate(best, start=1)
    ]


def mask_phone(phone: str) -> str:
    """0912345678 → “09xx xxx 678”: never the full number on a public page."""
    digits = re.sub(r"\D", "", phone or "")
    if len(digits) < 6:
        return "xxx"
    return f"{digits[:2]}xx xxx {digits[-3:]}"


def abbreviate_name(full_name: str) -> str:
    """“Nguyễn Văn An” → “Nguyễn V. A.”: the family name, then initials."""
    words = (full_name or "").split()
    if not words:
        return ""
    return " ".join([words[0], *(f"{w[0]}." for w in words[1:])])
