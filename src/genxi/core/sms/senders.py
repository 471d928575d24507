"""SMS senders: who hands a text to the provider. `GENXI_SMS_SENDER` names one (a dotted
path to a `Sender` subclass); a deployment writes its provider's client as a subclass.

The default, `LogSender`, sends nothing: it logs that a text *would* go out, with the
number masked (a log is read by operators, who are outside every scope). `FakeSender`
records the calls for tests."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass

from django.conf import settings
from django.utils.module_loading import import_string

from ..pii import mask_free_text, mask_phone

log = logging.getLogger(__name__)


class SmsRefused(Exception):
    """The provider refused the text for good (an invalid number): it is not retried."""


class Sender:
    """Hand one text to the provider; raise on failure (retried unless `SmsRefused`).
    `reference` is the outbox row's unique reference: a provider that takes a client
    reference (OutId, SessionContext) can drop a duplicate with it."""

    def send(self, *, phone: str, text: str, reference: str) -> None:  # pragma: no cover
        raise NotImplementedError


class LogSender(Sender):
    """No provider: log (number masked, text with numbers masked) and send nothing."""

    def send(self, *, phone: str, text: str, reference: str) -> None:
        log.info("sms %s to %s: %s", reference, mask_phone(phone), mask_free_text(text))


@dataclass(frozen=True)
class Sent:
    phone: str
    text: str
    reference: str


class FakeSender(Sender):
    """For tests: records every call in `FakeSender.sent` (a class-wide list, emptied by
    `FakeSender.reset()`); a number in `FakeSender.failing` raises, as a down provider."""

    sent: list[Sent] = []
    failing: set[str] = set()
    _lock = threading.Lock()

    def send(self, *, phone: str, text: str, reference: str) -> None:
        if phone in self.failing:
            raise OSError("provider unavailable")
        with self._lock:
            FakeSender.sent.append(Sent(phone, text, reference))

    @classmethod
    def reset(cls) -> None:
        with cls._lock:
            cls.sent = []
            cls.failing = set()


def sender() -> Sender:
    """The configured sender (GENXI_SMS_SENDER)."""
    cls = import_string(settings.GENXI_SMS_SENDER)
    instance: Sender = cls()
    return instance
