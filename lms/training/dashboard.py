"""The training section of the learner dashboard: this year's obligations and upcoming sessions."""

from __future__ import annotations

from django.utils import timezone

from courses.dashboard import DashboardSection

from .selectors import assignments_for_person, upcoming_sessions_for_person


def training_dashboard_section(*, person, request) -> DashboardSection:
    year = timezone.localdate().year
    return DashboardSection(
        key="training",
        template="training/dashboard_section.html",
        context={
            "year": year,
            "assignments": assignments_for_person(person=person, year=year),
            "sessions": upcoming_sessions_for_person(person=person),
        },
    )
