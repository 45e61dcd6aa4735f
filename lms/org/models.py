"""Units (a tree of any depth), target groups, people, their positions, and staff roles."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from treebeard.mp_tree import MP_Node, MP_NodeManager, MP_NodeQuerySet

from lms.core.text import fold, name_sort_key, normalize_text


class UnitKind(models.Model):
    """Configurable kind of unit: province-level city, commune/ward/special zone, hamlet, agency…"""

    code = models.SlugField(_("mã"), max_length=40, unique=True)
    name = models.CharField(_("tên loại"), max_length=120)
    is_locality = models.BooleanField(
        _("là địa bàn dân cư"),
        default=False,
        help_text=_("Tỉnh/thành phố, xã/phường/đặc khu, thôn/ấp/khu phố/tổ dân phố."),
    )
    sort_order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("loại đơn vị")
        verbose_name_plural = _("loại đơn vị")

    def __str__(self) -> str:
        return self.name


class UnitQuerySet(MP_NodeQuerySet):
    def active_on(self, day: dt.date) -> UnitQuerySet:
        return self.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=day)).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gt=day)
        )

    def active(self) -> UnitQuerySet:
        return self.active_on(timezone.localdate())

    def overlapping_year(self, year: int) -> UnitQuerySet:
        start, end = dt.date(year, 1, 1), dt.date(year + 1, 1, 1)
        return self.filter(Q(valid_from__isnull=True) | Q(valid_from__lt=end)).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gt=start)
        )

    def subtree_of(self, units) -> UnitQuerySet:
        """Units at or below any of the given units (materialised-path prefix match)."""
        paths = [unit.path for unit in units]
        if not paths:
            return self.none()
        condition = Q()
        for path in paths:
            condition |= Q(path__startswith=path)
        return self.filter(condition)


class UnitManager(MP_NodeManager.from_queryset(UnitQuerySet)):
    def get_queryset(self) -> UnitQuerySet:
        return UnitQuerySet(self.model, using=self._db).order_by("path")


class Unit(MP_Node):
    """An agency, unit or locality (đơn vị). Units are never deleted: they end (valid_to)."""

    code = models.CharField(_("mã đơn vị"), max_length=40)
    name = models.CharField(_("tên đơn vị"), max_length=255)
    kind = models.ForeignKey(
        UnitKind, on_delete=models.PROTECT, related_name="units", verbose_name=_("loại")
    )
    place_name = models.CharField(
        _("địa danh"),
        max_length=120,
        blank=True,
        help_text=_("Dùng trong dòng “…, ngày … tháng … năm …” của văn bản, giấy chứng nhận."),
    )
    valid_from = models.DateField(_("hiệu lực từ"), null=True, blank=True)
    valid_to = models.DateField(
        _("hết hiệu lực từ"),
        null=True,
        blank=True,
        help_text=_("Để trống nếu đơn vị đang hoạt động."),
    )
    successor = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="predecessors",
        verbose_name=_("đơn vị kế thừa"),
    )
    search_text = models.CharField(max_length=400, blank=True, editable=False, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = UnitManager()
    node_order_by: list[str] = []

    class Meta:
        verbose_name = _("đơn vị")
        verbose_name_plural = _("đơn vị")
        constraints = [
            # A code names one current unit; ended units keep their code for history.
            models.UniqueConstraint(
                fields=["code"],
                condition=Q(valid_to__isnull=True),
                name="org_unit_code_unique_active",
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gt=models.F("valid_from")),
                name="org_unit_valid_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.fill_derived_fields()
        super().save(*args, **kwargs)

    def fill_derived_fields(self) -> None:
        """Normalise input and compute search_text; bulk writers (imports) call this too."""
        self.name = normalize_text(self.name)
        self.code = normalize_text(self.code).upper()
        self.place_name = normalize_text(self.place_name)
        self.search_text = f"{fold(self.name)} {self.code.lower()}"

    @property
    def is_active(self) -> bool:
        today = timezone.localdate()
        return (self.valid_from is None or self.valid_from <= today) and (
            self.valid_to is None or self.valid_to > today
        )


class UnitEvent(models.Model):
    """History of a unit: creation, rename, merge, dissolution. Read by historical reports."""

    class Kind(models.TextChoices):
        CREATED = "created", _("Thành lập")
        RENAMED = "renamed", _("Đổi tên")
        MERGED = "merged", _("Sáp nhập")
        DISSOLVED = "dissolved", _("Giải thể")

    unit = models.ForeignKey(
        Unit, on_delete=models.CASCADE, related_name="events", verbose_name=_("đơn vị")
    )
    kind = models.CharField(_("loại sự kiện"), max_length=20, choices=Kind.choices)
    date = models.DateField(_("ngày hiệu lực"))
    old_name = models.CharField(_("tên cũ"), max_length=255, blank=True)
    new_name = models.CharField(_("tên mới"), max_length=255, blank=True)
    successor = models.ForeignKey(
        Unit,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("đơn vị kế thừa"),
    )
    note = models.TextField(_("ghi chú"), blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["date", "id"]
        verbose_name = _("lịch sử đơn vị")
        verbose_name_plural = _("lịch sử đơn vị")

    def __str__(self) -> str:
        return f"{self.unit} — {self.get_kind_display()} ({self.date:%d/%m/%Y})"


class TargetGroup(models.Model):
    """A group whose members must be trained (đối tượng bồi dưỡng). Configurable data."""

    code = models.SlugField(_("mã"), max_length=60, unique=True)
    name = models.CharField(_("tên nhóm đối tượng"), max_length=255)
    short_name = models.CharField(_("tên ngắn"), max_length=80, blank=True)
    description = models.TextField(_("mô tả"), blank=True)
    legal_basis = models.CharField(_("căn cứ"), max_length=255, blank=True)
    requires_training = models.BooleanField(_("bắt buộc bồi dưỡng"), default=True)
    is_active = models.BooleanField(_("đang sử dụng"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("nhóm đối tượng")
        verbose_name_plural = _("nhóm đối tượng")

    def __str__(self) -> str:
        return self.short_name or self.name


class PersonQuerySet(models.QuerySet):
    def in_units(self, units) -> PersonQuerySet:
        """People holding a position (current or past) in any of the given units."""
        return self.filter(positions__unit__in=units).distinct()

    def with_current_position_in(self, units, *, day: dt.date | None = None) -> PersonQuerySet:
        day = day or timezone.localdate()
        return self.filter(
            Q(positions__unit__in=units),
            Q(positions__start_date__lte=day),
            Q(positions__end_date__isnull=True) | Q(positions__end_date__gt=day),
        ).distinct()

    def search(self, query: str) -> PersonQuerySet:
        terms = fold(query).split()
        qs = self
        for term in terms:
            qs = qs.filter(search_text__contains=term)
        return qs

    def ordered(self) -> PersonQuerySet:
        return self.order_by("sort_key", "id")


class Person(models.Model):
    """One human. Name stored as entered (NFC); sorted by given name with Vietnamese collation."""

    class Gender(models.TextChoices):
        MALE = "male", _("Nam")
        FEMALE = "female", _("Nữ")
        OTHER = "other", _("Khác")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
        verbose_name=_("tài khoản"),
    )
    full_name = models.CharField(_("họ và tên"), max_length=200)
    phone = models.CharField(_("số điện thoại"), max_length=20, null=True, blank=True, unique=True)
    email = models.EmailField(_("thư điện tử"), null=True, blank=True, unique=True)
    staff_code = models.CharField(_("mã cán bộ"), max_length=40, null=True, blank=True, unique=True)
    birth_date = models.DateField(_("ngày sinh"), null=True, blank=True)
    gender = models.CharField(_("giới tính"), max_length=10, choices=Gender.choices, blank=True)
    is_active = models.BooleanField(_("đang hoạt động"), default=True)
    sort_key = models.CharField(max_length=800, editable=False, db_index=True)
    search_text = models.CharField(max_length=500, editable=False, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PersonQuerySet.as_manager()

    class Meta:
        ordering = ["sort_key", "id"]
        verbose_name = _("người học")
        verbose_name_plural = _("người học")

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args, **kwargs):
        self.fill_derived_fields()
        super().save(*args, **kwargs)

    def fill_derived_fields(self) -> None:
        """Normalise input and compute sort_key/search_text; bulk writers (imports) call this too."""
        self.full_name = normalize_text(self.full_name)
        self.phone = normalize_phone(self.phone) or None
        self.email = normalize_text(self.email).lower() or None
        self.staff_code = normalize_text(self.staff_code).upper() or None
        self.sort_key = name_sort_key(self.full_name)
        self.search_text = " ".join(
            part
            for part in (
                fold(self.full_name),
                self.phone or "",
                self.email or "",
                (self.staff_code or "").lower(),
            )
            if part
        )

    @property
    def given_name(self) -> str:
        return self.full_name.rsplit(" ", 1)[-1]


def normalize_phone(value: str | None) -> str:
    """Vietnamese phone numbers to the domestic form: "+84 912 345 678" -> "0912345678"."""
    digits = "".join(ch for ch in normalize_text(value) if ch.isdigit() or ch == "+")
    if digits.startswith("+84"):
        digits = "0" + digits[3:]
    elif digits.startswith("84") and len(digits) == 11:
        digits = "0" + digits[2:]
    return digits.replace("+", "")


class PositionQuerySet(models.QuerySet):
    def active_on(self, day: dt.date) -> PositionQuerySet:
        return self.filter(start_date__lte=day).filter(
            Q(end_date__isnull=True) | Q(end_date__gt=day)
        )

    def current(self) -> PositionQuerySet:
        return self.active_on(timezone.localdate())

    def overlapping(self, start: dt.date, end: dt.date) -> PositionQuerySet:
        """Positions held at some time in [start, end)."""
        return self.filter(start_date__lt=end).filter(
            Q(end_date__isnull=True) | Q(end_date__gt=start)
        )

    def overlapping_year(self, year: int) -> PositionQuerySet:
        return self.overlapping(dt.date(year, 1, 1), dt.date(year + 1, 1, 1))


class PositionAssignment(models.Model):
    """Person × unit × target group over [start_date, end_date). Obligations follow positions."""

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="positions", verbose_name=_("người")
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="positions", verbose_name=_("đơn vị")
    )
    target_group = models.ForeignKey(
        TargetGroup,
        on_delete=models.PROTECT,
        related_name="positions",
        verbose_name=_("nhóm đối tượng"),
    )
    title = models.CharField(_("chức danh"), max_length=200, blank=True)
    start_date = models.DateField(_("từ ngày"))
    end_date = models.DateField(
        _("đến ngày"), null=True, blank=True, help_text=_("Để trống nếu còn đảm nhiệm.")
    )
    note = models.CharField(_("ghi chú"), max_length=255, blank=True)
    transferred_from = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("chuyển từ vị trí"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PositionQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date", "id"]
        verbose_name = _("vị trí đảm nhiệm")
        verbose_name_plural = _("vị trí đảm nhiệm")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gt=models.F("start_date")),
                name="org_position_valid_range",
            ),
        ]
        indexes = [models.Index(fields=["unit", "target_group", "start_date"])]

    def __str__(self) -> str:
        return f"{self.person} — {self.title or self.target_group} ({self.unit})"

    def save(self, *args, **kwargs):
        self.title = normalize_text(self.title)
        super().save(*args, **kwargs)

    def is_active_on(self, day: dt.date) -> bool:
        return self.start_date <= day and (self.end_date is None or self.end_date > day)


class StaffRole(models.Model):
    """A staff role held by a user, scoped to a unit subtree (no unit = the whole system)."""

    class Role(models.TextChoices):
        TRAINER = "trainer", _("Giảng viên, báo cáo viên")
        MANAGER = "manager", _("Quản lý đơn vị")
        ADMIN = "admin", _("Quản trị viên")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="staff_roles",
        verbose_name=_("tài khoản"),
    )
    role = models.CharField(_("vai trò"), max_length=20, choices=Role.choices)
    unit = models.ForeignKey(
        Unit,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff_roles",
        verbose_name=_("phạm vi đơn vị"),
        help_text=_(
            "Vai trò áp dụng cho đơn vị này và mọi đơn vị trực thuộc. Để trống: toàn hệ thống."
        ),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("vai trò quản trị")
        verbose_name_plural = _("vai trò quản trị")
        constraints = [
            models.UniqueConstraint(fields=["user", "role", "unit"], name="org_staffrole_unique")
        ]

    def __str__(self) -> str:
        scope = self.unit.name if self.unit_id else _("toàn hệ thống")
        return f"{self.user} — {self.get_role_display()} ({scope})"
