from urllib.parse import urlsplit

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, resolve_url
from django.urls import reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _

from .forms import EmailPasswordResetForm, LoginForm

MSG_PASSWORD_CHANGED = _("Đã đổi mật khẩu.")


def user_may_open(user, url: str) -> bool:
    """Whether a redirect after login would be let in (avoids admin <-> login loops)."""
    path = urlsplit(url).path
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


@login_required
def home(request):
    """Land each role where it works: staff in the admin, learners on their dashboard."""
    from lms.org.models import StaffRole
    from lms.org.scoping import has_role

    user = request.user
    if user.is_superuser or has_role(user, *StaffRole.Role.values):
        return redirect("wagtailadmin_home")
    return redirect("learner:dashboard")
