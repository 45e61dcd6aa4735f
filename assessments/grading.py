"""Pure grading: a question snapshot + the options shown + the learner's answer -> a fraction in [0, 1].

Answers reference the attempt's option rows (``AttemptChoice.id``), never bank ids, so the values in the
page carry no hint of which option is correct.

Answer shapes (validated by :func:`answer_clean` before they are stored):
- single, truefalse: option id (int)
- multiple: list of option ids
- shortanswer, numerical: string (numerical accepts "3,5" and "3.5")
- matching: {"<prompt option id>": <answer option id>, ...}
- ordering: list of every option id, in the learner's order. Graded per position: each item in its
  correct place earns 1/n (Moodle's "absolute position" partial credit), so a nearly right order still counts.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from lms.core.text import fold, normalize_text

ZERO = Decimal("0")
ONE = Decimal("1")
MAX_TEXT_ANSWER = 500


@dataclass(frozen=True)
class Option:
    id: int
    source_id: int
    is_prompt: bool
    position: int


class InvalidAnswer(ValueError):
    pass


def _clamp(value: Decimal) -> Decimal:
    return max(ZERO, min(ONE, value))


def _choices_by_id(snapshot: dict) -> dict[int, dict]:
    return {int(c["id"]): c for c in snapshot.get("choices", [])}


def answer_clean(qtype: str, answer, options: list[Option]):
    """Return the normalised answer or raise InvalidAnswer. ``None`` clears an answer."""
    if answer is None:
        return None
    choice_ids = {o.id for o in options if not o.is_prompt}
    if qtype in ("single", "truefalse"):
        if isinstance(answer, bool) or not isinstance(answer, int) or answer not in choice_ids:
            raise InvalidAnswer(qtype)
        return answer
    if qtype == "multiple":
        if not isinstance(answer, list) or len(answer) > len(choice_ids):
            raise InvalidAnswer(qtype)
        if any(
            isinstance(a, bool) or not isinstance(a, int) or a not in choice_ids for a in answer
        ):
            raise InvalidAnswer(qtype)
        return sorted(set(answer))
    if qtype in ("shortanswer", "numerical"):
        if not isinstance(answer, str) or len(answer) > MAX_TEXT_ANSWER:
            raise InvalidAnswer(qtype)
        return normalize_text(answer).strip()
    if qtype == "ordering":
        if not isinstance(answer, list) or sorted(
            a for a in answer if isinstance(a, int)
        ) != sorted(choice_ids):
            raise InvalidAnswer(qtype)
        if len(answer) != len(choice_ids):
            raise InvalidAnswer(qtype)
        return answer
    if qtype == "matching":
        prompt_ids = {o.id for o in options if o.is_prompt}
        if not isinstance(answer, dict) or len(answer) > len(prompt_ids):
            raise InvalidAnswer(qtype)
        cleaned = {}
        for key, value in answer.items():
            try:
                prompt_id = int(key)
            except (TypeError, ValueError) as exc:
                raise InvalidAnswer(qtype) from exc
            if prompt_id not in prompt_ids:
                raise InvalidAnswer(qtype)
            if value is None:
                continue
            if isinstance(value, bool) or not isinstance(value, int) or value not in choice_ids:
                raise InvalidAnswer(qtype)
            cleaned[str(prompt_id)] = value
        return cleaned
    raise InvalidAnswer(qtype)


def _strip_accents_keep_case(value: str) -> str:
    text = unicodedata.normalize("NFD", value)
    text = "".join(ch for ch in text if unicodedata.category(ch) != "Mn")
    return text.replace("đ", "d").replace("Đ", "D")


def _text_key(value: str, *, case_sensitive: bool, ignore_accents: bool) -> str:
    value = " ".join(normalize_text(value).split())
    if ignore_accents:
        return _strip_accents_keep_case(value) if case_sensitive else fold(value)
    return value if case_sensitive else value.lower()


def _shortanswer_matches(pattern: str, given: str) -> bool:
    # Moodle short answers: "*" is a wildcard; everything else is literal.
    if "*" not in pattern:
        return pattern == given
    regex = ".*".join(re.escape(part) for part in pattern.split("*"))
    return re.fullmatch(regex, given, flags=re.DOTALL) is not None


def _parse_number(value: str) -> Decimal | None:
    text = value.strip().replace(" ", "")
    if text.count(",") == 1 and "." not in text:
        text = text.replace(",", ".")
    try:
        number = Decimal(text)
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def grade(snapshot: dict, options: list[Option], answer) -> Decimal:
    """Fraction of the mark earned, floored at 0 and capped at 1."""
    if answer is None or answer == "" or answer == [] or answer == {}:
        return ZERO
    qtype = snapshot["qtype"]
    choices = _choices_by_id(snapshot)
    by_option = {o.id: o for o in options}

    if qtype in ("single", "truefalse"):
        option = by_option.get(answer)
        if option is None:
            return ZERO
        return _clamp(Decimal(choices.get(option.source_id, {}).get("fraction", "0")))

    if qtype == "multiple":
        total = ZERO
        for option_id in set(answer):
            option = by_option.get(option_id)
            if option is not None:
                total += Decimal(choices.get(option.source_id, {}).get("fraction", "0"))
        return _clamp(total)

    if qtype == "shortanswer":
        case_sensitive = bool(snapshot.get("case_sensitive"))
        ignore_accents = bool(snapshot.get("ignore_accents"))
        given = _text_key(answer, case_sensitive=case_sensitive, ignore_accents=ignore_accents)
        best = ZERO
        for choice in choices.values():
            pattern = _text_key(
                choice["text"], case_sensitive=case_sensitive, ignore_accents=ignore_accents
            )
            if _shortanswer_matches(pattern, given):
                best = max(best, Decimal(choice["fraction"]))
        return _clamp(best)

    if qtype == "numerical":
        number = _parse_number(answer)
        if number is None:
            return ZERO
        best = ZERO
        for choice in choices.values():
            if choice["text"].strip() == "*":
                best = max(best, Decimal(choice["fraction"]))
                continue
            target = _parse_number(choice["text"])
            if target is None:
                continue
            tolerance = abs(Decimal(choice["tolerance"])) if choice.get("tolerance") else ZERO
            if abs(number - target) <= tolerance:
                best = max(best, Decimal(choice["fraction"]))
        return _clamp(best)

    if qtype == "ordering":
        correct = [
            int(c["id"]) for c in sorted(choices.values(), key=lambda c: (c["sort_order"], c["id"]))
        ]
        given = [by_option[o].source_id for o in answer if o in by_option]
        if not correct:
            return ZERO
        right = sum(
            1 for i, source_id in enumerate(given[: len(correct)]) if source_id == correct[i]
        )
        return _clamp(Decimal(right) / Decimal(len(correct)))

    if qtype == "matching":
        pairs = {int(p["id"]): p for p in snapshot.get("pairs", [])}
        prompts = [o for o in options if o.is_prompt]
        if not prompts:
            return ZERO
        right = 0
        for prompt in prompts:
            chosen = by_option.get(answer.get(str(prompt.id)))
            if chosen is None or chosen.is_prompt:
                continue
            expected = pairs.get(prompt.source_id, {}).get("answer")
            got = pairs.get(chosen.source_id, {}).get("answer")
            if (
                expected is not None
                and got is not None
                and normalize_text(expected) == normalize_text(got)
            ):
                right += 1
        return _clamp(Decimal(right) / Decimal(len(prompts)))

    return ZERO


def correct_summary(snapshot: dict, options: list[Option]) -> dict:
    """What the right answer is, for review pages (only rendered when the review options allow)."""
    qtype = snapshot["qtype"]
    choices = _choices_by_id(snapshot)
    if qtype in ("single", "truefalse", "multiple"):
        return {
            "option_ids": [
                o.id
                for o in options
                if Decimal(choices.get(o.source_id, {}).get("fraction", "0")) > 0
            ]
        }
    if qtype in ("shortanswer", "numerical"):
        best = [c for c in choices.values() if Decimal(c["fraction"]) == ONE] or [
            c for c in choices.values() if Decimal(c["fraction"]) > 0
        ]
        texts = []
        for c in best:
            if qtype == "numerical" and c.get("tolerance") and Decimal(c["tolerance"]) != 0:
                texts.append(f"{c['text']} ± {Decimal(c['tolerance']).normalize()}")
            else:
                texts.append(c["text"])
        return {"texts": texts}
    if qtype == "ordering":
        ordered = sorted(choices.values(), key=lambda c: (c["sort_order"], c["id"]))
        return {"texts": [c["text"] for c in ordered]}
    if qtype == "matching":
        pairs = {int(p["id"]): p for p in snapshot.get("pairs", [])}
        return {
            "pairs": [
                (pairs[o.source_id]["prompt"], pairs[o.source_id]["answer"])
                for o in options
                if o.is_prompt and o.source_id in pairs
            ]
        }
    return {}
