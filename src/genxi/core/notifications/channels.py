"""Notifications: an in-app inbox for staff, and pluggable outside channels.

Messages are written in the case's transaction and sent only after it commits; each
outside delivery is retried by the background worker and failures stay visible in the
admin (Delivery).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import time
import urllib.request
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from genxi.core.roles import Role
from genxi.people.models import Membership
from genxi.regions.domain.codes import ancestor_paths

from .models import Case, Delivery, DeliveryStatus, Notification

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 5


class Channel:
    """An outside channel. A deployment adds its own (an SMS provider, say) in settings."""

    name = "base"

    def send(self, user: Any, notification: Notification) -> None:  # pragma: no cover
        raise NotImplementedError


class EmailChannel(Channel):
    name = "email"

    def send(self, user, notification):
        if not user.email:
            return
        send_mail(
            subject=_("【根系】%(text)s") % {"text": notification.text[:40]},
            message=notification.text,
            from_email=None,
            recipient_list=[user.email],
        )


class WebhookChannel(Channel):
    """POST the message as JSON, signed: X-Genxi-Signature = hex HMAC-SHA256 of the body."""

    name = "webhook"

    def send(self, user, notification):
        url = settings.GENXI_WEBHOOK_URL
        if not url:
            return
        body = json.dumps(
            {
                "user": user.username,
                "case": notification.case.code if notification.case_id else None,
                "verb": notification.verb,
                "text": notification.text,
                "at": notification.created_at.isoformat(),
            },
            ensure_ascii=False,
        ).encode()
        signature = hmac.new(settings.GENXI_WEBHOOK_SECRET.encode(), body, hashlib.sha256)
        request = urllib.request.Request(
            url,
            data=body,
            headers={
                "Content-Type": "application/json",
                "X-Genxi-Signature": signature.hexdigest(),
            },
            method="POST",
        )
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - configured URL
            if response.status >= 300:
                raise OSError(f"webhook answered {response.status}")


class SmsChannel(Channel):
    """The SMS interface: subclass it with the provider's client and name it in settings.

    This default only logs: a deployment without a provider sends no SMS.
    """

    name = "sms"

    def send(self, user, notification):
        log.info("sms to user %s: %s", user.pk, notification.text)


def channels() -> list[Channel]:
    return [import_string(path)() for path in settings.GENXI_NOTIFY_CHANNELS]


def tell(users, *, verb: str, text: str, case: Case | None = None) -> None:
    """Put a message in these staff members' inboxes (and the outside channels, after
    commit). For other modules: a meeting's action item, an inspection's notice."""
    _inbox(users, case, verb, text)


def _inbox(users, case: Case | None, verb: str, text: str) -> None:
    recipients = sorted({u for u in users if u is not None and u.is_active}, key=lambda u: u.pk)
    if not recipients:
        return
    notifications = Notification.objects.bulk_create(
        [Notification(user=u, case=case, verb=verb, text=text) for u in recipients]
    )
    names = [c.name for c in channels()]
    if not names:
        return
    deliveries = Delivery.objects.bulk_create(
        [Delivery(notification=n, channel=name) for n in notifications for name in names]
    )
    for delivery in deliveries:
        transaction.on_commit(lambda pk=delivery.pk: _enqueue(pk))


def _enqueue(delivery_id: int) -> None:
    from .tasks import deliver

    deliver.enqueue(delivery_id)


def deliver_now(delivery_id: int) -> bool:
    """Try one delivery; True when sent. Called by the worker, retried on failure."""
    delivery = Delivery.objects.select_related("notification__user", "notification__case").get(
        pk=delivery_id
    )
    if delivery.status == DeliveryStatus.SENT:
        return True
    channel = next((c for c in channels() if c.name == delivery.channel), None)
    delivery.attempts += 1
    try:
        if channel is None:
            raise LookupError(f"channel {delivery.channel!r} is not configured")
        channel.send(delivery.notification.user, delivery.notification)
    except Exception as exc:  # noqa: BLE001 - any failure of an outside system is retried
        delivery.last_error = f"{type(exc).__name__}: {exc}"[:2000]
        delivery.status = (
            DeliveryStatus.FAILED if delivery.attempts >= MAX_ATTEMPTS else DeliveryStatus.PENDING
        )
        delivery.save(update_fields=["attempts", "last_error", "status"])
        return False
    delivery.status = DeliveryStatus.SENT
    delivery.sent_at = timezone.now()
    delivery.save(update_fields=["attempts", "status", "sent_at", "last_error"])
    return True


_staff_cache: dict[tuple, tuple[float, list]] = {}
STAFF_SECONDS = 30.0  # who works where changes rarely; a new colleague is told within 30 s


def _staff_over(case: Case, roles) -> list:
    """Users holding one of `roles` on the case's place or any node above it."""
    key = (case.region.path, tuple(sorted(roles)))
    now = time.monotonic()
    hit = _staff_cache.get(key)
    if hit is not None and now - hit[0] < STAFF_SECONDS:
        return hit[1]
    memberships = Membership.objects.filter(
        active=True, role__in=roles, region__path__in=ancestor_paths(case.region.path)
    ).select_related("user")
    users = [m.user for m in memberships]
    _staff_cache[key] = (now, users)
    return users


def forget_staff() -> None:
    _staff_cache.clear()


def case_changed(case: Case, action: str) -> None:
    """Tell the people who act next."""
    from .messages import ACTION_LABELS

    label = ACTION_LABELS.get(action, action)
    text = _("诉求 %(code)s:%(action)s — %(title)s") % {
        "code": case.code,
        "action": label,
        "title": case.title,
    }
    if action in ("submit", "return", "resolve"):
        _inbox(_staff_over(case, [Role.COMMUNITY_WORKER]), case, action, text)
    if action in ("dispatch", "transfer", "send_back", "reopen"):
        _inbox([case.handler], case, action, text)
    if action == "request_extension" or (action == "rate" and case.rating == "unsatisfied"):
        _inbox(_staff_over(case, [Role.STREET_ADMIN]), case, action, text)


def case_overdue(case: Case) -> None:
    text = _("诉求 %(code)s 已超过办结时限:%(title)s") % {"code": case.code, "title": case.title}
    _inbox([*_staff_over(case, [Role.STREET_ADMIN]), case.handler], case, "overdue", text)
