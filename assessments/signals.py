"""Facts the assessments app announces. Higher layers (courses, training) connect receivers."""

from django.dispatch import Signal

# Sent exactly once per attempt, after the transaction that graded it commits.
# kwargs: attempt_id: int, person_id: int | None (None for public entrants), quiz_id: int,
#         passed: bool, score: Decimal (points), percent: Decimal (0-100), is_knowledge_check: bool
attempt_graded = Signal()
