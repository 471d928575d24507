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
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.core.mail.utils import DNS_NAME
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from ..models import DeliveryStatus, Notification, NotificationDelivery
from ..pii import mask_free_text

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 5
# How long an attempt may hold a delivery (the webhook's timeout is 10 s): a row claimed
# longer ago and never marked belongs to a worker that died; it is claimed again.
SEND_LEASE = timedelta(seconds=30)


class Channel:
    """An outside channel. A deployment adds its own (an SMS provider, say) in settings."""

    name = "base"

    def send(self, user: Any, notification: Notification, *, key: str) -> None:  # pragma: no cover
        """Send it; `key` is the same on every attempt of this delivery (an idempotency
        key for the receiver, which may see a message twice, docs/background-queue.md)."""
        raise NotImplementedError

    @staticmethod
    def text(notification: Notification) -> str:
        """What leaves genxi: the message with phone, ID and card numbers masked. A case's
        title is the resident's own words and may hold them; an outside system (a mail
        server, a webhook, an SMS provider) is outside every scope."""
        return mask_free_text(notification.text)


class EmailChannel(Channel):
    name = "email"

    def send(self, user, notification, *, key):
        if not user.email:
            return
        # The same Message-ID on every attempt: a mail store that sees it twice may keep one.
        EmailMessage(
            subject=_("【根系】%(text)s") % {"text": self.text(notification)[:40]},
            body=self.text(notification),
            to=[user.email],
            headers={"Message-ID": f"<{key}@{DNS_NAME}>"},
        ).send()


class WebhookChannel(Channel):
    """POST the message as JSON, signed: X-Genxi-Signature = hex HMAC-SHA256 of the body.
    `id` (also the Idempotency-Key header) is the same on every attempt of the delivery:
    the receiver drops a message whose id it has seen."""

    name = "webhook"

    def send(self, user, notification, *, key):
        url = settings.GENXI_WEBHOOK_URL
        if not url:
            return
        kind = notification.subject_type
        body = json.dumps(
            {
                "id": key,
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
                "Idempotency-Key": key,
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

    def send(self, user, notification, *, key):
        log.info("sms to user %s: %s", user.pk, self.text(notification))


def configured() -> list[Channel]:
    """The channels named in GENXI_NOTIFY_CHANNELS."""
    return [import_string(path)() for path in settings.GENXI_NOTIFY_CHANNELS]


def delivery_key(delivery: NotificationDelivery) -> str:
    """The delivery's idempotency key: the same on every attempt of this (message, channel),
    so a receiver can drop a second copy (the window of a worker killed after the send and
    before the mark, docs/background-queue.md)."""
    return f"genxi-delivery-{delivery.pk}"


def deliver_now(delivery_id: int) -> str:
    """Try one delivery, at most one attempt at a time; answers sent, retry, failed, busy
    or skipped. Called by the worker (`tasks.deliver`), retried on failure.

    Three steps, as the SMS outbox (decision 0029): (1) lock the row and claim it —
    pending → sending with `claimed_at`, committed; a sent or failed row is skipped, and a
    row another attempt claimed less than SEND_LEASE ago is busy; (2) call the channel
    outside any transaction; (3) lock the row again and mark it sent, pending or failed.
    A row left sending for longer than SEND_LEASE (its worker died between 1 and 3) is
    claimed again and sent again with the same key: at least once, never twice from two
    attempts running together."""
    now = timezone.now()
    with transaction.atomic():
        delivery = NotificationDelivery.objects.select_for_update().filter(pk=delivery_id).first()
        if delivery is None or delivery.status in (DeliveryStatus.SENT, DeliveryStatus.FAILED):
            return "skipped"
        if delivery.status == DeliveryStatus.SENDING and delivery.claimed_at is not None:
            if delivery.claimed_at > now - SEND_LEASE:
                return "busy"
            log.warning(
                "delivery %s: claimed at %s and never marked, sending it again with the same key",
                delivery.pk,
                delivery.claimed_at.isoformat(),
            )
        delivery.status = DeliveryStatus.SENDING
        delivery.claimed_at = now
        delivery.attempts += 1
        delivery.save(update_fields=["status", "claimed_at", "attempts"])
    notification = Notification.objects.select_related("user", "subject_type").get(
        pk=delivery.notification_id
    )
    channel = next((c for c in configured() if c.name == delivery.channel), None)
    error = ""
    try:
        if channel is None:
            raise LookupError(f"channel {delivery.channel!r} is not configured")
        channel.send(notification.user, notification, key=delivery_key(delivery))
    except Exception as exc:  # noqa: BLE001 - any failure of an outside system is retried
        error = f"{type(exc).__name__}: {exc}"[:2000]
    with transaction.atomic():
        delivery = NotificationDelivery.objects.select_for_update().get(pk=delivery_id)
        if not error:
            delivery.status, delivery.sent_at, delivery.last_error = (
                DeliveryStatus.SENT,
                timezone.now(),
                "",
            )
            delivery.save(update_fields=["status", "sent_at", "last_error"])
            return "sent"
        delivery.last_error = error
        final = delivery.attempts >= MAX_ATTEMPTS
        delivery.status = DeliveryStatus.FAILED if final else DeliveryStatus.PENDING
        delivery.save(update_fields=["status", "last_error"])
        return "failed" if final else "retry"
