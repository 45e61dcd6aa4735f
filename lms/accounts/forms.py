from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

MSG_INVALID_LOGIN = _(
    "Thông tin đăng nhập không đúng. Vui lòng kiểm tra lại tên đăng nhập và mật khẩu."
)
MSG_INACTIVE = _("Tài khoản này đã bị khóa.")


class LoginForm(AuthenticationForm):
    username = forms.CharField(
        label=_("Tên đăng nhập, số điện thoại hoặc email"),
        max_length=254,
        widget=forms.TextInput(
            attrs={"autofocus": True, "autocomplete": "username", "inputmode": "text"}
        ),
    )
    error_messages = {"invalid_login": MSG_INVALID_LOGIN, "inactive": MSG_INACTIVE}


class EmailPasswordResetForm(PasswordResetForm):
    """Finds the account by the email on the login or, failing that, on the person record."""

    email = forms.EmailField(
        label=_("Thư điện tử"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    def get_users(self, email):
        User = get_user_model()
        email = (email or "").strip()
        users = User.objects.filter(
            Q(email__iexact=email) | Q(email="", person__email__iexact=email),
            is_active=True,
        ).select_related("person")
        for user in users:
            if user.has_usable_password():
                yield user

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        # The account may have no email of its own: write to the address the person asked with.
        to_email = context["user"].email or self.cleaned_data["email"]
        super().send_mail(
            subject_template_name,
            email_template_name,
            context,
            from_email,
            to_email,
            html_email_template_name,
        )
