"""Text messages to phone numbers, for every app (decision 0029, docs/sms.md).

`queue_text(phone=, text=, purpose=, subject=None)` writes an outbox row
(`core.models.OutboundText`, the number encrypted) in the caller's transaction and, once it
commits, the worker sends it (`tasks.send_text` → `outbox.send_now`): exactly once,
throttled to `GENXI_SMS_PER_MINUTE`, retried with back-off, through the sender named in
`GENXI_SMS_SENDER` (`senders.py`; the default logs and sends nothing). An app that must
check something at the moment of sending (a resident's consent) registers a guard for its
purpose (`outbox.register`)."""

from __future__ import annotations

from functools import partial

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction

from ..domain.phones import is_valid_mobile
from ..models import OutboundText
from .outbox import register
from .tasks import send_text

__all__ = ["queue_text", "register"]


def queue_text(
    *, phone: str, text: str, purpose: str, subject: models.Model | None = None
) -> OutboundText:
    """Put a text for `phone` in the outbox; it leaves after the caller's transaction commits."""
    if not is_valid_mobile(phone):
        raise ValueError("not a mobile number")
    row = OutboundText(phone=phone, text=text[:500], purpose=purpose)
    if subject is not None:
        row.subject_type = ContentType.objects.get_for_model(subject)
        row.subject_id = subject.pk
    row.save()
    transaction.on_commit(partial(send_text.enqueue, row.pk))
    return row


def flush(*, limit: int = 1000) -> int:
    """Enqueue the pending rows again (after a worker without deferred tasks, or a crash)."""
    pks = list(
        OutboundText.objects.filter(status="pending")
        .order_by("pk")
        .values_list("pk", flat=True)[:limit]
    )
    for pk in pks:
        send_text.enqueue(pk)
    return len(pks)
