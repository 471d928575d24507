"""No phone or ID number appears unmasked in any page, API answer or export unless revealed."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from genxi.core.models import AuditEvent

PHONE = "13912348765"
ID_NUMBER = "320508195001010012"
UNIT_PHONE = "13700001111"


@pytest.fixture
def exposed(world):
    resident = world.resident(world.grid_a1, "隐私居民", phone=PHONE, id_number=ID_NUMBER)
    pioneer = world.pioneer(world.grid_a1, "P-LEAK", "隐私先锋", phone="13600009999")
    return resident, pioneer


def _pages(world, resident, pioneer):
    unit = world.objs["unit_a"]
    return [
        reverse("home"),
        reverse("people:residents"),
        reverse("people:resident", args=[resident.pk]),
        reverse("people:pioneers"),
        reverse("people:pioneer", args=[pioneer.pk]),
        reverse("orgs:units"),
        reverse("orgs:unit", args=[unit.pk]),
        reverse("regions:detail", args=[world.grid_a1.pk]),
        "/api/v1/residents",
        f"/api/v1/residents/{resident.pk}",
        "/api/v1/pioneers",
        "/api/v1/units",
        f"/admin/people/resident/{resident.pk}/change/",
        "/admin/people/resident/",
        "/admin/orgs/partnerunit/",
    ]


@pytest.mark.parametrize("who", ["street", "community", "system_admin"])
def test_no_plain_personal_data_anywhere(client, world, exposed, who):
    resident, pioneer = exposed
    client.force_login(world.users[who])
    seen = 0
    for url in _pages(world, resident, pioneer):
        response = client.get(url)
        if response.status_code != 200:
            continue
        seen += 1
        body = response.content.decode()
        for secret in (PHONE, ID_NUMBER, "13600009999", UNIT_PHONE, "2单元301室"):
            assert secret not in body, f"{secret} shown at {url} to {who}"
    assert seen >= 8
    detail = client.get(reverse("people:resident", args=[resident.pk]))
    if who == "system_admin":
        # Running the system does not need residents' records (等保 separation of duties).
        assert detail.status_code == 404
    else:
        assert "139****8765" in detail.content.decode()


def test_exports_are_masked(client, world, exposed):
    client.force_login(world.users["community"])
    for url in (reverse("people:residents"), reverse("people:pioneers")):
        response = client.get(url, {"format": "xlsx"})
        assert response.status_code == 200
        sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
        cells = " ".join(str(c.value) for row in sheet.iter_rows() for c in row)
        assert PHONE not in cells and ID_NUMBER not in cells and "13600009999" not in cells
    resident_sheet = client.get(reverse("people:residents"), {"format": "xlsx"})
    text = " ".join(
        str(c.value)
        for row in load_workbook(io.BytesIO(resident_sheet.content)).worksheets[0].iter_rows()
        for c in row
    )
    assert "320508**********0012" in text


def test_export_is_scoped(client, world, exposed):
    world.resident(world.grid_b1, "虎丘居民")
    client.force_login(world.users["community"])
    response = client.get(reverse("people:residents"), {"format": "xlsx"})
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    names = [row[0].value for row in sheet.iter_rows(min_row=2)]
    assert names == ["隐私居民"]


def test_reveal_shows_value_and_writes_audit(client, world, exposed):
    resident, _ = exposed
    client.force_login(world.users["community"])
    url = reverse("people:resident_reveal", args=[resident.pk])
    refused = client.post(url, {"field": "phone", "reason": ""})
    assert refused.status_code == 400 and PHONE not in refused.content.decode()
    response = client.post(url, {"field": "phone", "reason": "电话回访诉求办理情况"})
    assert response.status_code == 200 and PHONE in response.content.decode()
    assert response["Cache-Control"] == "no-store"
    event = AuditEvent.objects.get(verb="pii.reveal")
    assert event.target_id == str(resident.pk) and event.reason == "电话回访诉求办理情况"
    # A grid worker may see the resident, but not reveal.
    client.force_login(world.users["grid"])
    denied = client.post(url, {"field": "phone", "reason": "想看看号码是多少"})
    assert PHONE not in denied.content.decode()
    # Out of scope: 404, and nothing recorded.
    client.force_login(world.users["outsider"])
    assert client.post(url, {"field": "phone", "reason": "越权查看测试"}).status_code == 404
    assert AuditEvent.objects.filter(verb="pii.reveal").count() == 1
