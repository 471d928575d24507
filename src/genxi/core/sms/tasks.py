"""Background work of the SMS outbox: one row, throttled and retried with back-off."""

from __future__ import annotations

import time
from datetime import timedelta

from django.utils import timezone
from django_tasks import task

from ..models import OutboundText
from .outbox import send_now


@task()
def send_text(text_id: int) -> str:
    """Send one outbox row; try again later when throttled or when the provider failed."""
    outcome = send_now(text_id)
    backend = send_text.get_backend()
    if outcome not in ("throttled", "retry") or not backend.supports_defer:
        return outcome  # without a deferring backend `genxi sms_flush` picks pending rows up
    if outcome == "throttled":
        wait = timedelta(seconds=61 - time.time() % 60)
    else:
        attempts = OutboundText.objects.values_list("attempts", flat=True).get(pk=text_id)
        wait = timedelta(seconds=30 * 2**attempts)
    send_text.using(run_after=timezone.now() + wait).enqueue(text_id)
    return outcome
