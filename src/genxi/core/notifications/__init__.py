"""Notifications, for every app: `tell(users, verb=, text=, subject=None)` puts a message in
staff members' in-app inboxes and schedules its outside deliveries.

Messages are written in the caller's transaction; each outside delivery (`channels.py`,
`GENXI_NOTIFY_CHANNELS`) is sent by the worker (`tasks.py`) only after it commits, retried,
and a failure stays visible in the admin (NotificationDelivery). The models are
`core.models.Notification` and `core.models.NotificationDelivery`.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import timezone

from ..models import Notification, NotificationDelivery
from .channels import configured
from .tasks import deliver


def tell(
    users: Iterable[Any], *, verb: str, text: str, subject: models.Model | None = None
) -> None:
    """Put a message about `subject` (a case, an action item ... or nothing) in these
    active users' inboxes, and send it through the outside channels after commit."""
    notifications = Notification.objects.bulk_create(
        notices(users, verb=verb, text=text, subject=subject)
    )
    if not notifications:
        return
    names = outside_channels()
    if not names:
        return
    deliveries = NotificationDelivery.objects.bulk_create(
        [
            NotificationDelivery(notification=n, channel=name)
            for n in notifications
            for name in names
        ]
    )
    for delivery in deliveries:
        transaction.on_commit(partial(deliver.enqueue, delivery.pk))


def notices(
    users: Iterable[Any], *, verb: str, text: str, subject: models.Model | None = None
) -> list[Notification]:
    """The inbox messages `tell` writes, unsaved: one per active user, in the users' order
    of id. A subject not yet saved leaves `subject_id` to its writer (the intake fills it
    from its own insert, `cases.services.case_create`)."""
    recipients = sorted({u for u in users if u is not None and u.is_active}, key=lambda u: u.pk)
    about: dict[str, Any] = {}
    if subject is not None:
        about = {
            "subject_type": ContentType.objects.get_for_model(subject),
            "subject_id": subject.pk,
        }
    return [Notification(user=u, verb=verb, text=text, **about) for u in recipients]


def outside_channels() -> list[str]:
    """The names of the outside channels a message is also sent through (one delivery row
    each, written after the message: `tell`); none when only the inbox is configured."""
    return list(dict.fromkeys(c.name for c in configured()))


def inbox(user: Any, *, limit: int = 100) -> tuple[list[Notification], set[int]]:
    """The user's latest messages, and which of them were unread: opening the inbox reads
    them, so they are marked read here (one UPDATE)."""
    items = list(Notification.objects.filter(user=user).prefetch_related("subject")[:limit])
    unread = {n.pk for n in items if n.read_at is None}
    if unread:
        Notification.objects.filter(pk__in=unread).update(read_at=timezone.now())
    return items, unread


def unread_count(user: Any) -> int:
    """How many of the user's messages are unread (the bell on every page)."""
    return Notification.objects.filter(user=user, read_at__isnull=True).count()
