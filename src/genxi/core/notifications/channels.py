"""The outside channels of notifications (email, webhook, SMS) and one delivery's attempt.

`genxi.core.notifications.tell` writes the messages; the worker (`tasks.deliver`) calls
`deliver_now` after the transaction commits and retries; failures stay visible in the
admin (NotificationDelivery).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import urllib.request
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from ..models import DeliveryStatus, Notification, NotificationDelivery
from ..pii import mask_free_text

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 5


class Channel:
    """An outside channel. A deployment adds its own (an SMS provider, say) in settings."""

    name = "base"

    def send(self, user: Any, notification: Notification) -> None:  # pragma: no cover
        raise NotImplementedError

    @staticmethod
    def text(notification: Notification) -> str:
        """What leaves genxi: the message with phone, ID and card numbers masked. A case's
        title is the resident's own words and may hold them; an outside system (a mail
        server, a webhook, an SMS provider) is outside every scope."""
        return mask_free_text(notification.text)


class EmailChannel(Channel):
    name = "email"

    def send(self, user, notification):
        if not user.email:
            return
        send_mail(
            subject=_("【根系】%(text)s") % {"text": self.text(notification)[:40]},
            message=self.text(notification),
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
        kind = notification.subject_type
        body = json.dumps(
            {
                "user": user.username,
                # What the message is about: "cases.case" and the case's code, say.
                "subject": ".".join(kind.natural_key()) if kind else None,
                "code": getattr(notification.subject, "code", None),
                "verb": notification.verb,
                "text": self.text(notification),
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
        log.info("sms to user %s: %s", user.pk, self.text(notification))


def configured() -> list[Channel]:
    """The channels named in GENXI_NOTIFY_CHANNELS."""
    return [import_string(path)() for path in settings.GENXI_NOTIFY_CHANNELS]


def deliver_now(delivery_id: int) -> bool:
    """Try one delivery; True when sent. Called by the worker, retried on failure."""
    delivery = NotificationDelivery.objects.select_related(
        "notification__user", "notification__subject_type"
    ).get(pk=delivery_id)
    if delivery.status == DeliveryStatus.SENT:
        return True
    channel = next((c for c in configured() if c.name == delivery.channel), None)
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
