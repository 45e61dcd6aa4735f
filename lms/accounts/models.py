from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A login. The human behind it (name, phone, positions) is an org.Person."""

    must_change_password = models.BooleanField(
        _("phải đổi mật khẩu"),
        default=False,
        help_text=_("Bắt buộc đổi mật khẩu ở lần đăng nhập tiếp theo."),
    )
    is_citizen = models.BooleanField(
        _("tài khoản người dân"),
        default=False,
        editable=False,
        help_text=_(
            "Tự đăng ký trên trang công khai. Không bao giờ được vào trang quản trị, "
            "không đọc được khóa học dành cho cán bộ."
        ),
    )

    objects = UserManager()

    class Meta(AbstractUser.Meta):
        verbose_name = _("tài khoản")
        verbose_name_plural = _("tài khoản")
        constraints = [
            models.UniqueConstraint(
                models.functions.Lower("email"),
                condition=~models.Q(email=""),
                name="accounts_user_email_ci_unique",
            )
        ]

    def save(self, *args, **kwargs):
        self.email = (self.email or "").strip().lower()
        if self.is_citizen:
            # A self-registered account is never staff, whatever a form or script sets.
            self.is_staff = self.is_superuser = False
        super().save(*args, **kwargs)

    # Citizens hold no permission at all: no group or role granted later opens the admin to them.
    def has_perm(self, perm, obj=None) -> bool:
        return not self.is_citizen and super().has_perm(perm, obj)

    def has_perms(self, perm_list, obj=None) -> bool:
        return not self.is_citizen and super().has_perms(perm_list, obj)

    def has_module_perms(self, app_label) -> bool:
        return not self.is_citizen and super().has_module_perms(app_label)


class CitizenProfile(models.Model):
    """What a citizen gave when signing up, beyond the person record: residence and consent."""

    user = models.OneToOneField(
        User,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="citizen_profile",
        verbose_name=_("tài khoản"),
    )
    residence_unit = models.ForeignKey(
        "org.Unit",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("nơi cư trú"),
        help_text=_("Xã, phường hoặc thôn, tổ dân phố nơi người dân sinh sống (không bắt buộc)."),
    )
    consented_at = models.DateTimeField(_("đồng ý điều khoản lúc"))
    created_at = models.DateTimeField(_("đăng ký lúc"), auto_now_add=True)

    class Meta:
        verbose_name = _("hồ sơ người dân")
        verbose_name_plural = _("hồ sơ người dân")

    def __str__(self) -> str:
        return str(self.user)


class PasswordResetRecord(models.Model):
    """Audit trail: who reset whose password from the staff screens, and when."""

    user = models.ForeignKey(
        User,
        on_delete=models.CASCADE,
        related_name="password_resets",
        verbose_name=_("tài khoản được đặt lại"),
    )
    actor = models.ForeignKey(
        User,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("người thực hiện"),
    )
    account_created = models.BooleanField(_("tạo tài khoản mới"), default=False)
    created_at = models.DateTimeField(_("thời điểm"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("lần đặt lại mật khẩu")
        verbose_name_plural = _("lịch sử đặt lại mật khẩu")

    def __str__(self) -> str:
        return f"{self.user} ({self.created_at:%d/%m/%Y %H:%M})"
