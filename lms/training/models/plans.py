"""Yearly plans → requirements → one assignment per person, requirement and unit."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Case, F, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable

from lms.org.api import Unit


class TrainingPlan(ClusterableModel):
    """The year's training plan (kế hoạch bồi dưỡng) of a unit and everything below it."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Dự thảo")
        ACTIVE = "active", _("Đang thực hiện")
        CLOSED = "closed", _("Đã kết thúc")

    year = models.PositiveSmallIntegerField(_("năm"))
    title = models.CharField(_("tên kế hoạch"), max_length=255)
    scope_unit = models.ForeignKey(
        "org.Unit",
        on_delete=models.PROTECT,
        related_name="training_plans",
        verbose_name=_("đơn vị ban hành"),
        help_text=_("Kế hoạch áp dụng cho đơn vị này và mọi đơn vị trực thuộc."),
    )
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("người lập"),
    )
    created_at = models.DateTimeField(_("ngày lập"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    panels = [
        FieldPanel("title"),
        FieldPanel("year"),
        FieldPanel("scope_unit"),
        FieldPanel("status"),
        InlinePanel("requirements", label=_("Yêu cầu bồi dưỡng"), min_num=0),
    ]

    class Meta:
        ordering = ["-year", "scope_unit__path"]
        verbose_name = _("kế hoạch bồi dưỡng")
        verbose_name_plural = _("kế hoạch bồi dưỡng")
        constraints = [
            models.UniqueConstraint(
                fields=["scope_unit", "year"], name="training_plan_one_per_unit_year"
            ),
            models.CheckConstraint(
                condition=Q(year__gte=2000) & Q(year__lte=2100), name="training_plan_year_range"
            ),
        ]

    def __str__(self) -> str:
        return self.title if str(self.year) in self.title else f"{self.title} ({self.year})"


class Requirement(Orderable, ClusterableModel):
    """Target groups × course × due date × units in scope, inside one plan."""

    plan = ParentalKey(
        TrainingPlan,
        on_delete=models.CASCADE,
        related_name="requirements",
        verbose_name=_("kế hoạch"),
    )
    course = models.ForeignKey(
        "courses.CoursePage",
        on_delete=models.PROTECT,
        related_name="training_requirements",
        verbose_name=_("khóa học"),
    )
    target_groups = ParentalManyToManyField(
        "org.TargetGroup", related_name="training_requirements", verbose_name=_("nhóm đối tượng")
    )
    units = ParentalManyToManyField(
        "org.Unit",
        blank=True,
        related_name="training_requirements",
        verbose_name=_("đơn vị áp dụng"),
        help_text=_(
            "Áp dụng cho các đơn vị này và đơn vị trực thuộc. Để trống: toàn bộ phạm vi kế hoạch."
        ),
    )
    due_date = models.DateField(_("hạn hoàn thành"))
    mid_year_days = models.PositiveSmallIntegerField(
        _("số ngày cho người mới đảm nhiệm"),
        default=60,
        help_text=_(
            "Người nhận vị trí trong năm có hạn = ngày nhận vị trí + số ngày này "
            "(nếu muộn hơn hạn chung)."
        ),
    )
    attendance_counts = models.BooleanField(
        _("tính điểm danh lớp tập huấn"),
        default=True,
        help_text=_("Tham dự lớp tập huấn trực tiếp của khóa học được tính là hoàn thành."),
    )
    recurrence_yearly = models.BooleanField(
        _("bồi dưỡng lại hằng năm"),
        default=True,
        help_text=_("Yêu cầu được chép sang kế hoạch năm sau."),
    )

    panels = [
        FieldPanel("course"),
        FieldPanel("target_groups"),
        FieldPanel("units"),
        MultiFieldPanel(
            [
                FieldPanel("due_date"),
                FieldPanel("mid_year_days"),
                FieldPanel("attendance_counts"),
                FieldPanel("recurrence_yearly"),
            ],
            heading=_("Thời hạn và cách tính"),
        ),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("yêu cầu bồi dưỡng")
        verbose_name_plural = _("yêu cầu bồi dưỡng")

    def __str__(self) -> str:
        return f"{self.course} — {self.plan}"

    def due_date_for(self, *, start: dt.date, year: int) -> dt.date:
        """Due date for someone who took up the position on `start` (mid-year appointees later)."""
        if start <= dt.date(year, 1, 1):
            return self.due_date
        return max(self.due_date, start + dt.timedelta(days=self.mid_year_days))


class AssignmentQuerySet(models.QuerySet):
    def for_year(self, year: int) -> AssignmentQuerySet:
        return self.filter(year=year)

    def for_unit_tree(self, unit: Unit) -> AssignmentQuerySet:
        return self.filter(unit__path__startswith=unit.path)

    def counting(self) -> AssignmentQuerySet:
        """Obligations that count against their unit (the denominator of “trained / required”)."""
        return self.filter(active=True).exclude(status=Assignment.Status.EXEMPT)

    def open(self) -> AssignmentQuerySet:
        return self.filter(
            active=True,
            status__in=[Assignment.Status.NOT_STARTED, Assignment.Status.IN_PROGRESS],
        )

    def overdue(self, today: dt.date | None = None) -> AssignmentQuerySet:
        return self.open().filter(due_date__lt=today or timezone.localdate())

    def with_effective_status(self, today: dt.date | None = None) -> AssignmentQuerySet:
        """Annotate `effective_status`: the stored status, or “overdue” once an open one is late."""
        today = today or timezone.localdate()
        return self.annotate(
            effective_status=Case(
                When(
                    Q(
                        status__in=[
                            Assignment.Status.NOT_STARTED,
                            Assignment.Status.IN_PROGRESS,
                        ]
                    )
                    & Q(due_date__lt=today),
                    then=Value(Assignment.Status.OVERDUE.value),
                ),
                default=F("status"),
                output_field=models.CharField(),
            )
        )

    def with_effective_status_in(
        self, statuses: list[str], today: dt.date | None = None
    ) -> AssignmentQuerySet:
        return self.with_effective_status(today).filter(effective_status__in=statuses)


class Assignment(models.Model):
    """One person's obligation to complete one requirement, counted against one unit."""

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("Chưa học")
        IN_PROGRESS = "in_progress", _("Đang học")
        COMPLETED = "completed", _("Đã hoàn thành")
        # Never stored: computed in queries (with_effective_status) so it is never stale.
        OVERDUE = "overdue", _("Quá hạn")
        EXEMPT = "exempt", _("Miễn")

    class Via(models.TextChoices):
        ONLINE = "online", _("Học trực tuyến")
        IN_PERSON = "in_person", _("Tập huấn trực tiếp")
        MANUAL = "manual", _("Ghi nhận thủ công")

    class Source(models.TextChoices):
        POSITION = "position", _("Theo vị trí đảm nhiệm")
        MANAGER = "manager", _("Do quản lý giao")

    person = models.ForeignKey(
        "org.Person",
        on_delete=models.CASCADE,
        related_name="training_assignments",
        verbose_name=_("người học"),
    )
    requirement = models.ForeignKey(
        Requirement,
        on_delete=models.PROTECT,
        related_name="assignments",
        verbose_name=_("yêu cầu"),
    )
    position = models.ForeignKey(
        "org.PositionAssignment",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="training_assignments",
        verbose_name=_("vị trí"),
    )
    unit = models.ForeignKey(
        "org.Unit",
        on_delete=models.PROTECT,
        related_name="training_assignments",
        verbose_name=_("đơn vị"),
    )
    year = models.PositiveSmallIntegerField(_("năm"), db_index=True)
    due_date = models.DateField(_("hạn hoàn thành"))
    status = models.CharField(
        _("trạng thái"), max_length=12, choices=Status.choices, default=Status.NOT_STARTED
    )
    completed_at = models.DateTimeField(_("hoàn thành lúc"), null=True, blank=True)
    completed_via = models.CharField(
        _("hình thức hoàn thành"), max_length=10, choices=Via.choices, blank=True
    )
    exempt_reason = models.TextField(_("lý do miễn"), blank=True)
    exempt_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("người duyệt miễn"),
    )
    exempt_at = models.DateTimeField(_("miễn lúc"), null=True, blank=True)
    source = models.CharField(
        _("nguồn"), max_length=10, choices=Source.choices, default=Source.POSITION
    )
    active = models.BooleanField(
        _("đang tính"),
        default=True,
        help_text=_("Không tính khi người học đã thôi vị trí trước hạn (vẫn giữ lịch sử)."),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        ordering = ["due_date", "id"]
        verbose_name = _("nhiệm vụ bồi dưỡng")
        verbose_name_plural = _("nhiệm vụ bồi dưỡng")
        constraints = [
            # Holding the same requirement through two positions in two units counts once per unit.
            models.UniqueConstraint(
                fields=["person", "requirement", "unit"], name="training_assignment_unique"
            ),
            models.CheckConstraint(
                condition=~Q(status="overdue"), name="training_assignment_overdue_not_stored"
            ),
            models.CheckConstraint(
                condition=~Q(status="completed") | Q(completed_at__isnull=False),
                name="training_assignment_completed_has_time",
            ),
            models.CheckConstraint(
                condition=~Q(status="exempt") | ~Q(exempt_reason=""),
                name="training_assignment_exempt_has_reason",
            ),
        ]
        indexes = [
            models.Index(fields=["year", "unit", "status"]),
            models.Index(fields=["person", "year"]),
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.requirement.course} ({self.year})"

    @property
    def is_open(self) -> bool:
        return self.status in (self.Status.NOT_STARTED, self.Status.IN_PROGRESS)

    def effective_status_on(self, day: dt.date) -> str:
        if self.is_open and self.due_date < day:
            return self.Status.OVERDUE
        return self.status
