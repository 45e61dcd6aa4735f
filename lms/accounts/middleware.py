from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

ALLOWED_PREFIXES = (
    "/static/",
    "/media/",
    "/tai-khoan/doi-mat-khau/",
    "/tai-khoan/dang-xuat/",
    "/admin/logout/",
    "/jsi18n/",
    "/i18n/",
)
API_PREFIX = "/api/"
MSG_MUST_CHANGE_PASSWORD = _("Bạn cần đổi mật khẩu trước khi tiếp tục.")


class ForcePasswordChangeMiddleware:
    """A user flagged must_change_password can do nothing else until they change it.

    This covers the Wagtail admin too: staff land on the same password-change page, which then
    sends them back where they were going.
    """

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
            if request.path.startswith(API_PREFIX):
                return JsonResponse({"detail": str(MSG_MUST_CHANGE_PASSWORD)}, status=403)
            query = urlencode({"next": request.get_full_path()})
            return redirect(f"{reverse('accounts:password_change')}?{query}")
        return self.get_response(request)


# Wagtail's admin templates carry inline <script> blocks and do not use nonces; a nonce in the
# policy would make browsers ignore 'unsafe-inline', so admin pages get a policy without it.
ADMIN_SCRIPT_SRC = ["'self'", "'unsafe-inline'"]


class AdminContentSecurityPolicyMiddleware:
    """Relax script-src for the staff admin only; the public site keeps the strict policy.

    Must sit after csp.middleware.CSPMiddleware so it runs first on the way out.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        prefixes = tuple(getattr(settings, "CSP_ADMIN_PATH_PREFIXES", ()))
        if prefixes and request.path.startswith(prefixes):
            replace = dict(getattr(response, "_csp_replace", None) or {})
            replace.setdefault("script-src", ADMIN_SCRIPT_SRC)
            response._csp_replace = replace
            # Never let a nonce sneak back in: it would disable 'unsafe-inline' in browsers.
            request._csp_nonce = None
        return response
