"""Wagtail admin: “copy as next year's version” for courses; no deleting a course people took."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.menus.pages import PageMenuItem

from . import services
from .models import CoursePage, Enrolment

COPY_DONE = _("Đã tạo bản nháp “%(title)s” cho năm %(year)s. Hãy rà soát rồi xuất bản.")
DELETE_REFUSED = _(
    "Không thể xóa khóa học “%(title)s” vì đã có người học ghi danh. "
    "Hãy hủy xuất bản để ẩn khóa học; lịch sử học tập được giữ nguyên."
)


def _can_copy_next_year(user, page) -> bool:
    if not isinstance(page.specific_deferred, CoursePage):
        return False
    return page.permissions_for_user(user).can_copy_to(page.get_parent(), recursive=True)


class CopyNextYearMenuItem(PageMenuItem):
    label = _("Sao chép thành phiên bản năm sau")
    icon_name = "copy"
    url_name = "courses_copy_next_year"
    priority = 25

    def is_shown(self, user):
        return _can_copy_next_year(user, self.page)


@hooks.register("register_page_listing_more_buttons")
def copy_next_year_listing_button(page, user, next_url=None):
    if page.specific_class is CoursePage:
        yield CopyNextYearMenuItem(page=page)


@hooks.register("register_page_header_buttons")
def copy_next_year_header_button(page, user, view_name, next_url=None):
    if page.specific_class is CoursePage:
        yield CopyNextYearMenuItem(page=page)


def copy_next_year_view(request, page_id: int):
    course = get_object_or_404(CoursePage, pk=page_id)
    if not _can_copy_next_year(request.user, course):
        raise PermissionDenied
    if request.method == "POST":
        copy = services.course_copy_next_year(course=course, user=request.user)
        messages.success(request, COPY_DONE % {"title": copy.title, "year": copy.year})
        return redirect("wagtailadmin_pages:edit", copy.pk)
    return TemplateResponse(
        request,
        "courses/admin/copy_next_year.html",
        {"course": course, "next_year": course.year + 1},
    )


@hooks.register("register_admin_urls")
def courses_admin_urls():
    return [
        path(
            "khoa-hoc/<int:page_id>/sao-chep-nam-sau/",
            copy_next_year_view,
            name="courses_copy_next_year",
        )
    ]


@hooks.register("before_delete_page")
def refuse_deleting_taken_courses(request, page):
    """Enrolments keep learners' history; a course that has any is unpublished, not deleted."""
    courses = CoursePage.objects.filter(path__startswith=page.path)
    taken = Enrolment.objects.filter(course__in=courses).values("course").first()
    if taken is None:
        return None
    if request.method == "POST":
        messages.error(request, DELETE_REFUSED % {"title": page.title})
        return redirect(reverse("wagtailadmin_explore", args=[page.get_parent().pk]))
    messages.warning(request, DELETE_REFUSED % {"title": page.title})
    return None
