"""The training section of the learner dashboard: this year's obligations and upcoming sessions."""

from __future__ import annotations

from django.utils import timezone

from courses.dashboard import DashboardSection

from .selectors import (
    assignments_for_person,
    attended_sessions_with_quiz,
    notifications_unread_count_for_request,
    upcoming_sessions_for_person,
)


def training_dashboard_section(*, person, request) -> DashboardSection:
    year = timezone.localdate().year
    return DashboardSection(
        key="training",
        template="training/dashboard_section.html",
        context={
            "year": year,
            "assignments": assignments_for_person(person=person, year=year),
            "sessions": upcoming_sessions_for_person(person=person),
            # Post-session quizzes of the year's sessions the person attended (attendees only).
            "quiz_sessions": attended_sessions_with_quiz(person=person, year=year),
            "unread_notifications": notifications_unread_count_for_request(request=request),
        },
    )
