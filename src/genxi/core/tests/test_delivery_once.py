"""A notification delivery run twice sends once: the attempt claims its row (pending →
sending) in a locked transaction before the channel is called. The window that remains —
a worker killed after the channel answered and before the row was marked — sends again,
with the same idempotency key (docs/background-queue.md)."""

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction

from genxi.core import notifications
from genxi.core.models import DeliveryStatus, NotificationDelivery
from genxi.core.notifications import channels, tasks

SENT: list[tuple[str, str]] = []


class Counting(channels.Channel):
    name = "counting"

    def send(self, user, notification, *, key):
        SENT.append((key, notification.text))


class Killed(BaseException):
    """What a kill -9 looks like from inside: nothing after it runs (not an Exception, so
    deliver_now's failure handling does not see it)."""


class DiesAfterSending(channels.Channel):
    name = "counting"

    def send(self, user, notification, *, key):
        SENT.append((key, notification.text))
        raise Killed


@pytest.fixture
def counting(settings):
    SENT.clear()
    settings.GENXI_NOTIFY_CHANNELS = ["genxi.core.tests.test_delivery_once.Counting"]
    yield SENT
    SENT.clear()


def test_the_delivery_task_run_twice_sends_once(world, counting):
    notifications.tell([world.users["community"]], verb="submit", text="井盖丢了")
    delivery = NotificationDelivery.objects.get()
    assert tasks.deliver.call(delivery.pk) == "sent"
    assert tasks.deliver.call(delivery.pk) == "skipped"
    assert counting == [(f"genxi-delivery-{delivery.pk}", "井盖丢了")]
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SENT and delivery.attempts == 1


def test_a_claimed_delivery_is_not_sent_by_a_second_attempt(world, counting):
    """Two attempts at once: the second finds the row claimed (sending, recently) and
    leaves it to the first."""
    notifications.tell([world.users["community"]], verb="submit", text="路灯不亮")
    delivery = NotificationDelivery.objects.get()
    NotificationDelivery.objects.filter(pk=delivery.pk).update(
        status=DeliveryStatus.SENDING, claimed_at=delivery.created_at
    )
    assert channels.deliver_now(delivery.pk) == "busy"
    assert counting == []


def test_a_worker_killed_after_sending_sends_again_with_the_same_key(world, counting, settings):
    notifications.tell([world.users["community"]], verb="submit", text="水管爆了")
    delivery = NotificationDelivery.objects.get()
    settings.GENXI_NOTIFY_CHANNELS = ["genxi.core.tests.test_delivery_once.DiesAfterSending"]
    with pytest.raises(Killed):
        channels.deliver_now(delivery.pk)
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SENDING and delivery.attempts == 1
    # Its task, run again at once (a second worker), does not send: the claim is fresh.
    settings.GENXI_NOTIFY_CHANNELS = ["genxi.core.tests.test_delivery_once.Counting"]
    assert channels.deliver_now(delivery.pk) == "busy"
    assert len(counting) == 1
    # Run again after the claim's lease (the worker is dead): sent again, same key.
    NotificationDelivery.objects.filter(pk=delivery.pk).update(
        claimed_at=delivery.claimed_at - channels.SEND_LEASE - timedelta(seconds=1)
    )
    assert channels.deliver_now(delivery.pk) == "sent"
    assert [key for key, _ in counting] == [f"genxi-delivery-{delivery.pk}"] * 2
    assert channels.deliver_now(delivery.pk) == "skipped"
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SENT and delivery.attempts == 2


def test_one_delivery_per_message_and_channel(world, counting):
    notifications.tell([world.users["community"]], verb="submit", text="噪音扰民")
    delivery = NotificationDelivery.objects.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        NotificationDelivery.objects.create(
            notification=delivery.notification, channel=delivery.channel
        )
