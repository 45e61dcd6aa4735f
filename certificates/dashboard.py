"""The certificates section of the learner dashboard."""

from __future__ import annotations

from courses.dashboard import DashboardSection

from .selectors import certificate_rows_for_person


def certificates_dashboard_section(*, person, request) -> DashboardSection:
    return DashboardSection(
        key="certificates",
        template="certificates/includes/dashboard_section.html",
        context={"rows": certificate_rows_for_person(person=person)},
    )
