"""Learner views: dashboard, catalogue and search, lesson reader, mark-as-done, knowledge checks."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from lms.org.api import TargetGroup

from . import selectors, services
from .dashboard import dashboard_sections_for
from .models import CoursePage, LessonPage
from .receivers import PENDING_ENROLMENT_SESSION_KEY

NO_PROFILE = _("Tài khoản này chưa gắn với hồ sơ người học; hãy liên hệ quản lý đơn vị.")
LESSON_DONE = _("Đã ghi nhận: bạn đã học xong bài “%(title)s”.")
COURSE_DONE = _("Chúc mừng! Bạn đã hoàn thành khóa học “%(title)s”.")
QUIZ_NEXT = _(
    "Bạn đã học xong các bài bắt buộc. Hãy làm bài kiểm tra cuối khóa để hoàn thành khóa học."
)
CHOOSE_AN_ANSWER = _("Hãy chọn một phương án trước khi kiểm tra.")
ALL_GROUPS = "tat-ca"


@login_required
def dashboard(request):
    """“Học tập của tôi”: what I am studying, what I finished, what is meant for me."""
    person = selectors.person_for_user(request.user)
    board = selectors.dashboard_for(person=person) if person else None
    sections = dashboard_sections_for(person=person, request=request) if person else []
    is_citizen = getattr(request.user, "is_citizen", False)
    # Citizens hold no position, so nothing is “meant for them”: offer the open courses instead.
    open_courses = (
        selectors.open_courses_for(person=person, user=request.user) if is_citizen else []
    )
    return render(
        request,
        "courses/dashboard.html",
        {
            "person": person,
            "board": board,
            "sections": sections,
            "is_citizen": is_citizen,
            "open_courses": open_courses,
        },
    )


def catalogue(request):
    """All courses I may read, filtered by target group (default: my groups), with search."""
    person = selectors.person_for_user(request.user)
    query = (request.GET.get("q") or "").strip()[:200]
    requested = request.GET.get("nhom")
    my_codes: list[str] = []
    if person is not None:
        my_codes = list(
            person.positions.current().values_list("target_group__code", flat=True).distinct()
        )
    if requested is None:
        group_codes = my_codes
        selected = "" if not my_codes else "cua-toi"
    elif requested in ("", ALL_GROUPS):
        group_codes, selected = [], ALL_GROUPS
    elif requested == "cua-toi":
        group_codes, selected = my_codes, "cua-toi"
    else:
        group_codes, selected = [requested], requested
    if query:
        # A search looks everywhere the learner may read, not only in the current filter.
        group_codes, selected = [], ALL_GROUPS
    courses = list(
        selectors.catalogue_courses(user=request.user, group_codes=group_codes, query=query)
    )
    lessons = selectors.lessons_search(user=request.user, query=query) if query else []
    groups = list(TargetGroup.objects.filter(is_active=True).order_by("sort_order", "name"))
    return render(
        request,
        "courses/catalogue.html",
        {
            "courses": courses,
            "lessons": lessons,
            "query": query,
            "groups": groups,
            "selected": selected,
            "has_my_groups": bool(my_codes),
            "ALL_GROUPS": ALL_GROUPS,
        },
    )


def _course_or_404(request, course_id: int) -> CoursePage:
    return get_object_or_404(selectors.visible_courses(user=request.user), pk=course_id)


@require_POST
def course_enrol(request, course_id: int):
    """“Bắt đầu học” / “Đăng ký học”: enrol (once) and open the lesson to continue from.

    A visitor is sent to sign up (or log in) and comes back to the course already enrolled: the
    course is remembered in the session and enrolled by the login receiver.
    """
    course = _course_or_404(request, course_id)
    if not request.user.is_authenticated:
        request.session[PENDING_ENROLMENT_SESSION_KEY] = course.pk
        query = urlencode({"next": course.get_url(request)})
        return redirect(f"{reverse('accounts:signup')}?{query}")
    person = selectors.person_for_user(request.user)
    if person is None:
        messages.error(request, NO_PROFILE)
        return redirect(course.get_url(request))
    services.enrolment_start(person=person, course=course)
    resume = selectors.course_outline(course=course, request=request).resume
    return redirect(resume.url if resume else course.get_url(request))


def lesson_serve(request, *, lesson: LessonPage, course: CoursePage):
    """The lesson reader (called from LessonPage.serve, after the access check)."""
    outline = selectors.course_outline(course=course, request=request)
    previous, following, number = outline.neighbours(lesson.pk)
    is_preview = getattr(request, "is_preview", False)
    if outline.person is not None and lesson.pk and not is_preview:
        outline.enrolment = services.lesson_visit(
            person=outline.person, lesson=lesson, course=course, enrolment=outline.enrolment
        )
    done = any(item.done for item in outline.lessons if item.lesson.pk == lesson.pk)
    return TemplateResponse(
        request,
        lesson.get_template(request),
        {
            **lesson.get_context(request),
            "course": course,
            "outline": outline,
            "previous": previous,
            "next": following,
            "number": number,
            "done": done,
        },
    )


def _lesson_or_404(request, lesson_id: int) -> tuple[LessonPage, CoursePage]:
    lesson = get_object_or_404(LessonPage.objects.live().public(), pk=lesson_id)
    course = lesson.course_for_access()
    if not course.live or (
        course.audience == CoursePage.Audience.STAFF
        and not selectors.may_read_staff_courses(request.user)
    ):
        raise Http404
    return lesson, course


@require_POST
@login_required
def lesson_done(request, lesson_id: int):
    """“Đánh dấu đã học”. Safe to repeat: a second click or a retry changes nothing."""
    lesson, course = _lesson_or_404(request, lesson_id)
    person = selectors.person_for_user(request.user)
    if person is None:
        messages.error(request, NO_PROFILE)
        return redirect(lesson.get_url(request))
    was_completed = bool(
        (enrolment := selectors.enrolment_for(person=person, course=course))
        and enrolment.is_completed
    )
    enrolment = services.lesson_complete(person=person, lesson=lesson, course=course)
    messages.success(request, LESSON_DONE % {"title": lesson.title})
    if enrolment.is_completed and not was_completed:
        messages.success(request, COURSE_DONE % {"title": course.title})
        return redirect(course.get_url(request))
    outline = selectors.course_outline(course=course, request=request)
    _previous, following, _number = outline.neighbours(lesson.pk)
    if following is None and course.final_quiz_id and outline.done >= outline.counted:
        messages.info(request, QUIZ_NEXT)
    return redirect(following.url if following else course.get_url(request))


@require_POST
def check_answer(request, lesson_id: int, block_id: str):
    """Answer an ungraded knowledge check. The right answer never reaches the page before this."""
    lesson, _course = _lesson_or_404(request, lesson_id)
    block = lesson.check_block(block_id)
    if block is None:
        raise Http404
    choices = list(block.value["choices"])
    raw = request.POST.get("choice", "")
    chosen = int(raw) if raw.isdigit() and int(raw) < len(choices) else None
    context = {
        "lesson": lesson,
        "block_id": block_id,
        "value": block.value,
        "answered": chosen is not None,
        "correct": chosen is not None and bool(choices[chosen]["correct"]),
        "chosen_text": choices[chosen]["text"] if chosen is not None else "",
        "error": None if chosen is not None else CHOOSE_AN_ANSWER,
        "lesson_url": lesson.get_url(request),
    }
    if request.headers.get("X-Requested-With") == "fetch":
        response = render(request, "courses/includes/check_result.html", context)
        if chosen is None:
            response.status_code = HttpResponseBadRequest.status_code
        return response
    return render(request, "courses/check_answer.html", context)
