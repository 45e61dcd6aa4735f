from urllib.parse import urlsplit

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db import IntegrityError
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods

from . import services
from .forms import (
    MSG_PHONE_TAKEN,
    CitizenDetailsForm,
    CitizenSignupForm,
    EmailPasswordResetForm,
    LoginForm,
)
from .ratelimit import signup_hit_is_limited

MSG_PASSWORD_CHANGED = _("Đã đổi mật khẩu.")
MSG_SIGNED_UP = _("Đã tạo tài khoản. Chào mừng %(name)s!")
MSG_TOO_MANY_SIGNUPS = _(
    "Có quá nhiều lượt đăng ký từ mạng của bạn trong ít phút qua. Vui lòng thử lại sau."
)
MSG_SIGNUP_REFUSED = _("Không thể tạo tài khoản từ yêu cầu này. Vui lòng thử lại.")
MSG_PROFILE_SAVED = _("Đã lưu thông tin của bạn.")
SIGNUP_BACKEND = "lms.accounts.backends.IdentifierBackend"


def user_may_open(user, url: str) -> bool:
    """Whether a redirect after login would be let in (avoids admin <-> login loops)."""
    path = urlsplit(url).path
    if getattr(user, "is_citizen", False) and path.startswith(("/admin/", "/django-admin/")):
        return False
    if path.startswith("/django-admin/"):
        return user.is_superuser
    if path.startswith("/admin/"):
        return user.has_perm("wagtailadmin.access_admin")
    return True


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def get_success_url(self):
        url = super().get_success_url()
        user = self.request.user
        if user.is_authenticated and not user_may_open(user, url):
            return resolve_url("accounts:home")
        return url


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:home")

    def form_valid(self, form):
        response = super().form_valid(form)
        user = form.user
        if user.must_change_password:
            user.must_change_password = False
            user.save(update_fields=["must_change_password"])
        messages.success(self.request, MSG_PASSWORD_CHANGED)
        next_url = self.request.GET.get("next")
        if next_url and url_has_allowed_host_and_scheme(
            next_url, {self.request.get_host()}, require_https=self.request.is_secure()
        ):
            return redirect(next_url)
        return response


class PasswordResetView(auth_views.PasswordResetView):
    form_class = EmailPasswordResetForm
    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form):
        # The person chose this password themselves: no further change is needed.
        form.user.must_change_password = False
        return super().form_valid(form)


def _safe_next(request) -> str:
    url = request.POST.get("next") or request.GET.get("next") or ""
    if url and url_has_allowed_host_and_scheme(
        url, {request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return ""


@require_http_methods(["GET", "POST"])
def citizen_signup(request):
    """“Đăng ký tài khoản người dân”: a login and a person with no position, then logged in."""
    next_url = _safe_next(request)
    if request.user.is_authenticated:
        return redirect(next_url or "accounts:home")
    form = CitizenSignupForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if signup_hit_is_limited(request):
            form.is_valid()  # show the input back, with any mistakes, but create nothing
            form.add_error(None, MSG_TOO_MANY_SIGNUPS)
            status = 429
        elif form.is_bot:
            form.add_error(None, MSG_SIGNUP_REFUSED)
            status = 400
        elif form.is_valid():
            data = form.cleaned_data
            try:
                user = services.citizen_register(
                    full_name=data["full_name"],
                    phone=data["phone"],
                    email=data["email"],
                    password=data["password1"],
                    residence_unit=data["residence_unit"],
                )
            except IntegrityError:  # the same phone or email signed up a moment ago
                form.add_error("phone", MSG_PHONE_TAKEN)
            else:
                login(request, user, backend=SIGNUP_BACKEND)
                messages.success(request, MSG_SIGNED_UP % {"name": data["full_name"]})
                return redirect(next_url or "learner:dashboard")
    return render(request, "accounts/signup.html", {"form": form, "next": next_url}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def profile(request):
    """“Thông tin tài khoản”. Citizens edit their own details; officials' come from their unit."""
    from lms.org.models import Person

    user = request.user
    person = Person.objects.filter(user=user).first()
    form = None
    if user.is_citizen and person is not None:
        profile = getattr(user, "citizen_profile", None)
        initial = {
            "full_name": person.full_name,
            "phone": person.phone,
            "email": person.email or user.email,
            "residence_unit": profile.residence_unit_id if profile else "",
        }
        form = CitizenDetailsForm(request.POST or None, user=user, initial=initial)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            services.citizen_profile_update(
                user=user,
                full_name=data["full_name"],
                phone=data["phone"],
                email=data["email"],
                residence_unit=data["residence_unit"],
            )
            messages.success(request, MSG_PROFILE_SAVED)
            return redirect("accounts:profile")
    return render(request, "accounts/profile.html", {"form": form, "person": person})


@login_required
def home(request):
    """Land each role where it works: staff in the admin, learners on their dashboard."""
    from lms.org.models import StaffRole
    from lms.org.scoping import has_role

    user = request.user
    if user.is_citizen:
        return redirect("learner:dashboard")
    if user.is_superuser or has_role(user, *StaffRole.Role.values):
        return redirect("wagtailadmin_home")
    return redirect("learner:dashboard")
