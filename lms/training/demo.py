"""Demo data for training: this year's active plan for the demo city and one upcoming session.

Called by `seed_demo` after the organisation and the demo courses exist. Idempotent.
"""

from __future__ import annotations

import datetime as dt
from typing import IO

from django.db import transaction
from django.utils import timezone

from courses.models import CoursePage
from lms.org.api import StaffRole, Unit

from .models import Requirement, Session, TrainingPlan
from .reminders import notify_assignments_created
from .services import assignments_sync_for_people, plan_people_ids

DEMO_ROOT_CODE = "HCM"


def _due_date(year: int) -> dt.date:
    # Leave the demo a month to work with, whatever the day it is seeded.
    wanted = max(dt.date(year, 6, 30), timezone.localdate() + dt.timedelta(days=30))
    return min(wanted, dt.date(year, 12, 31))


def demo_training_load(*, stdout: IO[str] | None = None, year: int | None = None) -> None:
    year = year or timezone.localdate().year
    root = Unit.objects.active().filter(code=DEMO_ROOT_CODE).first()
    courses = list(CoursePage.objects.live().filter(year=year).prefetch_related("target_groups"))
    if root is None or not courses:
        if stdout:
            stdout.write("Chưa có đơn vị gốc hoặc khóa học mẫu: bỏ qua kế hoạch bồi dưỡng mẫu.\n")
        return
    with transaction.atomic():
        plan, created = TrainingPlan.objects.get_or_create(
            scope_unit=root,
            year=year,
            defaults={
                "title": f"Kế hoạch bồi dưỡng về thực hiện dân chủ ở cơ sở năm {year}",
                "status": TrainingPlan.Status.ACTIVE,
            },
        )
        if created:
            for order, course in enumerate(courses):
                groups = list(course.target_groups.all())
                if not groups:
                    continue
                requirement = Requirement(
                    plan=plan, sort_order=order, course=course, due_date=_due_date(year)
                )
                requirement.save()
                requirement.target_groups.set(groups)
                requirement.save()
        # Hamlet heads (the demo learner among them) are invited to the demo session.
        hamlet_courses = [
            c for c in courses if any(g.code == "truong-thon" for g in c.target_groups.all())
        ]
        _demo_session(root=root, course=(hamlet_courses or courses)[0])
    result = assignments_sync_for_people(person_ids=plan_people_ids(plan=plan), notify=False)
    # The demo people find their new assignments under “Thông báo” (and in the console email);
    # each notification has a unique key, so loading the demo again notifies nobody twice.
    notify_assignments_created(assignment_ids=result.created)
    if stdout:
        stdout.write(
            f"Kế hoạch bồi dưỡng năm {year}: {plan.requirements.count()} yêu cầu, "
            f"{len(result.created)} nhiệm vụ mới.\n"
        )


def _demo_session(*, root: Unit, course: CoursePage) -> None:
    """One session running now (to try the QR check-in) and one next week (the calendar)."""
    if Session.objects.filter(course=course).exists():
        return
    trainer_role = (
        StaffRole.objects.filter(role=StaffRole.Role.TRAINER).select_related("user").first()
    )
    children = root.get_children().active().order_by("path")
    commune = children.filter(kind__is_locality=True).first() or children.first() or root
    now = timezone.localtime().replace(second=0, microsecond=0)
    next_week = now.replace(hour=8, minute=0) + dt.timedelta(days=7)
    for title, start in (
        (f"Lớp tập huấn: {course.title}", now - dt.timedelta(minutes=30)),
        (f"Lớp tập huấn (đợt 2): {course.title}", next_week),
    ):
        session = Session.objects.create(
            course=course,
            title=title,
            starts_at=start,
            ends_at=start + dt.timedelta(hours=3, minutes=30),
            place=f"Hội trường {commune.name}",
            trainer=trainer_role.user if trainer_role else None,
        )
        session.invited_units.set([commune])
        session.invited_target_groups.set(course.target_groups.all())
        session.save()
