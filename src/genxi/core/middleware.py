"""Request-wide policies: audit context, no-store for personal pages, account policies."""

from collections.abc import Callable
from typing import Any

import django_htmx.middleware
import django_otp.middleware
from django.conf import settings
from django.contrib.auth import middleware as auth
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages import middleware as messages
from django.contrib.sessions import middleware as sessions
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


# The token API's lean path (docs/decisions/0038-lean-api-path.md) ---------------------------


def token_api(request) -> bool:
    """A call of the API that authenticates by its bearer token: it carries no session, no
    CSRF token, no message and no htmx header, so the middleware for those has nothing to
    do. Its user is the token's (set by the API's authentication), never the session's."""
    found = getattr(request, "_genxi_token_api", None)
    if found is None:
        found = request.path_info.startswith("/api/") and request.META.get(
            "HTTP_AUTHORIZATION", ""
        ).startswith("Bearer ")
        request._genxi_token_api = found
    return bool(found)


class _BrowserOnly:
    """Mixed into a middleware: it runs for every request but the token API's."""

    get_response: Callable[[Any], Any]

    def __call__(self, request):
        if token_api(request):
            return self.get_response(request)
        return super().__call__(request)


class SessionMiddleware(_BrowserOnly, sessions.SessionMiddleware):
    pass


class AuthenticationMiddleware(_BrowserOnly, auth.AuthenticationMiddleware):
    """The session's user for a browser; none yet for the token API (its authentication
    sets the token's user), so a session cookie sent beside a bearer token is ignored."""

    def __call__(self, request):
        if token_api(request):
            request.user = AnonymousUser()
        return super().__call__(request)


class OTPMiddleware(_BrowserOnly, django_otp.middleware.OTPMiddleware):
    pass


class MessageMiddleware(_BrowserOnly, messages.MessageMiddleware):
    pass


class HtmxMiddleware(_BrowserOnly, django_htmx.middleware.HtmxMiddleware):
    pass
