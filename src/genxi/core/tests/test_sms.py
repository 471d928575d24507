"""Core's SMS outbox: written in the caller's transaction, sent after commit exactly once,
throttled per minute, retried then failed, and the number never in the logs."""

from __future__ import annotations

import logging

import pytest
from django.core.cache import cache
from django.db import transaction

from genxi.core.models import OutboundText, TextStatus
from genxi.core.sms import flush, queue_text
from genxi.core.sms.outbox import MAX_ATTEMPTS, send_now
from genxi.core.sms.senders import FakeSender

PHONE = "13912345678"


@pytest.fixture(autouse=True)
def _fake_sms():
    FakeSender.reset()
    yield
    FakeSender.reset()


@pytest.mark.django_db
def test_a_text_leaves_after_commit_and_only_once(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        row = queue_text(phone=PHONE, text="您好", purpose="test")
        assert FakeSender.sent == []  # not before the commit
    row.refresh_from_db()
    assert row.status == TextStatus.SENT and row.attempts == 1 and row.sent_at is not None
    assert [(s.phone, s.text) for s in FakeSender.sent] == [(PHONE, "您好")]
    assert send_now(row.pk) == "skipped"  # a retried task sends nothing more
    assert len(FakeSender.sent) == 1
    assert OutboundText.objects.get(pk=row.pk).masked("phone") == "139****5678"


@pytest.mark.django_db
def test_a_rolled_back_caller_sends_nothing(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                queue_text(phone=PHONE, text="您好", purpose="test")
                raise RuntimeError
        except RuntimeError:
            pass
    assert FakeSender.sent == [] and OutboundText.objects.count() == 0


@pytest.mark.django_db
def test_a_row_left_sending_by_a_crash_is_never_sent_again():
    row = queue_text(phone=PHONE, text="您好", purpose="test")
    OutboundText.objects.filter(pk=row.pk).update(status=TextStatus.SENDING, attempts=1)
    assert send_now(row.pk) == "skipped"
    assert flush() == 0 and FakeSender.sent == []


@pytest.mark.django_db
def test_sending_is_throttled_per_minute(settings, monkeypatch):
    settings.GENXI_SMS_PER_MINUTE = 2
    cache.clear()
    monkeypatch.setattr("genxi.core.sms.outbox.time.time", lambda: 1_800_000_000.0)
    rows = [queue_text(phone=f"1391234{n:04d}", text="通知", purpose="test") for n in range(5)]
    outcomes = [send_now(r.pk) for r in rows]
    assert outcomes == ["sent", "sent", "throttled", "throttled", "throttled"]
    assert OutboundText.objects.filter(status=TextStatus.PENDING).count() == 3
    assert len(FakeSender.sent) == 2
    # The next minute, the rest leave.
    monkeypatch.setattr("genxi.core.sms.outbox.time.time", lambda: 1_800_000_060.0)
    assert flush() == 3 and len(FakeSender.sent) == 4


@pytest.mark.django_db
def test_a_failing_provider_is_retried_then_the_row_fails():
    FakeSender.failing = {PHONE}
    row = queue_text(phone=PHONE, text="通知", purpose="test")
    outcomes = [send_now(row.pk) for _ in range(MAX_ATTEMPTS + 1)]
    assert outcomes == ["retry"] * (MAX_ATTEMPTS - 1) + ["failed", "skipped"]
    row.refresh_from_db()
    assert row.status == TextStatus.FAILED and row.attempts == MAX_ATTEMPTS
    assert "provider unavailable" in row.last_error


@pytest.mark.django_db
def test_a_bad_number_is_refused_when_queued():
    with pytest.raises(ValueError):
        queue_text(phone="12345", text="通知", purpose="test")


@pytest.mark.django_db
def test_the_log_sender_never_logs_the_number(settings, caplog):
    settings.GENXI_SMS_SENDER = "genxi.core.sms.senders.LogSender"
    row = queue_text(phone=PHONE, text=f"请回电 {PHONE}", purpose="test")
    with caplog.at_level(logging.INFO):
        assert send_now(row.pk) == "sent"
    assert "139****5678" in caplog.text and PHONE not in caplog.text


@pytest.mark.django_db
def test_sms_flush_sends_the_pending_and_counts_the_stuck():
    from io import StringIO

    from django.core.management import call_command

    waiting = queue_text(phone=PHONE, text="通知", purpose="test")
    stuck = queue_text(phone="13912345679", text="通知", purpose="test")
    OutboundText.objects.filter(pk=stuck.pk).update(status=TextStatus.SENDING)
    out = StringIO()
    call_command("sms_flush", stdout=out)
    assert out.getvalue().strip() == "queued 1; sending (not retried, check them): 1"
    assert OutboundText.objects.get(pk=waiting.pk).status == TextStatus.SENT
    assert [s.phone for s in FakeSender.sent] == [PHONE]
