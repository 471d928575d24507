"""Public codes and public text: the public id cannot act for the reporter, the secret can
(and guessing it is limited); numbers typed into text are masked wherever they are not to be
seen; control characters never reach the store, and the XML feed is well-formed whatever is
stored."""

import json
import xml.etree.ElementTree as ET
from io import StringIO

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from genxi.cases import services
from genxi.cases.models import Case, CaseState
from genxi.cases.public import SECRET_TRIES

BASE = "/open311/v2"
PHONE, ID_NUMBER = "13912345678", "320502199001011234"
TYPED = f"电话{PHONE}，身份证{ID_NUMBER}，楼道里堆满了杂物"
CONTROL = "\x00\x01\x0b\x1b"


@pytest.fixture(autouse=True)
def _fresh_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def api_key(loop):
    out = StringIO()
    call_command("open311", "key", "create", "12345热线", stdout=out)
    return out.getvalue().strip()


def _report(client, text="彩香新村5幢门口的地砖翘起来了"):
    """A resident reports on the public form; returns the case and the confirmation link."""
    response = client.post(
        reverse("public:report"), {"text": text, "lat": "31.3212", "lon": "120.5912"}
    )
    assert response.status_code == 302, response.content.decode()
    return Case.objects.filter(channel="public_form").latest("pk"), response["Location"]


def _to_verified(loop, case, result="已修复地砖"):
    for who, action, fields in [
        ("community", "accept", {}),
        ("community", "dispatch", {"handler": loop.users["grid"]}),
        ("grid", "take", {}),
        ("grid", "resolve", {"result": result}),
        ("community", "verify", {}),
    ]:
        services.case_act(actor=loop.users[who], case=case, action=action, **fields)


def _rate(client, case, key):
    url = reverse("public:track_case", args=[case.code])
    return client.post(url, {"rating": "unsatisfied", "key": key})


# 1. The public id and the reporter's secret ------------------------------------------------


def test_the_feed_gives_no_key_and_the_public_id_alone_cannot_rate(client, loop):
    case, link = _report(client)
    _to_verified(loop, case)
    for key in ("", case.code, case.code.lower()):  # the code, as the feed lists it
        _rate(client, case, key)
        case.refresh_from_db()
        assert case.rating == "" and case.state == CaseState.VERIFIED
    assert not case.events.filter(action="rate").exists()

    secret = link.split("key=")[1]
    assert secret and secret not in case.code
    assert secret in client.get(link).content.decode()  # the confirmation's link shows it
    for fmt in ("json", "xml"):
        feed = client.get(f"{BASE}/requests.{fmt}").content.decode()
        assert case.code in feed and secret not in feed  # the feed lists the public id only
    assert secret not in client.get(reverse("public:track_case", args=[case.code])).content.decode()

    client.post(link, {"rating": "satisfied", "key": secret})
    case.refresh_from_db()
    assert case.rating == "satisfied"
    assert case.events.get(action="rate").data["by"] == "reporter"


def test_a_merged_cases_reporter_rates_the_case_it_joined(client, loop):
    master, _link = _report(client, "彩香新村5幢门口的地砖翘起来了")
    merged, link = _report(client, "彩香新村5幢门口地砖翘起来绊人")
    services.case_act(
        actor=loop.users["community"], case=merged, action="merge", master=master, reason="同一处"
    )
    _to_verified(loop, master)
    client.post(link, {"rating": "basically", "key": link.split("key=")[1]})
    master.refresh_from_db()
    assert master.rating == "basically"


def test_guessing_the_secret_is_limited(client, loop):
    case, link = _report(client)
    secret = link.split("key=")[1]
    _to_verified(loop, case)
    for n in range(SECRET_TRIES):
        _rate(client, case, f"WRONG{n:07d}")
    answer = _rate(client, case, secret)  # right, but the address has no tries left
    case.refresh_from_db()
    assert case.rating == "" and "尝试次数太多" in answer.content.decode()
    other = client.post(
        link, {"rating": "satisfied", "key": secret}, REMOTE_ADDR="198.51.100.7"
    )  # another address still may
    assert other.status_code == 302
    case.refresh_from_db()
    assert case.rating == "satisfied"


def test_open311_post_answers_with_the_secret_as_its_token(client, loop, api_key):
    answer = client.post(
        f"{BASE}/requests.json",
        {"api_key": api_key, "service_code": "ENV.02", "lat": "31.321", "long": "120.591",
         "description": "彩香新村5幢楼道里堆满了纸板"},
    )  # fmt: skip
    assert answer.status_code == 201
    item = answer.json()[0]
    code, token = item["service_request_id"], item["token"]
    case = Case.objects.get(code=code)
    assert token != code and case.secret_matches(token)
    assert client.get(f"{BASE}/tokens/{token}.json").json()[0]["service_request_id"] == code
    assert client.get(f"{BASE}/tokens/{code}.json").status_code == 404  # the id is no token
    for n in range(20):
        client.get(f"{BASE}/tokens/WRONG{n:07d}.json")
    assert client.get(f"{BASE}/tokens/{token}.xml").status_code == 429
    _to_verified(loop, case)
    client.post(reverse("public:track_case", args=[code]), {"rating": "satisfied", "key": token},
                REMOTE_ADDR="198.51.100.8")  # fmt: skip
    case.refresh_from_db()
    assert case.rating == "satisfied"


def test_staff_and_api_intake_hand_the_secret_over_once(client, loop):
    client.force_login(loop.users["community"])
    answer = client.post(
        "/api/v1/cases",
        json.dumps({"text": "彩香新村5幢楼道里堆满了杂物", "lat": 31.321, "lon": 120.591}),
        content_type="application/json",
    )
    case = Case.objects.get(code=answer.json()["code"])
    assert case.secret_matches(answer.json()["reporter_secret"])
    detail = client.get(f"/api/v1/cases/{case.code}").json()
    assert "reporter_secret" not in detail and case.secret_digest not in json.dumps(detail)


def test_the_migration_gives_every_existing_case_a_secret(loop):
    from importlib import import_module

    from django.apps import apps

    case = services.case_create(
        actor=None, channel="phone", text="路灯坏了很久了", region=loop.grid_a1
    )
    Case.objects.filter(pk=case.pk).update(secret_digest="")
    migration = import_module("genxi.cases.migrations.0005_case_secret_digest")
    migration.give_secrets(apps, None)
    case.refresh_from_db()
    assert len(case.secret_digest) == 64 and not case.secret_matches(case.code)


# 2. Numbers typed into text are masked -------------------------------------------------------


def test_open311_masks_numbers_typed_into_text(client, loop, api_key):
    case = services.case_create(actor=None, channel="phone", text=TYPED, region=loop.grid_a1)
    for params in ({}, {"api_key": api_key}):  # the first line, or all of it for a client
        for fmt in ("json", "xml"):
            for url in (f"{BASE}/requests.{fmt}", f"{BASE}/requests/{case.code}.{fmt}"):
                body = client.get(url, params).content.decode()
                assert PHONE not in body and ID_NUMBER not in body
                assert "139****5678" in body and "320502**********1234" in body
                assert "楼道里堆满了杂物" in body  # the rest as typed


def test_the_public_track_page_masks_numbers(client, loop):
    case, link = _report(client, TYPED)
    _to_verified(loop, case, result=f"已联系{PHONE}清理")
    page = client.get(link).content.decode()
    assert PHONE not in page and "139****5678" in page


def test_staff_without_reveal_see_numbers_masked(client, loop):
    case = services.case_create(actor=None, channel="phone", text=TYPED, region=loop.grid_a1)
    services.case_act(
        actor=loop.users["community"], case=case, action="accept", note=f"回电{PHONE}"
    )
    client.force_login(loop.users["grid"])  # a grid worker: no reveal permission
    for url in (f"/api/v1/cases/{case.code}", "/api/v1/cases", reverse("cases:queue"),
                reverse("cases:detail", args=[case.code])):  # fmt: skip
        body = client.get(url).content.decode()
        assert case.code in body, url
        assert PHONE not in body and ID_NUMBER not in body, url
        assert "139****5678" in body, url
    client.force_login(loop.users["community"])  # may reveal: sees the text as typed
    assert ID_NUMBER in client.get(f"/api/v1/cases/{case.code}").json()["text"]
    assert PHONE in client.get(reverse("cases:detail", args=[case.code])).content.decode()


def test_the_audit_log_keeps_no_typed_number(loop):
    from genxi.core.models import AuditEvent

    case = services.case_create(actor=None, channel="phone", text=TYPED, region=loop.grid_a1)
    services.case_act(actor=loop.users["community"], case=case, action="reject",
                      reason=f"已电话{PHONE}告知,不属受理范围")  # fmt: skip
    events = AuditEvent.objects.filter(verb__in=["case.create", "case.reject"])
    assert events.count() == 2
    for event in events:
        dumped = json.dumps([event.before, event.after, event.reason], ensure_ascii=False)
        assert PHONE not in dumped and ID_NUMBER not in dumped
    assert "139****5678" in events.get(verb="case.create").after["text"]


# 3. Control characters -----------------------------------------------------------------------


def _clean(text: str) -> bool:
    return not any(c in text for c in CONTROL)


def test_control_characters_are_stripped_at_every_intake(client, loop, api_key):
    text = f"路灯{CONTROL}坏了{CONTROL}很久了"
    # The public form (and every Django form) refuses NUL; the rest are stripped.
    refused = client.post(reverse("public:report"), {"text": text, "lat": "31.3212",
                                                     "lon": "120.5912"})  # fmt: skip
    assert refused.status_code == 400 and not Case.objects.exists()
    public, _link = _report(client, "路灯\x01\x0b坏了\x1b很久了")
    client.force_login(loop.users["community"])
    staff = client.post(
        reverse("cases:new"),
        {"text": "三元一村\x1b路口的\x0b路灯坏了", "address": "三元一村\x01路口",
         "urgency": "normal", "channel": "walk_in", "lat": "31.3212", "lon": "120.5912"},
    )  # fmt: skip
    assert staff.status_code == 302
    api = client.post(
        "/api/v1/cases",
        json.dumps({"text": text, "reporter_name": "王\x00秀英", "lat": 31.321, "lon": 120.591}),
        content_type="application/json",
    )
    assert api.status_code == 201, api.content
    client.logout()
    open311 = client.post(
        f"{BASE}/requests.xml",
        {"api_key": api_key, "service_code": "ENV.02", "lat": "31.321", "long": "120.591",
         "description": text, "first_name": "秀\x1b英"},
    )  # fmt: skip
    assert open311.status_code == 201
    ET.fromstring(open311.content)
    cases = list(Case.objects.all())
    assert len(cases) == 4
    for case in cases:
        for value in (case.text, case.title, case.address, case.reporter_name):
            assert _clean(value), (case.channel, value)
    assert Case.objects.get(pk=public.pk).text == "路灯坏了很久了"


def test_the_xml_feed_is_well_formed_whatever_is_stored(client, loop):
    case = services.case_create(
        actor=None, channel="phone", text="路灯坏了很久了", region=loop.grid_a1
    )
    stored = CONTROL if connection.vendor == "sqlite" else CONTROL[1:]  # PostgreSQL: no NUL
    Case.objects.filter(pk=case.pk).update(  # bypassing intake
        title=f"路灯{stored}坏了", text=f"路灯{stored}坏了\uffff很久了"
    )
    for url in (f"{BASE}/requests.xml", f"{BASE}/requests/{case.code}.xml"):
        root = ET.fromstring(client.get(url).content)
        assert root.findtext("request/description") == "路灯坏了"
    assert client.get(f"{BASE}/requests.json").json()[0]["service_request_id"] == case.code
