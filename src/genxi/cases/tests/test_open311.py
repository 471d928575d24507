"""Open311 GeoReport v2 conformance: every endpoint, in JSON and XML, errors included."""

import xml.etree.ElementTree as ET
from io import StringIO

import pytest
from django.core.management import call_command

from genxi.cases.models import Case

BASE = "/open311/v2"


@pytest.fixture
def api_key(loop):
    out = StringIO()
    call_command("open311", "key", "create", "12345热线", stdout=out)
    return out.getvalue().strip()


def _parse(response, fmt):
    if fmt == "json":
        assert response["Content-Type"].startswith("application/json")
        return response.json()
    assert response["Content-Type"].startswith("text/xml")
    return ET.fromstring(response.content)


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_discovery_and_services(client, loop, fmt):
    discovery = _parse(client.get(f"{BASE}/discovery.{fmt}"), fmt)
    services = _parse(client.get(f"{BASE}/services.{fmt}"), fmt)
    if fmt == "json":
        assert discovery["endpoints"][0]["specification"] == "http://wiki.open311.org/GeoReport_v2"
        codes = {s["service_code"] for s in services}
        sample = next(s for s in services if s["service_code"] == "ENV")
        assert set(sample) == {"service_code", "service_name", "description", "metadata", "type",
                               "keywords", "group"}  # fmt: skip
        assert sample["metadata"] is True and sample["type"] == "realtime"
    else:
        assert discovery.tag == "discovery"
        assert discovery.find("endpoints/endpoint/specification").text.endswith("GeoReport_v2")
        assert services.tag == "services"
        codes = {s.findtext("service_code") for s in services.findall("service")}
        assert services.find("service/metadata").text == "true"
    assert {"ENV", "FAC", "SAFE", "PROP", "NEIGH", "AID", "MKT", "TRAF", "POL", "SUG"} <= codes


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_service_definition(client, loop, fmt):
    data = _parse(client.get(f"{BASE}/services/SAFE.json".replace("json", fmt)), fmt)
    if fmt == "json":
        assert data["service_code"] == "SAFE"
        attribute = data["attributes"][0]
        assert attribute["code"] == "urgency" and attribute["datatype"] == "singlevaluelist"
        assert {v["key"] for v in attribute["values"]} == {"normal", "urgent", "emergency"}
    else:
        assert data.tag == "service_definition"
        assert data.find("attributes/attribute/code").text == "urgency"
        assert len(data.findall("attributes/attribute/values/value")) == 3
    missing = client.get(f"{BASE}/services/NOPE.{fmt}")
    assert missing.status_code == 404


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_post_then_get_request(client, loop, api_key, fmt):
    form = {
        "api_key": api_key,
        "service_code": "ENV.02",
        "lat": "31.321",
        "long": "120.591",
        "description": "彩香新村5幢楼道里堆满了纸板和旧家具",
        "first_name": "秀英",
        "last_name": "王",
        "phone": "13912345678",
        "attribute[urgency]": "urgent",
    }
    response = client.post(f"{BASE}/requests.{fmt}", form)
    assert response.status_code == 201
    data = _parse(response, fmt)
    request_id, secret = (
        (data[0]["service_request_id"], data[0]["token"])
        if fmt == "json"
        else (data.findtext("request/service_request_id"), data.findtext("request/token"))
    )
    assert secret and secret != request_id  # the token is the reporter's secret
    case = Case.objects.get(code=request_id)
    assert case.channel == "open311" and case.urgency == "urgent"
    assert case.region == loop.grid_a1 and case.reporter_contact == "13912345678"

    one = client.get(f"{BASE}/requests/{request_id}.{fmt}")
    token = client.get(f"{BASE}/tokens/{secret}.{fmt}")
    listing = client.get(f"{BASE}/requests.{fmt}", {"service_code": "ENV", "status": "open"})
    for r in (one, token, listing):
        assert r.status_code == 200
    body = one.content.decode()
    assert "13912345678" not in body and "王" not in body  # nothing personal in public GETs
    if fmt == "json":
        item = one.json()[0]
        assert item["status"] == "open" and item["service_code"] == "ENV.02"
        assert item["lat"] == 31.321 and item["requested_datetime"].endswith("+08:00")
        assert token.json()[0]["service_request_id"] == request_id
        assert [r["service_request_id"] for r in listing.json()] == [request_id]
    else:
        root = ET.fromstring(one.content)
        assert root.tag == "service_requests"
        assert root.findtext("request/status") == "open"
        assert ET.fromstring(listing.content).findtext("request/service_request_id") == request_id
    closed = client.get(f"{BASE}/requests.{fmt}", {"status": "closed"})
    assert request_id not in closed.content.decode()


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_errors_use_the_spec_format(client, loop, api_key, fmt):
    cases = [
        (client.post(f"{BASE}/requests.{fmt}", {"service_code": "ENV"}), 403),
        (client.post(f"{BASE}/requests.{fmt}", {"api_key": "wrong", "service_code": "ENV"}), 403),
        (client.post(f"{BASE}/requests.{fmt}", {"api_key": api_key}), 400),
        (client.post(f"{BASE}/requests.{fmt}", {"api_key": api_key, "service_code": "X"}), 404),
        (
            client.post(
                f"{BASE}/requests.{fmt}",
                {"api_key": api_key, "service_code": "ENV", "description": "路灯坏了很久"},
            ),
            400,
        ),  # fmt: skip
        (
            client.post(
                f"{BASE}/requests.{fmt}",
                {"api_key": api_key, "service_code": "ENV", "lat": "abc", "long": "1"},
            ),
            400,
        ),  # fmt: skip
        (
            client.post(
                f"{BASE}/requests.{fmt}",
                {
                    "api_key": api_key,
                    "service_code": "ENV",
                    "lat": "10",
                    "long": "10",
                    "description": "远在天边的问题",
                },
            ),
            400,
        ),  # fmt: skip
        (client.get(f"{BASE}/requests/NOSUCHCODE.{fmt}"), 404),
        (client.get(f"{BASE}/requests.{fmt}", {"status": "maybe"}), 400),
        (client.get(f"{BASE}/requests.{fmt}", {"start_date": "yesterday"}), 400),
        # 500 codes made a query SQLite refused (a 500); repeats count once.
        (client.get(f"{BASE}/requests.{fmt}", {"service_code": ",".join(["ENV"] * 500)}), 200),
        (
            client.get(
                f"{BASE}/requests.{fmt}", {"service_code": ",".join(f"C{i}" for i in range(500))}
            ),
            400,
        ),
    ]
    for response, status in cases:
        assert response.status_code == status, response.content
        if status == 200:
            continue
        data = _parse(response, fmt)
        if fmt == "json":
            assert data == [{"code": status, "description": data[0]["description"]}]
            assert data[0]["description"]
        else:
            assert data.tag == "errors"
            assert data.findtext("error/code") == str(status)
            assert data.findtext("error/description")
    assert not Case.objects.exists()
    assert client.get(f"{BASE}/services.yaml").status_code == 404


def test_api_key_as_query_parameter_and_idempotency(client, loop, api_key):
    form = {"service_code": "FAC.02", "lat": "31.321", "long": "120.591",
            "description": "路灯坏了好几天,晚上很黑"}  # fmt: skip
    first = client.post(f"{BASE}/requests.json?api_key={api_key}", form,
                        HTTP_IDEMPOTENCY_KEY="retry-1")  # fmt: skip
    again = client.post(f"{BASE}/requests.json?api_key={api_key}", form,
                        HTTP_IDEMPOTENCY_KEY="retry-1")  # fmt: skip
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json() and Case.objects.count() == 1


def test_revoked_keys_stop_working_and_revocation_is_audited(client, loop, api_key):
    from genxi.core.models import AuditEvent

    call_command("open311", "key", "revoke", "12345热线", stdout=StringIO())
    response = client.post(f"{BASE}/requests.json", {"api_key": api_key, "service_code": "ENV"})
    assert response.status_code == 403
    assert AuditEvent.objects.filter(verb="open311.key_revoke").exists()
