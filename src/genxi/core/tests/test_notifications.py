"""Notifications: written with the case, sent after commit, retried, failures visible; the
webhook is signed with HMAC-SHA256."""

import hashlib
import hmac
import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

from genxi.cases import notify, services
from genxi.cases.models import Delivery, DeliveryStatus, Notification


class Broken(notify.Channel):
    name = "broken"

    def send(self, user, notification):
        raise OSError("provider down")


def test_failed_deliveries_are_retried_then_kept_visible(loop, settings):
    settings.GENXI_NOTIFY_CHANNELS = ["genxi.cases.tests.test_notify.Broken"]
    services.case_create(actor=None, channel="phone", text="楼道里堆满了杂物", region=loop.grid_a1)
    delivery = Delivery.objects.get()
    for _ in range(notify.MAX_ATTEMPTS):
        assert notify.deliver_now(delivery.pk) is False
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED and delivery.attempts == notify.MAX_ATTEMPTS
    assert "provider down" in delivery.last_error


def test_deliveries_wait_for_commit(loop, settings, django_capture_on_commit_callbacks):
    settings.GENXI_NOTIFY_CHANNELS = ["genxi.cases.notify.SmsChannel"]
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.case_create(
            actor=None, channel="phone", text="楼道里堆满了杂物", region=loop.grid_a1
        )
    assert Notification.objects.filter(user=loop.users["community"]).count() == 1
    assert Delivery.objects.get().status == DeliveryStatus.PENDING
    assert len(callbacks) == 1
    callbacks[0]()  # the test backend runs the task at once
    assert Delivery.objects.get().status == DeliveryStatus.SENT


def test_webhook_is_signed(loop, settings):
    received = {}

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802
            body = self.rfile.read(int(self.headers["Content-Length"]))
            received["body"] = body
            received["signature"] = self.headers["X-Genxi-Signature"]
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.handle_request)
    thread.start()
    settings.GENXI_NOTIFY_CHANNELS = ["genxi.cases.notify.WebhookChannel"]
    settings.GENXI_WEBHOOK_URL = f"http://127.0.0.1:{server.server_port}/hook"
    settings.GENXI_WEBHOOK_SECRET = "s3cret"
    services.case_create(actor=None, channel="phone", text="楼道里堆满了杂物", region=loop.grid_a1)
    assert notify.deliver_now(Delivery.objects.get().pk) is True
    thread.join(5)
    server.server_close()
    expected = hmac.new(b"s3cret", received["body"], hashlib.sha256).hexdigest()
    assert received["signature"] == expected
    assert json.loads(received["body"])["verb"] == "submit"
