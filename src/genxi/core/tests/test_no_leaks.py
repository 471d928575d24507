"""No page, export or API answer shows what its viewer may not see: another scope's objects,
a resident to a role without residents, or a phone or ID number unmasked unless revealed;
and every route answers as declared (core/testing/page_matrix.py)."""

import io

import pytest
from django.apps import apps
from django.urls import reverse
from openpyxl import load_workbook

from genxi.core.models import AuditEvent
from genxi.core.pii import mask_id_number, mask_phone
from genxi.core.testing.page_matrix import (
    page_matrix,
    page_tables,
    page_world,  # noqa: F401  (the fixture)
    read_routes,
    undeclared,
    write_world,  # noqa: F401  (the fixture)
)

# Every page, export and API read, for every role, on a world with one of everything in
# and out of each scope: statuses as declared, nothing of another scope, no number in clear
# (core/testing/page_matrix.py; each app declares its routes in tests/pages.py).
test_page = page_matrix()


@pytest.mark.parametrize(
    "app", sorted(a.name for a in apps.get_app_configs() if a.name.startswith("genxi."))
)
def test_every_page_is_declared(app):
    """A new page, export or API read must be declared in its app's tests/pages.py."""
    tables = dict(page_tables())
    missing, stale = undeclared(app, getattr(tables.get(app), "PAGES", {}))
    assert not missing, f"{app}: routes not in its tests/pages.py PAGES: {sorted(missing)}"
    assert not stale, f"{app}: tests/pages.py names routes that do not exist: {sorted(stale)}"


def test_every_route_belongs_to_an_app():
    owners = set(read_routes().values())
    genxi = {a.name for a in apps.get_app_configs() if a.name.startswith("genxi.")}
    assert owners <= genxi, owners - genxi


def test_the_guard_sees_pages_exports_and_api_reads():
    missing, stale = undeclared("genxi.cases", {"nowhere": None})
    assert {"cases:detail", "public:track_case", "open311:request"} <= missing
    assert {"GET /api/v1/cases", "GET /api/v1/cases/{code}"} <= missing
    assert stale == {"nowhere"}


def _cells(response) -> str:
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    return " ".join(str(c.value) for row in sheet.iter_rows() for c in row)


@pytest.mark.django_db
def test_exports_show_numbers_masked(client, page_world):  # noqa: F811
    """The matrix checks no number is in clear; here, that the masked one is there."""
    side = page_world.objs["sides"]["in"]
    client.force_login(page_world.users["community"])
    residents = _cells(client.get(reverse("people:residents"), {"format": "xlsx"}))
    assert mask_id_number(side.resident.id_number) in residents
    pioneers = _cells(client.get(reverse("people:pioneers"), {"format": "xlsx"}))
    assert mask_phone(side.pioneer.phone) in pioneers


@pytest.mark.django_db
def test_reveal_shows_value_and_writes_audit(client, page_world):  # noqa: F811
    world = page_world
    resident = world.objs["sides"]["in"].resident
    phone = resident.phone
    client.force_login(world.users["community"])
    detail = client.get(reverse("people:resident", args=[resident.pk])).content.decode()
    assert mask_phone(phone) in detail and phone not in detail
    url = reverse("people:resident_reveal", args=[resident.pk])
    refused = client.post(url, {"field": "phone", "reason": ""})
    assert refused.status_code == 400 and phone not in refused.content.decode()
    response = client.post(url, {"field": "phone", "reason": "电话回访诉求办理情况"})
    assert response.status_code == 200 and phone in response.content.decode()
    assert response["Cache-Control"] == "no-store"
    event = AuditEvent.objects.get(verb="pii.reveal")
    assert event.target_id == str(resident.pk) and event.reason == "电话回访诉求办理情况"
    # A grid worker may see the resident, but not reveal.
    client.force_login(world.users["grid"])
    denied = client.post(url, {"field": "phone", "reason": "想看看号码是多少"})
    assert phone not in denied.content.decode()
    # Out of scope: 404, and nothing recorded.
    client.force_login(world.users["outsider"])
    assert client.post(url, {"field": "phone", "reason": "越权查看测试"}).status_code == 404
    assert AuditEvent.objects.filter(verb="pii.reveal").count() == 1
