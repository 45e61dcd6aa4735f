from django.shortcuts import redirect
from django.urls import reverse

ALLOWED_PREFIXES = (
    "/static/",
    "/media/",
    "/tai-khoan/doi-mat-khau/",
    "/tai-khoan/dang-xuat/",
    "/jsi18n/",
)


class ForcePasswordChangeMiddleware:
    """A user flagged must_change_password can do nothing else until they change it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and getattr(user, "must_change_password", False)
            and not request.path.startswith(ALLOWED_PREFIXES)
        ):
            return redirect(f"{reverse('accounts:password_change')}?next={request.path}")
        return self.get_response(request)
