"""Exactly-once posts from the phone's outbox (core/idempotency.py, docs/offline.md), on the
pages that use it: intake (a visit's case) and a step of the loop."""

import uuid

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from genxi.cases import services
from genxi.cases.models import Case, CaseState
from genxi.core.models import AuditEvent, IdempotentPost
from genxi.core.testing.race import needs_postgres, race

TEXT = "三元一村5幢楼道里堆满了纸箱和旧家具"


def _intake(client, key, text=TEXT, outbox=False, **extra):
    data = {"text": text, "urgency": "normal", "channel": "walk_in", "idempotency_key": key}
    data |= {"lat": "31.3211", "lon": "120.5911"}
    headers = {"HTTP_X_GENXI_OUTBOX": "1"} if outbox else {}
    return client.post(reverse("cases:new"), data | extra, **headers)


def test_the_same_record_sent_twice_makes_one_case(client, loop):
    client.force_login(loop.users["community"])
    key = str(uuid.uuid4())
    first = _intake(client, key)
    audits = AuditEvent.objects.count()
    second = _intake(client, key)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]  # the second send answers the first's answer
    assert Case.objects.filter(text=TEXT).count() == 1
    assert AuditEvent.objects.count() == audits  # and writes nothing, not even an audit
    record = IdempotentPost.objects.get(key=key)
    assert record.user == loop.users["community"] and record.location == first["Location"]


def test_the_outbox_hears_json_and_the_replay_says_so(client, loop):
    client.force_login(loop.users["community"])
    key = uuid.uuid4().hex
    first = _intake(client, key, outbox=True)
    assert first.status_code == 200
    assert first.json() == {"ok": True, "location": first.json()["location"], "replayed": False}
    case = Case.objects.get(text=TEXT)
    assert first.json()["location"] == case.get_absolute_url()
    again = _intake(client, key, outbox=True).json()
    assert again == {"ok": True, "location": case.get_absolute_url(), "replayed": True}


def test_a_refused_record_keeps_no_key_and_may_be_sent_again_corrected(client, loop):
    client.force_login(loop.users["community"])
    key = uuid.uuid4().hex
    refused = _intake(client, key, text="短")
    assert refused.status_code == 400 and 'data-error-for="text"' in refused.content.decode()
    assert not IdempotentPost.objects.filter(key=key).exists()
    assert _intake(client, key).status_code == 302
    assert Case.objects.filter(text=TEXT).count() == 1


def test_a_key_is_each_persons_own(client, loop):
    key = uuid.uuid4().hex
    client.force_login(loop.users["community"])
    _intake(client, key)
    other = Client()
    other.force_login(loop.users["community2"])
    _intake(other, key, text="三元二村门口的路灯坏了好几天")
    assert Case.objects.filter(text__startswith="三元").count() == 2


def test_a_bad_key_or_a_key_reused_elsewhere_is_refused(client, loop):
    client.force_login(loop.users["community"])
    bad = _intake(client, "short")
    assert bad.status_code == 400 and "幂等键" in bad.json()["error"]
    assert not Case.objects.filter(text=TEXT).exists()
    key = uuid.uuid4().hex
    _intake(client, key)
    case = Case.objects.get(text=TEXT)
    elsewhere = client.post(
        reverse("cases:act", args=[case.code, "accept"]),
        {"idempotency_key": key},
        HTTP_X_GENXI_OUTBOX="1",
    )
    assert elsewhere.status_code == 409
    assert Case.objects.get(pk=case.pk).state == CaseState.SUBMITTED


def test_a_step_sent_after_someone_else_took_another_is_refused_not_overwritten(client, loop):
    """The phone's conflict: the case moved on meanwhile. The step is refused with the
    page's words (the outbox shows them), and nothing is written."""
    case = services.case_create(actor=None, channel="phone", text=TEXT, region=loop.grid_a1)
    services.case_act(actor=loop.users["community"], case=case, action="reject", reason="重复")
    client.force_login(loop.users["community"])
    response = client.post(
        reverse("cases:act", args=[case.code, "accept"]),
        {"idempotency_key": uuid.uuid4().hex},
        HTTP_X_GENXI_OUTBOX="1",
    )
    assert response.status_code in (400, 403)
    assert "data-error-for" in response.content.decode()
    assert not IdempotentPost.objects.exists()


def test_an_ordinary_post_without_a_key_is_untouched(client, loop):
    client.force_login(loop.users["community"])
    data = {"text": TEXT, "urgency": "normal", "channel": "walk_in"}
    data |= {"lat": "31.3211", "lon": "120.5911"}
    assert client.post(reverse("cases:new"), data).status_code == 302
    assert client.post(reverse("cases:new"), data).status_code == 302
    assert Case.objects.filter(text=TEXT).count() == 2  # the form itself guards nothing
    assert not IdempotentPost.objects.exists()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_same_record_sent_twice_at_once_makes_one_case(loop):
    needs_postgres()
    key = uuid.uuid4().hex
    user = loop.users["community"]

    def send():
        c = Client()
        c.force_login(user)
        return _intake(c, key, outbox=True).json()

    outcome = race([send, send, send])
    assert outcome.errors == []
    assert Case.objects.filter(text=TEXT).count() == 1
    answers = sorted(o["replayed"] for o in outcome.done)
    assert answers == [False, True, True]
    assert len({o["location"] for o in outcome.done}) == 1
    connection.close()
