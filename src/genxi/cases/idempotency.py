"""Safe retries for creates: the same Idempotency-Key gets the same answer.

The claim of the key (a row), the create and the answer kept for the key are one
transaction: after a crash anywhere (the database killed, the worker killed, the answer
lost on its way back) either all three are there or none is, so a retry either gets the
first answer again or creates the case for the first time, never twice and never stuck.
A second request with the key while the first is still running waits for it on the key's
unique index, then gets its answer (or, if the first was rolled back, runs itself).
The same key with a different body is refused with 422. A claim that holds no answer
(left by the code before this one) answers 409.
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
    with transaction.atomic():
        try:
            with transaction.atomic():
                record = IdempotencyRecord.objects.create(owner=owner, key=key, request_hash=digest)
        except IntegrityError:
            # Claimed before, or right now by a request that has not committed: the
            # insert above waited for it, so its answer (if it kept one) is there to read.
            record = IdempotencyRecord.objects.get(owner=owner, key=key)
            if record.request_hash != digest:
                raise KeyReused from None
            if record.status_code is None:
                raise KeyInFlight from None
            return Answer(record.status_code, record.content_type, record.body, replayed=True)
        answer = produce()
        if answer.status >= 500:
            transaction.set_rollback(True)  # nothing kept, the key neither: retry later
            return answer
        record.status_code = answer.status
        record.content_type = answer.content_type
        record.body = answer.body
        record.save(update_fields=["status_code", "content_type", "body"])
    return answer
