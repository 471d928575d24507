"""One outbox row's attempt (`send_now`), exactly once, throttled; the apps' hooks.

The attempt runs in two short transactions around the provider's call:

1. lock the row; go on only if it is pending; count it against the per-minute limit
   (`GENXI_SMS_PER_MINUTE`, in the shared cache); ask the purpose's `guard` (which locks
   what it needs, e.g. the resident's consent) — refused: the row is final; else mark it
   `sending` with `decided_at` and commit;
2. hand it to the sender (no transaction, no lock held while the provider answers);
3. lock the row again and mark it sent, or pending again for a retry, or failed.

A worker that dies between 1 and 3 leaves the row `sending`: no later attempt sends it
again (a text is sent at most once; `genxi sms_flush` counts them for a person to
judge), decision 0029."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .. import ratelimit
from ..models import OutboundText, TextStatus
from .senders import SmsRefused, sender

MAX_ATTEMPTS = 5


@dataclass(frozen=True)
class Hooks:
    """What an app says about its purpose: `guard(row)` answers whether the text may still
    go (called under the row's lock, in the transaction that decides); `settled(row)` is
    told when the row reaches sent, refused or failed (in that transaction)."""

    guard: Callable[[OutboundText], bool] | None = None
    settled: Callable[[OutboundText], None] | None = None


HOOKS: dict[str, Hooks] = {}


def register(
    purpose: str,
    *,
    guard: Callable[[OutboundText], bool] | None = None,
    settled: Callable[[OutboundText], None] | None = None,
) -> None:
    """An app's hooks for its purpose (in its AppConfig.ready)."""
    HOOKS[purpose] = Hooks(guard=guard, settled=settled)


def _settle(row: OutboundText) -> None:
    hooks = HOOKS.get(row.purpose)
    if hooks is not None and hooks.settled is not None:
        hooks.settled(row)


def _within_limit() -> bool:
    minute = int(time.time() // 60)
    return ratelimit.hit("sms", str(minute), settings.GENXI_SMS_PER_MINUTE, 60)


def send_now(text_id: int) -> str:
    """Try one row; answers what happened: sent, refused, throttled, retry, failed, skipped."""
    with transaction.atomic():
        row = OutboundText.objects.select_for_update().filter(pk=text_id).first()
        if row is None or row.status != TextStatus.PENDING:
            return "skipped"
        if not _within_limit():
            return "throttled"
        hooks = HOOKS.get(row.purpose)
        allowed = hooks is None or hooks.guard is None or hooks.guard(row)
        now = timezone.now()  # after the guard's locks: the moment of the decision
        if not allowed:
            row.status = TextStatus.REFUSED
            row.decided_at = now
            row.save(update_fields=["status", "decided_at"])
            _settle(row)
            return "refused"
        row.status = TextStatus.SENDING
        row.attempts += 1
        row.decided_at = now
        row.save(update_fields=["status", "attempts", "decided_at"])
    error = ""
    final = False
    try:
        sender().send(phone=row.phone, text=row.text, reference=f"genxi-sms-{row.pk}")
    except SmsRefused as exc:
        error, final = f"{type(exc).__name__}: {exc}", True
    except Exception as exc:  # noqa: BLE001 - any failure of the provider is retried
        error = f"{type(exc).__name__}: {exc}"
    with transaction.atomic():
        row = OutboundText.objects.select_for_update().get(pk=text_id)
        if not error:
            row.status, row.sent_at, row.last_error = TextStatus.SENT, timezone.now(), ""
            row.save(update_fields=["status", "sent_at", "last_error"])
            _settle(row)
            return "sent"
        row.last_error = error[:2000]
        if final or row.attempts >= MAX_ATTEMPTS:
            row.status = TextStatus.FAILED
            row.save(update_fields=["status", "last_error"])
            _settle(row)
            return "failed"
        row.status = TextStatus.PENDING
        row.save(update_fields=["status", "last_error"])
        return "retry"
