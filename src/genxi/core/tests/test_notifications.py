"""Notifications: sent after commit, retried, failures visible; the webhook is signed with
HMAC-SHA256; the inbox links to the subject and marks messages read."""

import hashlib
import hmac
import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.urls import reverse

from genxi.core import notifications
from genxi.core.models import DeliveryStatus, Notification, NotificationDelivery
from genxi.core.notifications import channels


class Broken(channels.Channel):
    name = "broken"

    def send(self, user, notification, *, key):
        raise OSError("provider down")


def test_failed_deliveries_are_retried_then_kept_visible(world, settings):
    settings.GENXI_NOTIFY_CHANNELS = ["genxi.core.tests.test_notifications.Broken"]
    notifications.tell([world.users["community"]], verb="submit", text="楼道里堆满了杂物")
    delivery = NotificationDelivery.objects.get()
    for _ in range(channels.MAX_ATTEMPTS):
        assert channels.deliver_now(delivery.pk) in ("retry", "failed")
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED and delivery.attempts == channels.MAX_ATTEMPTS
    assert "provider down" in delivery.last_error


def test_deliveries_wait_for_commit(world, settings, django_capture_on_commit_callbacks):
    settings.GENXI_NOTIFY_CHANNELS = ["genxi.core.notifications.channels.SmsChannel"]
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notifications.tell([world.users["community"]], verb="submit", text="楼道里堆满了杂物")
    assert Notification.objects.filter(user=world.users["community"]).count() == 1
    assert NotificationDelivery.objects.get().status == DeliveryStatus.PENDING
    assert len(callbacks) == 1
    callbacks[0]()  # the test backend runs the task at once
    assert NotificationDelivery.objects.get().status == DeliveryStatus.SENT


def test_webhook_is_signed(world, settings):
    received = {}

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802
            body = self.rfile.read(int(self.headers["Content-Length"]))
            received["body"] = body
            received["signature"] = self.headers["X-Genxi-Signature"]
            received["key"] = self.headers["Idempotency-Key"]
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.handle_request)
    thread.start()
    settings.GENXI_NOTIFY_CHANNELS = ["genxi.core.notifications.channels.WebhookChannel"]
    settings.GENXI_WEBHOOK_URL = f"http://127.0.0.1:{server.server_port}/hook"
    settings.GENXI_WEBHOOK_SECRET = "s3cret"
    notifications.tell(
        [world.users["community"]],
        verb="submit",
        text="楼道里堆满了杂物,电话13912345678",
        subject=world.grid_a1,
    )
    delivery = NotificationDelivery.objects.get()
    assert channels.deliver_now(delivery.pk) == "sent"
    thread.join(5)
    server.server_close()
    expected = hmac.new(b"s3cret", received["body"], hashlib.sha256).hexdigest()
    assert received["signature"] == expected
    payload = json.loads(received["body"])
    # The same key on every attempt of this delivery: the receiver drops a second copy.
    assert payload["id"] == received["key"] == f"genxi-delivery-{delivery.pk}"
    assert payload["verb"] == "submit" and payload["user"] == world.users["community"].username
    assert payload["subject"] == "regions.region" and payload["code"] == world.grid_a1.code
    # The resident's number leaves genxi masked; the inbox inside keeps the text as written.
    assert payload["text"] == "楼道里堆满了杂物,电话139****5678"
    assert "13912345678" in Notification.objects.get().text


def test_email_carries_masked_numbers(world, settings, mailoutbox):
    settings.GENXI_NOTIFY_CHANNELS = ["genxi.core.notifications.channels.EmailChannel"]
    worker = world.users["community"]
    worker.email = "worker@example.gov.cn"
    worker.save(update_fields=["email"])
    notifications.tell([worker], verb="submit", text="身份证320501199001011234 求助")
    delivery = NotificationDelivery.objects.get()
    assert channels.deliver_now(delivery.pk) == "sent"
    (mail,) = mailoutbox
    assert mail.extra_headers["Message-ID"].startswith(f"<genxi-delivery-{delivery.pk}@")
    assert "320501199001011234" not in mail.subject + mail.body
    assert mail.body.startswith("身份证3205")


def test_inbox_links_the_subject_and_marks_read(client, world):
    worker = world.users["community"]
    notifications.tell([worker], verb="note", text="有对象的通知", subject=world.grid_a1)
    notifications.tell([worker], verb="note", text="没有对象的通知")
    client.force_login(worker)
    body = client.get(reverse("inbox")).content.decode()
    assert f'href="{world.grid_a1.get_absolute_url()}">有对象的通知' in body
    assert "没有对象的通知" in body
    assert not Notification.objects.filter(user=worker, read_at__isnull=True).exists()


def test_inactive_and_missing_users_are_not_told(world):
    worker = world.users["community"]
    worker.is_active = False
    worker.save(update_fields=["is_active"])
    notifications.tell([worker, None], verb="note", text="t")
    assert not Notification.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_the_move_to_core_keeps_each_notification_and_its_case():
    """cases' 0006 turns the case foreign key into a subject; 0007 and core's 0007 move the
    tables. Walked back and forth, a notification keeps its text, reader and case."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    from genxi.cases.models import Case
    from genxi.people.models import User

    before = [("cases", "0005_case_secret_digest"), ("core", "0006_audit_seal_and_db_time")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    user = old.get_model("people", "User").objects.create(username="reader", password="!")
    region = old.get_model("regions", "Region").objects.create(
        code="320500000000", name="市", level="city", path="/320500000000/"
    )
    case = old.get_model("cases", "Case").objects.create(
        code="K000000001", channel="phone", title="t", text="t", region=region
    )
    notifications = old.get_model("cases", "Notification").objects
    about = notifications.create(user=user, case=case, verb="submit", text="有案件")
    plain = notifications.create(user=user, verb="note", text="没有案件")
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    moved = Notification.objects.get(pk=about.pk)
    assert moved.text == "有案件" and moved.user == User.objects.get(pk=user.pk)
    assert moved.subject == Case.objects.get(pk=case.pk)
    assert Notification.objects.get(pk=plain.pk).subject is None
