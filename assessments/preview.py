"""Admin preview of a question (possibly unsaved: its choices and pairs are in-memory cluster rows)."""

from __future__ import annotations

from decimal import Decimal

from .selectors import safe_html


def question_preview_context(question, *, show_answers: bool) -> dict:
    fmt = question.text_format or "html"
    choices = sorted(question.choices.all(), key=lambda c: c.sort_order)
    pairs = sorted(question.pairs.all(), key=lambda p: p.sort_order)
    view = {
        "id": 0,
        "position": 1,
        "qtype": question.qtype,
        "text": safe_html(question.text or "", fmt),
        "answer": None,
        "options": [],
        "prompts": [],
    }
    if question.qtype == "matching":
        answers = list(dict.fromkeys(p.answer for p in pairs))
        view["options"] = [
            {"id": i + 1, "text": safe_html(a, "plain")} for i, a in enumerate(answers)
        ]
        view["prompts"] = [
            {"id": 1000 + i, "text": safe_html(p.prompt, fmt), "chosen": None}
            for i, p in enumerate(pairs)
            if p.prompt.strip()
        ]
    else:
        view["options"] = [
            {"id": i + 1, "text": safe_html(c.text, fmt), "selected": False}
            for i, c in enumerate(choices)
        ]
        if question.qtype in ("shortanswer", "numerical"):
            view["options"] = []
    context = {"q": view, "question": question, "show_answers": show_answers}
    if show_answers:
        context["key"] = [
            {
                "text": safe_html(c.text, fmt),
                "fraction": (Decimal(c.fraction or 0) * 100).normalize(),
                "tolerance": c.tolerance,
                "feedback": safe_html(c.feedback, fmt) if c.feedback else "",
            }
            for c in choices
        ]
        context["pairs"] = [(p.prompt, p.answer) for p in pairs]
        context["explanation"] = (
            safe_html(question.explanation, fmt) if question.explanation else ""
        )
        context["general_feedback"] = (
            safe_html(question.general_feedback, fmt) if question.general_feedback else ""
        )
        context["legal"] = [str(t) for t in question.legal_tags.all() if t.article]
    return context
