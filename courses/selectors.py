"""Reads for the learner site. Each selector runs a fixed number of queries, whatever the sizes."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from lms.core.text import fold
from lms.org.api import Person, PositionAssignment, TargetGroup

from .models import CoursePage, Enrolment, LessonPage, LessonProgress, ModulePage

SEARCH_RESULT_LIMIT = 30


def person_for_user(user) -> Person | None:
    """The learner profile behind a login, or None (anonymous, or a staff account without one)."""
    if not getattr(user, "is_authenticated", False):
        return None
    cached = getattr(user, "_courses_person", False)
    if cached is False:
        cached = Person.objects.filter(user=user).first()
        user._courses_person = cached
    return cached


def may_read_staff_courses(user) -> bool:
    """Staff-only courses are for logged-in officials: never anonymous visitors or citizens."""
    return getattr(user, "is_authenticated", False) and not getattr(user, "is_citizen", False)


def visible_courses(*, user) -> QuerySet[CoursePage]:
    """Live, unrestricted courses; staff-only ones only for officials. Heavy fields deferred."""
    qs = CoursePage.objects.live().public().defer("description", "search_text")
    if not may_read_staff_courses(user):
        qs = qs.filter(audience=CoursePage.Audience.PUBLIC)
    return qs


def quiz_in_open_course(*, quiz_id: int) -> bool:
    """Is this quiz the final quiz of a live course open to citizens? (citizens may take it)."""
    return (
        CoursePage.objects.live()
        .public()
        .filter(audience=CoursePage.Audience.PUBLIC, final_quiz_id=quiz_id)
        .exists()
    )


def open_courses_for(*, person: Person | None, user) -> list[CoursePage]:
    """Courses open to citizens that the person has not enrolled in yet (for their dashboard)."""
    qs = visible_courses(user=user).filter(audience=CoursePage.Audience.PUBLIC)
    if person is not None:
        qs = qs.exclude(enrolments__person=person)
    return list(course_cards(qs).order_by("-year", "title"))


def course_cards(qs: QuerySet[CoursePage]) -> QuerySet[CoursePage]:
    """What a course card needs: cover image with its renditions, and the target groups."""
    return qs.select_related("cover_image").prefetch_related(
        "cover_image__renditions",
        Prefetch("target_groups", queryset=TargetGroup.objects.order_by("sort_order", "name")),
    )


def catalogue_courses(
    *, user, group_codes: list[str] | None = None, query: str = ""
) -> QuerySet[CoursePage]:
    qs = visible_courses(user=user)
    if group_codes:
        qs = qs.filter(target_groups__code__in=group_codes).distinct()
    for term in fold(query).split():
        qs = qs.filter(search_text__contains=term)
    return course_cards(qs).order_by("-year", "title")


def lessons_search(*, user, query: str, limit: int = SEARCH_RESULT_LIMIT) -> list[LessonPage]:
    """Accent-insensitive search over lessons of the courses this user may read."""
    terms = fold(query).split()
    if not terms:
        return []
    course_paths = list(visible_courses(user=user).values_list("path", "title"))
    if not course_paths:
        return []
    within = Q()
    for path, _title in course_paths:
        within |= Q(path__startswith=path)
    qs = LessonPage.objects.live().public().filter(within).defer_streamfields().defer("search_text")
    for term in terms:
        qs = qs.filter(search_text__contains=term)
    lessons = list(qs.order_by("path")[:limit])
    for lesson in lessons:
        lesson.course_title = next(
            (title for path, title in course_paths if lesson.path.startswith(path)), ""
        )
    return lessons


def courses_for_person(*, person: Person, day: dt.date | None = None) -> QuerySet[CoursePage]:
    """Live courses meant for the target groups of the positions the person holds on `day`."""
    day = day or timezone.localdate()
    groups = PositionAssignment.objects.filter(person=person).active_on(day).values("target_group")
    qs = CoursePage.objects.live().public().defer("description", "search_text")
    return qs.filter(target_groups__in=groups).distinct()


def enrolment_for(*, person: Person, course: CoursePage) -> Enrolment | None:
    """The person's enrolment in the course, or None."""
    return Enrolment.objects.filter(person=person, course=course).first()


def course_counted_lesson_ids(*, course: CoursePage) -> list[int]:
    """Ids of the live lessons that count towards completing the course, under its rule."""
    qs = LessonPage.objects.live().descendant_of(course)
    if course.completion_rule == CoursePage.CompletionRule.REQUIRED_LESSONS:
        qs = qs.filter(required=True)
    return list(qs.values_list("pk", flat=True))


@dataclass
class LessonItem:
    lesson: LessonPage
    url: str
    done: bool
    number: int


@dataclass
class OutlineSection:
    module: ModulePage | None
    lessons: list[LessonItem] = field(default_factory=list)


@dataclass
class Outline:
    course: CoursePage
    sections: list[OutlineSection]
    lessons: list[LessonItem]
    enrolment: Enrolment | None
    person: Person | None
    counted: int
    done: int

    @property
    def percent(self) -> int:
        if self.enrolment and self.enrolment.is_completed:
            return 100
        return 0 if not self.counted else (self.done * 100) // self.counted

    @property
    def resume(self) -> LessonItem | None:
        """Where “Tiếp tục học” goes: the last lesson opened, else the first not yet done."""
        if not self.lessons:
            return None
        if self.enrolment and self.enrolment.last_lesson_id:
            for item in self.lessons:
                if item.lesson.pk == self.enrolment.last_lesson_id:
                    return item
        return next((item for item in self.lessons if not item.done), self.lessons[0])

    def neighbours(self, lesson_id: int) -> tuple[LessonItem | None, LessonItem | None, int]:
        for index, item in enumerate(self.lessons):
            if item.lesson.pk == lesson_id:
                previous = self.lessons[index - 1] if index else None
                following = self.lessons[index + 1] if index + 1 < len(self.lessons) else None
                return previous, following, index + 1
        return None, None, 0


def course_outline(*, course: CoursePage, request) -> Outline:
    """The course's modules and lessons in tree order, with this learner's status for each."""
    person = person_for_user(request.user)
    lessons = list(
        LessonPage.objects.live()
        .public()
        .descendant_of(course)
        .defer_streamfields()
        .defer("search_text")
        .order_by("path")
    )
    modules = list(
        ModulePage.objects.live()
        .public()
        .descendant_of(course)
        .order_by("path")
        .only("title", "path", "depth", "summary")
    )
    done_ids: set[int] = set()
    enrolment = None
    if person is not None and course.pk:
        done_ids = set(
            LessonProgress.objects.filter(
                person=person, lesson_id__in=[lesson.pk for lesson in lessons]
            ).values_list("lesson_id", flat=True)
        )
        enrolment = Enrolment.objects.filter(person=person, course_id=course.pk).first()
    by_path = {module.path: OutlineSection(module=module) for module in modules}
    loose = OutlineSection(module=None)
    items: list[LessonItem] = []
    for number, lesson in enumerate(lessons, start=1):
        item = LessonItem(
            lesson=lesson, url=lesson.get_url(request), done=lesson.pk in done_ids, number=number
        )
        items.append(item)
        by_path.get(lesson.path[: -lesson.steplen], loose).lessons.append(item)
    sections = ([loose] if loose.lessons else []) + [by_path[m.path] for m in modules]
    counted = [
        item
        for item in items
        if course.completion_rule == CoursePage.CompletionRule.ALL_LESSONS or item.lesson.required
    ]
    return Outline(
        course=course,
        sections=sections,
        lessons=items,
        enrolment=enrolment,
        person=person,
        counted=len(counted),
        done=sum(1 for item in counted if item.done),
    )


@dataclass
class Dashboard:
    person: Person
    in_progress: list[Enrolment]
    completed: list[Enrolment]
    for_you: list[CoursePage]


def dashboard_for(*, person: Person) -> Dashboard:
    """“Học tập của tôi”: my enrolments by status, and courses meant for my current positions."""
    enrolments = list(
        Enrolment.objects.filter(person=person)
        .select_related("course", "last_lesson")
        .defer(
            "course__description",
            "course__search_text",
            "last_lesson__body",
            "last_lesson__search_text",
        )
        .order_by("-last_activity_at", "-created_at")
    )
    enrolled_ids = [enrolment.course_id for enrolment in enrolments]
    for_you = list(
        course_cards(courses_for_person(person=person).exclude(pk__in=enrolled_ids)).order_by(
            "-year", "title"
        )
    )
    return Dashboard(
        person=person,
        in_progress=[e for e in enrolments if not e.is_completed],
        completed=[e for e in enrolments if e.is_completed],
        for_you=for_you,
    )
