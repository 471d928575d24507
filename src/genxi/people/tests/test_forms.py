"""The forms of people's pages: a refused reveal or import is the form again, 400 (403
for a rule the user is refused by), with the message beside the field and nothing written
(decision 0016)."""

import pytest
from django.urls import reverse

from genxi.core.models import AuditEvent
from genxi.people.models import ImportJob, Resident

from .test_write_matrix import _upload

pytestmark = pytest.mark.django_db


def test_a_refused_reveal_is_the_row_again_with_the_reason_kept(client, world):
    resident = world.resident(world.grid_a1, "王秀英", phone="13912348765")
    client.force_login(world.users["community"])
    url = reverse("people:resident_reveal", args=[resident.pk])
    events = AuditEvent.objects.count()
    response = client.post(url, {"field": "phone", "reason": "看看"[:1]}, HTTP_HX_REQUEST="true")
    assert response.status_code == 400  # htmx swaps it all the same (genxi.js)
    body = response.content.decode()
    assert 'data-error-for="reason">请填写查看理由(至少 4 个字)。</div>' in body
    assert 'value="看"' in body and "<details" in body and " open>" in body
    assert "13912348765" not in body and "139****8765" in body
    client.force_login(world.users["grid"])  # may see residents, not reveal them
    events = AuditEvent.objects.count()
    response = client.post(url, {"field": "phone", "reason": "电话回访独居老人"})
    assert response.status_code == 403
    assert 'data-error-for="form">您没有查看个人信息明文的权限。</div>' in response.content.decode()
    assert AuditEvent.objects.count() == events


def test_a_refused_import_keeps_the_page_and_writes_nothing(client, world):
    client.force_login(world.users["community"])
    data = {"kind": "residents", "region": world.b1.pk}
    data["file"] = _upload("residents", world.grid_b1, "外")
    jobs, residents = ImportJob.objects.count(), Resident.objects.count()
    response = client.post(reverse("people:imports"), data)
    assert response.status_code == 400
    assert 'data-error-for="region"' in response.content.decode()
    # The system admin sees the region but may not import residents: the form does not
    # offer them (nor their template), and a forged post is refused beside the field.
    client.force_login(world.users["system_admin"])
    page = client.get(reverse("people:imports")).content.decode()
    assert 'value="residents"' not in page and 'value="pioneers"' in page
    template = reverse("people:import_template", args=["residents"])
    assert client.get(template).status_code == 404
    data = {"kind": "residents", "region": world.a1.pk}
    data["file"] = _upload("residents", world.grid_a1, "内")
    response = client.post(reverse("people:imports"), data)
    assert response.status_code == 400
    assert 'data-error-for="kind"' in response.content.decode()
    assert (ImportJob.objects.count(), Resident.objects.count()) == (jobs, residents)
