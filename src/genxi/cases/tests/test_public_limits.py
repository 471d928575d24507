"""Public intake behind the HTTPS proxy: each resident has its own bucket, a forwarded
header is believed only from a trusted proxy, and audit events record the same address."""

import pytest
from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse

from genxi.cases.public import REPORT_LIMIT
from genxi.core.models import AuditEvent

REPORT = {"text": "彩香新村5幢门口的地砖翘起来了", "lat": "31.3212", "lon": "120.5912"}
PROXY = "10.0.0.2"


@pytest.fixture(autouse=True)
def _fresh_limits():
    cache.clear()
    yield
    cache.clear()


def _report(client, remote: str, forwarded: str | None = None) -> int:
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return client.post(reverse("public:report"), REPORT, **extra).status_code


@override_settings(GENXI_TRUSTED_PROXIES=[PROXY])
def test_two_residents_behind_the_proxy_have_their_own_buckets(client, loop):
    first = [_report(client, PROXY, "198.51.100.1") for _ in range(REPORT_LIMIT + 1)]
    assert first == [302] * REPORT_LIMIT + [429]  # the last one refused
    assert _report(client, PROXY, "198.51.100.2") == 302  # a neighbour is not blocked


@override_settings(GENXI_TRUSTED_PROXIES=[PROXY])
def test_an_untrusted_forwarded_for_is_ignored(client, loop):
    spoofed = [_report(client, "203.0.113.9", f"198.51.100.{n}") for n in range(REPORT_LIMIT + 1)]
    assert spoofed == [302] * REPORT_LIMIT + [429]  # a new header each time does not help
    # Behind the proxy, a header the client sent itself does not open a new bucket either.
    own = [_report(client, PROXY, f"6.6.6.{n}, 198.51.100.3") for n in range(REPORT_LIMIT + 1)]
    assert own == [302] * REPORT_LIMIT + [429]


@override_settings(GENXI_TRUSTED_PROXIES=[PROXY])
def test_audit_events_record_the_client_address(client, loop):
    assert _report(client, PROXY, "6.6.6.6, 198.51.100.4") == 302
    assert AuditEvent.objects.get(verb="case.create").ip == "198.51.100.4"


def test_with_the_cache_down_pages_answer_and_the_public_form_refuses(client, loop):
    """Redis unreachable (core/cache.py): the public pages are served, and the public form
    cannot count its limit, so it refuses (503, nothing written) rather than let all in."""
    from genxi.cases.models import Case
    from genxi.core.tests.test_cache_down import _closed_port

    caches = {
        "default": {
            "BACKEND": "genxi.core.cache.DegradedRedisCache",
            "LOCATION": f"redis://127.0.0.1:{_closed_port()}/0",
            "OPTIONS": {"socket_connect_timeout": 0.5},
        }
    }
    with override_settings(CACHES=caches):
        assert client.get(reverse("public:report")).status_code == 200
        assert client.get("/readyz").status_code == 200
        assert [_report(client, "198.51.100.9") for _ in range(2)] == [503, 503]
        assert not Case.objects.exists()
