"""Learner progress: enrolments (person × course) and lesson progress (person × lesson).

Rows point at page ids, never at revisions, so editing and republishing a course keeps progress.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class EnrolmentQuerySet(models.QuerySet):
    def for_person(self, person) -> EnrolmentQuerySet:
        return self.filter(person=person)

    def completed(self) -> EnrolmentQuerySet:
        return self.filter(status=Enrolment.Status.COMPLETED)

    def in_progress(self) -> EnrolmentQuerySet:
        return self.exclude(status=Enrolment.Status.COMPLETED)


class Enrolment(models.Model):
    class Source(models.TextChoices):
        SELF = "self", _("Tự đăng ký")
        ASSIGNED = "assigned", _("Theo kế hoạch bồi dưỡng")
        MANAGER = "manager", _("Do quản lý giao")

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("Chưa bắt đầu")
        IN_PROGRESS = "in_progress", _("Đang học")
        COMPLETED = "completed", _("Đã hoàn thành")

    person = models.ForeignKey(
        "org.Person",
        on_delete=models.CASCADE,
        related_name="enrolments",
        verbose_name=_("người học"),
    )
    course = models.ForeignKey(
        "courses.CoursePage",
        on_delete=models.PROTECT,
        related_name="enrolments",
        verbose_name=_("khóa học"),
    )
    source = models.CharField(
        _("nguồn"), max_length=10, choices=Source.choices, default=Source.SELF
    )
    status = models.CharField(
        _("trạng thái"), max_length=12, choices=Status.choices, default=Status.NOT_STARTED
    )
    percent = models.PositiveSmallIntegerField(_("tiến độ (%)"), default=0)
    started_at = models.DateTimeField(_("bắt đầu lúc"), null=True, blank=True)
    completed_at = models.DateTimeField(_("hoàn thành lúc"), null=True, blank=True)
    last_lesson = models.ForeignKey(
        "courses.LessonPage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("bài học gần nhất"),
    )
    last_activity_at = models.DateTimeField(_("hoạt động gần nhất"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = EnrolmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("ghi danh")
        verbose_name_plural = _("ghi danh")
        ordering = ["-last_activity_at", "-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["person", "course"], name="courses_enrolment_unique"),
            models.CheckConstraint(
                condition=Q(percent__lte=100), name="courses_enrolment_percent_range"
            ),
            models.CheckConstraint(
                condition=~Q(status="completed") | Q(completed_at__isnull=False),
                name="courses_enrolment_completed_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} — {self.course_id} ({self.get_status_display()})"

    @property
    def is_completed(self) -> bool:
        return self.status == self.Status.COMPLETED


class LessonProgress(models.Model):
    person = models.ForeignKey(
        "org.Person",
        on_delete=models.CASCADE,
        related_name="lesson_progress",
        verbose_name=_("người học"),
    )
    lesson = models.ForeignKey(
        "courses.LessonPage",
        on_delete=models.CASCADE,
        related_name="progress",
        verbose_name=_("bài học"),
    )
    completed_at = models.DateTimeField(_("đã học lúc"))

    class Meta:
        verbose_name = _("tiến độ bài học")
        verbose_name_plural = _("tiến độ bài học")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "lesson"], name="courses_lessonprogress_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person_id} — {self.lesson_id}"
