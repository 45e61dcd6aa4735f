import re
import unicodedata

from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lms.core.text import normalize_text

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


# --- Citizens: sign-up and profile -------------------------------------------------------

MSG_PHONE_INVALID = _(
    "Số điện thoại chưa đúng. Hãy nhập số di động hoặc cố định Việt Nam, ví dụ 0912 345 678."
)
MSG_PHONE_TAKEN = _(
    "Số điện thoại này đã có tài khoản. Hãy đăng nhập, hoặc dùng “Quên mật khẩu” nếu không nhớ."
)
MSG_EMAIL_TAKEN = _("Thư điện tử này đã được dùng cho một tài khoản khác.")
MSG_NAME_SHORT = _("Hãy nhập đầy đủ họ và tên.")
MSG_PASSWORD_SHORT = _("Mật khẩu này quá ngắn: cần ít nhất %(min)s ký tự.")
MSG_PASSWORD_MISMATCH = _("Hai lần nhập mật khẩu không khớp nhau.")
MSG_CONSENT_REQUIRED = _("Bạn cần đồng ý để tạo tài khoản.")
PHONE_PATTERN = re.compile(r"^0\d{9,10}$")


def citizen_phone_normalize(value: str | None) -> str:
    """ "+84 912 345 678", "0912.345.678" and full-width digits all become "0912345678"."""
    from lms.org.models import normalize_phone

    return normalize_phone(unicodedata.normalize("NFKC", value or ""))


def residence_choices() -> list[tuple[str, str]]:
    """Active localities below the top of the tree, each hamlet labelled with its commune."""
    from lms.org.models import Unit

    units = list(
        Unit.objects.active()
        .filter(kind__is_locality=True, depth__gt=1)
        .only("pk", "name", "path", "depth")
        .order_by("path")
    )
    names: dict[str, str] = {}
    choices = [("", _("— Không chọn —"))]
    for unit in units:
        parent = names.get(unit.path[: -Unit.steplen])
        label = f"{parent} — {unit.name}" if parent else unit.name
        names[unit.path] = unit.name
        choices.append((str(unit.pk), label))
    return choices


class CitizenDetailsForm(forms.Form):
    """Name, phone, email and residence: shared by sign-up and the citizen's profile page."""

    full_name = forms.CharField(
        label=_("Họ và tên"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    phone = forms.CharField(
        label=_("Số điện thoại"),
        max_length=30,
        help_text=_("Dùng để đăng nhập."),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    email = forms.EmailField(
        label=_("Thư điện tử (không bắt buộc)"),
        max_length=254,
        required=False,
        help_text=_("Cần có để tự lấy lại mật khẩu khi quên."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    residence_unit = forms.ChoiceField(
        label=_("Nơi cư trú: xã, phường hoặc thôn, tổ dân phố (không bắt buộc)"),
        required=False,
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user  # the account being edited (profile), None at sign-up
        self.fields["residence_unit"].choices = residence_choices()

    def clean_full_name(self) -> str:
        name = normalize_text(self.cleaned_data["full_name"])
        if len(name) < 2:
            raise forms.ValidationError(MSG_NAME_SHORT)
        return name

    def clean_phone(self) -> str:
        from lms.org.models import Person

        phone = citizen_phone_normalize(self.cleaned_data["phone"])
        if not PHONE_PATTERN.match(phone):
            raise forms.ValidationError(MSG_PHONE_INVALID)
        User = get_user_model()
        people = Person.objects.filter(phone=phone)
        logins = User.objects.filter(username__iexact=phone)
        if self.user is not None:
            people = people.exclude(user=self.user)
            logins = logins.exclude(pk=self.user.pk)
        if people.exists() or logins.exists():
            raise forms.ValidationError(MSG_PHONE_TAKEN)
        return phone

    def clean_email(self) -> str:
        from lms.org.models import Person

        email = normalize_text(self.cleaned_data.get("email")).lower()
        if not email:
            return ""
        User = get_user_model()
        logins = User.objects.filter(email__iexact=email)
        people = Person.objects.filter(email__iexact=email)
        if self.user is not None:
            logins = logins.exclude(pk=self.user.pk)
            people = people.exclude(user=self.user)
        if logins.exists() or people.exists():
            raise forms.ValidationError(MSG_EMAIL_TAKEN)
        return email

    def clean_residence_unit(self):
        from lms.org.models import Unit

        value = self.cleaned_data.get("residence_unit")
        if not value:
            return None
        # The choices were built from active localities, so the id is one of them.
        return Unit.objects.get(pk=int(value))


def _vietnamese(error: forms.ValidationError) -> forms.ValidationError:
    """Django's Vietnamese catalogue lacks the (plural) too-short message: give our own."""
    if error.code == "password_too_short":
        minimum = (error.params or {}).get("min_length", 8)
        return forms.ValidationError(MSG_PASSWORD_SHORT % {"min": minimum}, code=error.code)
    return error


class CitizenSignupForm(CitizenDetailsForm):
    """“Đăng ký tài khoản người dân”. `website` is a honeypot the page hides from people."""

    password1 = forms.CharField(
        label=_("Mật khẩu"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Ít nhất 8 ký tự, không quá dễ đoán, không toàn chữ số."),
    )
    password2 = forms.CharField(
        label=_("Nhập lại mật khẩu"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    consent = forms.BooleanField(
        label=_(
            "Tôi đồng ý để hệ thống lưu họ tên, số điện thoại, thư điện tử và nơi cư trú "
            "của tôi nhằm ghi nhận kết quả học tập."
        ),
        error_messages={"required": MSG_CONSENT_REQUIRED},
    )
    website = forms.CharField(
        label=_("Để trống ô này"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def clean(self):
        cleaned = super().clean()
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", MSG_PASSWORD_MISMATCH)
        elif password1:
            User = get_user_model()
            probe = User(
                username=cleaned.get("phone") or "",
                email=cleaned.get("email") or "",
                first_name=cleaned.get("full_name") or "",
            )
            try:
                password_validation.validate_password(password1, probe)
            except forms.ValidationError as error:
                self.add_error("password1", [_vietnamese(item) for item in error.error_list])
        return cleaned

    @property
    def is_bot(self) -> bool:
        return bool((self.data.get("website") or "").strip())
