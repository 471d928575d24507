"""Exactly-once posts for pages used on a phone that may lose its connection.

A form sent from the phone's outbox (`static/genxi/outbox.js`, docs/offline.md) carries an
idempotency key, in the `Idempotency-Key` header or a hidden `idempotency_key` field. The
outbox sends a record again until it hears an answer, so the server may see it twice (the
first answer was lost on the way back). `@idempotent` makes the second time answer what the
first did:

- the key is stored (`IdempotentPost`, per person) in the same transaction as the view's
  writes: if the view's writes are kept, so is the key; if the view refuses (a 4xx, its
  field errors), the key is not kept and the corrected form may be sent with it again;
- the same key again, for the same address, answers the first answer (its redirect) and
  writes nothing; two sends at once wait for each other on the key's unique index;
- the same key for another address is a mistake of the client: 409.

A post from the outbox (header `X-Genxi-Outbox: 1`) is answered in JSON, `{"ok": true,
"location": ...}`, rather than with a redirect, so the flash message waits for the page
the phone opens next. A post without a key is the ordinary form post, untouched.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from .models import IdempotentPost

HEADER = "Idempotency-Key"
FIELD = "idempotency_key"
KEY = re.compile(r"[A-Za-z0-9_-]{16,64}")


def key_of(request: HttpRequest) -> str | None:
    return request.headers.get(HEADER) or request.POST.get(FIELD) or None


def from_outbox(request: HttpRequest) -> bool:
    return request.headers.get("X-Genxi-Outbox") == "1"


def _answer(request: HttpRequest, record: IdempotentPost, *, replayed: bool) -> HttpResponse:
    if from_outbox(request):
        return JsonResponse({"ok": True, "location": record.location, "replayed": replayed})
    if record.location:
        return redirect(record.location)
    return HttpResponse(status=record.status or 204)


def idempotent(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Make a POST view answer a repeated idempotency key as it answered the first time."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        key = key_of(request) if request.method == "POST" else None
        if key is None or not request.user.is_authenticated:
            return view(request, *args, **kwargs)
        if not KEY.fullmatch(key):
            return JsonResponse(
                {"ok": False, "error": _("幂等键的格式不对:16 到 64 个字母、数字、- 或 _。")},
                status=400,
            )
        with transaction.atomic():
            try:
                with transaction.atomic():
                    record = IdempotentPost.objects.create(
                        user=request.user, key=key, path=request.path[:200]
                    )
            except IntegrityError:
                # Sent before (or being sent right now: this waits for it to finish).
                record = IdempotentPost.objects.select_for_update().get(user=request.user, key=key)
                if record.path != request.path[:200]:
                    return JsonResponse(
                        {"ok": False, "error": _("这个幂等键已用于另一项提交。")}, status=409
                    )
                return _answer(request, record, replayed=True)
            response = view(request, *args, **kwargs)
            if not 200 <= response.status_code < 400:
                transaction.set_rollback(True)  # refused: nothing kept, the key neither
                return response
            record.status = response.status_code
            record.location = str(response.get("Location", ""))[:300]
            record.save(update_fields=["status", "location"])
        if from_outbox(request) and 300 <= response.status_code < 400:
            return _answer(request, record, replayed=False)
        return response

    return wrapper
