"""Request-wide policies: audit context, no-store for personal pages, account policies."""

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse

from .audit import current_ip
from .ratelimit import client_ip
from .roles import ADMIN_ROLES
from .scope import scope_for

_EXEMPT_PREFIXES = ("/static/", "/accounts/logout/", "/i18n/")


class AccountPolicyMiddleware:
    """Set the audit context; enforce first-login password change and TOTP for admins."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = current_ip.set(client_ip(request))
        try:
            redirect_to = self._policy_redirect(request)
            if redirect_to and request.path != redirect_to:
                return redirect(redirect_to)
            return self.get_response(request)
        finally:
            current_ip.reset(token)

    def _policy_redirect(self, request) -> str | None:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or request.path.startswith(_EXEMPT_PREFIXES):
            return None
        if settings.GENXI_FORCE_PASSWORD_CHANGE and getattr(user, "must_change_password", False):
            target = reverse("password_change")
            return None if request.path == reverse("password_change_done") else target
        needs_otp = settings.GENXI_REQUIRE_2FA and scope_for(user).roles & ADMIN_ROLES
        if needs_otp and not user.is_verified():
            return reverse("two_factor")
        return None


class NoStoreMiddleware:
    """Pages seen by a signed-in user may hold personal data: browsers must not keep them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if (user is not None and user.is_authenticated) or getattr(response, "no_store", False):
            response["Cache-Control"] = "no-store"
            response["Pragma"] = "no-cache"
        return response
