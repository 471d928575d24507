"""Pages of the core: inbox, audit log, second factor, password change."""

from __future__ import annotations

import base64

import segno
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import PasswordChangeView
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from .. import audit, notifications, selectors
from ..audit_changes import describe
from ..forms import AuditFilterForm, TwoFactorForm
from ..pagination import paginate
from ..params import BadParameter
from ..roles import Perm
from ..scope import require_perm


@login_required
def inbox(request):
    """The staff member's notifications (`core.notifications.tell`); opening marks them read."""
    items, unread = notifications.inbox(request.user)
    return render(request, "core/inbox.html", {"items": items, "unread": unread})


@login_required
def audit_list(request):
    require_perm(request.user, Perm.VIEW_AUDIT)
    qs = selectors.audit_events(user=request.user)
    form = AuditFilterForm(request.GET)
    # A filter that is not valid (a verb nobody registered, a date that is none) shows its
    # error beside the field and no events.
    valid = form.is_valid()
    qs = form.filter(qs) if valid else qs.none()
    page, query = paginate(request, qs)
    page.object_list = describe(page.object_list)  # changes named, ids resolved in bulk
    return render(
        request,
        "core/audit_list.html",
        {"page": page, "query": query, "form": form},
        status=200 if valid else 400,
    )


def bad_request(request, exception=None):
    """handler400: a malformed query parameter is named with what it should be; other bad
    requests (e.g. a SuspiciousOperation) say nothing more."""
    context = {}
    if isinstance(exception, BadParameter):
        context = {"parameter": exception.name, "message": exception.message}
    return render(request, "400.html", context, status=400)


@login_required
def two_factor(request):
    """Set up (first time) and enter the TOTP code that the admin roles need."""
    device = TOTPDevice.objects.filter(user=request.user, confirmed=True).first()
    pending = None
    if device is None:
        pending = TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
        if pending is None:
            pending = TOTPDevice.objects.create(user=request.user, name="genxi", confirmed=False)
    form = TwoFactorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        target = device or pending
        if target.verify_token(form.cleaned_data["token"]):
            with transaction.atomic():
                if not target.confirmed:
                    target.confirmed = True
                    target.save(update_fields=["confirmed"])
                    audit.record(actor=request.user, verb="auth.totp_enrol", target=request.user)
                otp_login(request, target)
            return redirect(_safe_next(request) or "home")
        form.add_error("token", _("验证码不正确,请重新输入。"))
    qr_svg = ""
    if pending is not None:
        qr_svg = base64.b64encode(
            segno.make(pending.config_url).svg_inline(scale=4).encode()
        ).decode()
    return render(
        request,
        "registration/two_factor.html",
        {"enrolling": pending is not None, "qr_svg": qr_svg, "form": form},
    )


def _safe_next(request) -> str:
    """`next` only if it stays on this site, checked as Django's LoginView checks it."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    allowed = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if allowed else ""


class PasswordChange(PasswordChangeView):
    """Changing the password also lifts the first-login requirement."""

    success_url = reverse_lazy("password_change_done")

    def form_valid(self, form):
        with transaction.atomic():
            response = super().form_valid(form)
            user = form.user
            user.must_change_password = False
            user.save(update_fields=["must_change_password"])
            audit.record(actor=user, verb="auth.password_change", target=user)
        return response
