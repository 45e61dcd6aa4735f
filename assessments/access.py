"""Which non-public quizzes a citizen account may take.

Citizens (accounts created by public sign-up, ``User.is_citizen``) may take public quizzes and the
quizzes that belong to courses open to citizens. Courses live above assessments, so the courses app
registers a function here (``citizen_quiz_rule_register``, from its AppConfig.ready) that answers
"is this quiz part of a course open to citizens?". Officials are not restricted here.
"""

from __future__ import annotations

from collections.abc import Callable

CitizenQuizRule = Callable[..., bool]
_rules: list[CitizenQuizRule] = []


def citizen_quiz_rule_register(rule: CitizenQuizRule) -> None:
    """Add a rule ``rule(*, quiz_id: int) -> bool``; a quiz is open to citizens if any rule says so."""
    if rule not in _rules:
        _rules.append(rule)


def quiz_open_to_user(*, quiz, user) -> bool:
    """False when ``user`` is a citizen and ``quiz`` is neither public nor part of an open course."""
    if quiz.is_public or not getattr(user, "is_citizen", False):
        return True
    return any(rule(quiz_id=quiz.pk) for rule in _rules)


# Public entrants have no account: the browser session remembers which entrants it registered,
# and only that session may see or answer their attempts.
SESSION_ENTRANTS = "assessments_entrants"


def session_entrant_remember(*, session, entrant_id: int) -> None:
    """Let this browser session answer the attempts of ``entrant_id``."""
    session[SESSION_ENTRANTS] = [*session.get(SESSION_ENTRANTS, []), entrant_id]


def session_entrants(*, session) -> list[int]:
    return list(session.get(SESSION_ENTRANTS, []))
