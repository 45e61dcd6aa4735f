"""Writes: enrolment, lesson progress, course completion, next year's copy of a course.

Every write is safe under double clicks, two tabs and retries: unique constraints decide races,
and state changes are conditional UPDATEs, so a second identical request changes nothing.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import Case, F, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.text import slugify

from assessments.api import quiz_passed

from .models import CoursePage, Enrolment, LessonPage, LessonProgress
from .selectors import course_counted_lesson_ids
from .signals import course_completed

SOURCE_RANK = {Enrolment.Source.SELF: 0, Enrolment.Source.MANAGER: 1, Enrolment.Source.ASSIGNED: 2}


def enrolment_start(
    *, person, course: CoursePage, source: str = Enrolment.Source.SELF, started: bool = True
) -> Enrolment:
    """Enrol a person in a course, or return the existing enrolment (never a second row).

    An existing self-enrolment is upgraded when the course is later assigned, so reports see
    why the person takes it; a stronger source is never downgraded.
    """
    now = timezone.now()
    defaults = {"source": source}
    if started:
        defaults |= {
            "status": Enrolment.Status.IN_PROGRESS,
            "started_at": now,
            "last_activity_at": now,
        }
    try:
        with transaction.atomic():
            enrolment, created = Enrolment.objects.get_or_create(
                person=person, course=course, defaults=defaults
            )
    except IntegrityError:
        # Another request created it between our SELECT and INSERT.
        enrolment, created = Enrolment.objects.get(person=person, course=course), False
    if not created:
        refresh = False
        if SOURCE_RANK[source] > SOURCE_RANK[enrolment.source]:
            Enrolment.objects.filter(pk=enrolment.pk).update(source=source)
            refresh = True
        if started and enrolment.status == Enrolment.Status.NOT_STARTED:
            Enrolment.objects.filter(pk=enrolment.pk, status=Enrolment.Status.NOT_STARTED).update(
                status=Enrolment.Status.IN_PROGRESS, started_at=now, last_activity_at=now
            )
            refresh = True
        if refresh:
            enrolment.refresh_from_db()
    return enrolment


def lesson_visit(
    *, person, lesson: LessonPage, course: CoursePage, enrolment: Enrolment | None = None
) -> Enrolment:
    """Remember the lesson the person is reading, so “Tiếp tục học” brings them back to it.

    Pass the person's enrolment if the caller already loaded it; otherwise it is created.
    """
    if enrolment is None:
        enrolment = enrolment_start(person=person, course=course)
    now = timezone.now()
    # One conditional UPDATE: concurrent tabs just overwrite the bookmark with the latest lesson.
    Enrolment.objects.filter(pk=enrolment.pk).update(
        last_lesson=lesson,
        last_activity_at=now,
        started_at=Coalesce(F("started_at"), Value(now)),
        status=Case(
            When(status=Enrolment.Status.NOT_STARTED, then=Value(Enrolment.Status.IN_PROGRESS)),
            default=F("status"),
        ),
    )
    enrolment.last_lesson_id = lesson.pk
    enrolment.last_activity_at = now
    enrolment.course = course
    return enrolment


def lesson_complete(*, person, lesson: LessonPage, course: CoursePage) -> Enrolment:
    """Mark a lesson as done (“Đánh dấu đã học”); idempotent; may complete the course."""
    now = timezone.now()
    with transaction.atomic():
        try:
            with transaction.atomic():
                LessonProgress.objects.get_or_create(
                    person=person, lesson=lesson, defaults={"completed_at": now}
                )
        except IntegrityError:
            pass  # a parallel request recorded it first; the row is what matters
        enrolment = lesson_visit(person=person, lesson=lesson, course=course)
        enrolment_refresh_progress(enrolment=enrolment)
        enrolment_complete_if_done(enrolment=enrolment)
    enrolment.refresh_from_db()
    return enrolment


def _progress_counts(enrolment: Enrolment) -> tuple[int, int]:
    counted = course_counted_lesson_ids(course=enrolment.course)
    if not counted:
        return 0, 0
    done = LessonProgress.objects.filter(
        person_id=enrolment.person_id, lesson_id__in=counted
    ).count()
    return done, len(counted)


def enrolment_refresh_progress(*, enrolment: Enrolment) -> int:
    """Recompute the percentage of counted lessons done. A completed enrolment keeps 100%."""
    done, total = _progress_counts(enrolment)
    percent = 0 if total == 0 else min(100, (done * 100) // total)
    Enrolment.objects.filter(pk=enrolment.pk).exclude(status=Enrolment.Status.COMPLETED).update(
        percent=percent
    )
    return percent


def course_extra_requirements_met(*, enrolment: Enrolment) -> bool:
    """Requirements beyond the lessons: the course's final quiz, graded as the quiz says, passed.

    In-person attendance does not pass through here: training completes the assignment itself
    when a requirement accepts attendance (courses may not import training).
    """
    quiz_id = (
        CoursePage.objects.filter(pk=enrolment.course_id)
        .values_list("final_quiz_id", flat=True)
        .first()
    )
    if quiz_id is None:
        return True
    return quiz_passed(quiz_id=quiz_id, person_id=enrolment.person_id)


def courses_complete_after_quiz(*, quiz_id: int, person_id: int) -> list[int]:
    """A graded final quiz may complete the courses that use it. Returns the completed course ids."""
    completed = []
    for enrolment in Enrolment.objects.filter(
        person_id=person_id, course__final_quiz_id=quiz_id
    ).exclude(status=Enrolment.Status.COMPLETED):
        if enrolment_complete_if_done(enrolment=enrolment):
            completed.append(enrolment.course_id)
    return completed


def enrolment_complete_if_done(*, enrolment: Enrolment) -> bool:
    """The one place that decides course completion. Returns True only for the call that completed it.

    Completion is a conditional UPDATE from “not completed” to “completed”: of two racing calls,
    exactly one changes the row, and only that one announces `course_completed` (after commit).
    A completed enrolment is never reverted, whatever later happens to the course's content.
    """
    if enrolment.status == Enrolment.Status.COMPLETED:
        return False
    done, total = _progress_counts(enrolment)
    if total == 0 or done < total or not course_extra_requirements_met(enrolment=enrolment):
        return False
    now = timezone.now()
    changed = (
        Enrolment.objects.filter(pk=enrolment.pk)
        .exclude(status=Enrolment.Status.COMPLETED)
        .update(status=Enrolment.Status.COMPLETED, completed_at=now, percent=100)
    )
    if not changed:
        return False
    enrolment.status, enrolment.completed_at, enrolment.percent = (
        Enrolment.Status.COMPLETED,
        now,
        100,
    )
    person_id, course_id = enrolment.person_id, enrolment.course_id
    transaction.on_commit(
        lambda: course_completed.send(
            sender=Enrolment, person_id=person_id, course_id=course_id, completed_at=now
        )
    )
    return True


def _next_year_slug(course: CoursePage, year: int) -> str:
    base = course.slug
    suffix = f"-{course.year}"
    if base.endswith(suffix):
        base = base[: -len(suffix)]
    slug = slugify(f"{base}-{year}")
    siblings = course.get_parent().get_children()
    candidate, n = slug, 2
    while siblings.filter(slug=candidate).exists():
        candidate, n = f"{slug}-{n}", n + 1
    return candidate


def course_copy_next_year(*, course: CoursePage, user=None) -> CoursePage:
    """Copy a course with all its modules and lessons as next year's draft version.

    The copy is a new set of pages (new ids), so nobody's progress moves to it; it is not live
    until a trainer publishes it.
    """
    year = course.year + 1
    new_title = course.title.replace(str(course.year), str(year))
    if new_title == course.title:
        new_title = f"{course.title} ({year})"
    with transaction.atomic():
        copy = course.copy(
            recursive=True,
            to=course.get_parent(),
            update_attrs={
                "title": new_title,
                "draft_title": new_title,
                "slug": _next_year_slug(course, year),
                "year": year,
                "version_label": "",
            },
            keep_live=False,
            user=user,
            log_action="wagtail.copy",
        )
    return copy.specific
