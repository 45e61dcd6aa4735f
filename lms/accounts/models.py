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
        super().save(*args, **kwargs)


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
