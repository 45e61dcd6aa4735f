"""What other apps may use from training (the learner dashboard, certificates, reports).

- `assignments_for_person(*, person, year=None) -> list[AssignmentRow]`: the person's
  obligations for the year (counting ones plus completed ones), due date first.
- `upcoming_sessions_for_person(*, person) -> list[SessionRow]`: in-person sessions not yet
  ended that the person is invited to (by unit subtree and target group), earliest first.
- `notifications_for_user(*, user, limit=20)`, `notifications_unread_count(*, user)`,
  `notifications_mark_read(*, user, ids=None)`: the in-app notification list.
- `assignments_changed` (signal, `unit_years=[(unit_id, year), …]`): assignments changed
  without a model `post_save` (bulk updates, moves); see `signals.py`.
"""

from .models import Assignment, Notification, TrainingPlan
from .reminders import notifications_mark_read
from .selectors import (
    AssignmentRow,
    SessionRow,
    assignments_for_person,
    notifications_for_user,
    notifications_unread_count,
    upcoming_sessions_for_person,
)
from .signals import assignments_changed

__all__ = [
    "Assignment",
    "AssignmentRow",
    "Notification",
    "SessionRow",
    "TrainingPlan",
    "assignments_changed",
    "assignments_for_person",
    "notifications_for_user",
    "notifications_mark_read",
    "notifications_unread_count",
    "upcoming_sessions_for_person",
]
