"""Safe retries for creates: the same Idempotency-Key gets the same answer.

The first request with a key claims it (a row with no answer yet); a second request with
that key while the first is still running gets 409; afterwards it gets the stored answer.
The same key with a different body is refused with 422.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass

from django.db import IntegrityError, transaction

from .models import IdempotencyRecord


@dataclass(frozen=True)
class Answer:
    status: int
    content_type: str
    body: str
    replayed: bool = False


class KeyInFlight(Exception):
    pass


class KeyReused(Exception):
    pass


def run(owner: str, key: str | None, payload: bytes, produce: Callable[[], Answer]) -> Answer:
    if not key:
        return produce()
    key = key.strip()[:200]
    digest = hashlib.sha256(payload).hexdigest()
    try:
        with transaction.atomic():
            record = IdempotencyRecord.objects.create(owner=owner, key=key, request_hash=digest)
    except IntegrityError:
        record = IdempotencyRecord.objects.get(owner=owner, key=key)
        if record.request_hash != digest:
            raise KeyReused from None
        if record.status_code is None:
            raise KeyInFlight from None
        return Answer(record.status_code, record.content_type, record.body, replayed=True)
    try:
        answer = produce()
    except BaseException:
        IdempotencyRecord.objects.filter(pk=record.pk).delete()
        raise
    if answer.status >= 500:
        IdempotencyRecord.objects.filter(pk=record.pk).delete()
        return answer
    IdempotencyRecord.objects.filter(pk=record.pk).update(
        status_code=answer.status, content_type=answer.content_type, body=answer.body
    )
    return answer
