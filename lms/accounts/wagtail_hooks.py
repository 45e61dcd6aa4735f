"""Staff screens of accounts inside the Wagtail admin: temporary passwords for learners."""

from django.urls import include, path
from wagtail import hooks

from . import admin_views


@hooks.register("register_admin_urls")
def register_account_admin_urls():
    urls = [
        path(
            "nguoi/<int:person_id>/mat-khau/",
            admin_views.PasswordResetByStaffView.as_view(),
            name="reset_password",
        ),
    ]
    return [path("tai-khoan/", include((urls, "accounts_admin"), namespace="accounts_admin"))]
