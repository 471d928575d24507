"""The co-building API: a unit claims a need, a project share and a service slot; the
community approves; delivery is recorded; errors name the field; scope answers 404."""

from datetime import timedelta

from django.utils import timezone

from genxi.cobuild import services
from genxi.cobuild.models import Claim, ClaimStatus

from .helpers import weekly_service


def _post(client, path, data):
    return client.post(path, data, content_type="application/json")


def test_claim_lifecycle_through_the_api(client, world):
    need = services.need_create(
        actor=world.users["community"],
        community=world.a1,
        title="助老志愿服务",
        kind="volunteers",
        quantity=10,
        unit_label="小时",
    )
    project = services.project_create(
        actor=world.users["community"], community=world.a1, title="口袋公园", goal="建设"
    )
    service = weekly_service(world, title="义诊", kind="medical", place="卫生服务站")
    unit = world.objs["unit_a"].pk
    client.force_login(world.users["unit"])
    detail = client.get(f"/api/v1/cobuild/services/{service.pk}").json()
    slot = detail["slots"][0]["id"]
    made = [
        _post(client, "/api/v1/cobuild/claims", {"unit": unit, "need": need.pk, "quantity": 4}),
        _post(
            client,
            "/api/v1/cobuild/claims",
            {
                "unit": unit,
                "project": project.pk,
                "quantity": 3000,
                "kind": "funds",
                "unit_label": "元",
            },
        ),
        _post(client, "/api/v1/cobuild/claims", {"unit": unit, "slot": slot}),
    ]
    assert [r.status_code for r in made] == [201, 201, 201]
    assert made[0].json()["status"] == "pending" and made[2].json()["kind"] == "medical"
    # Too much, no target, another unit, a project share without a kind: clear answers.
    too_much = _post(
        client, "/api/v1/cobuild/claims", {"unit": unit, "need": need.pk, "quantity": 11}
    )
    assert too_much.status_code == 422 and "quantity" in too_much.json()["errors"]
    # true is not a number (pydantic alone would read it as 1, and a unit id of 1).
    yes = _post(client, "/api/v1/cobuild/claims", {"unit": True, "need": need.pk, "quantity": True})
    assert yes.status_code == 422 and {"unit", "quantity"} <= set(yes.json()["errors"])
    assert _post(client, "/api/v1/cobuild/claims", {"unit": unit}).status_code == 422
    other = world.objs["unit_b"].pk
    assert (
        _post(client, "/api/v1/cobuild/claims", {"unit": other, "need": need.pk}).status_code == 403
    )
    no_kind = _post(client, "/api/v1/cobuild/claims", {"unit": unit, "project": project.pk})
    assert no_kind.status_code == 422 and "kind" in no_kind.json()["errors"]
    claim_id = made[0].json()["id"]
    refused = _post(client, f"/api/v1/cobuild/claims/{claim_id}/approve", {})
    assert refused.status_code == 403  # a liaison does not approve its own claim
    client.force_login(world.users["community"])
    for response in made:
        ok = _post(client, f"/api/v1/cobuild/claims/{response.json()['id']}/approve", {})
        assert ok.status_code == 200 and ok.json()["status"] == "approved"
    again = _post(client, f"/api/v1/cobuild/claims/{claim_id}/approve", {})
    assert again.status_code == 422 and "status" in again.json()["errors"]
    delivered = _post(
        client,
        f"/api/v1/cobuild/claims/{claim_id}/deliver",
        {"amount": 4, "beneficiaries": 12},
    )
    assert (
        delivered.json()["status"] == "delivered" and delivered.json()["beneficiaries_served"] == 12
    )
    assert client.get(f"/api/v1/cobuild/needs/{need.pk}").json()["filled"] == 4
    assert (
        client.get(f"/api/v1/cobuild/services/{service.pk}").json()["slots"][0]["unit_id"] == unit
    )
    assert set(Claim.objects.values_list("status", flat=True)) == {
        ClaimStatus.APPROVED,
        ClaimStatus.DELIVERED,
    }
    # Out of scope: 404 for reading and acting.
    client.force_login(world.users["outsider"])
    assert client.get(f"/api/v1/cobuild/needs/{need.pk}").status_code == 404
    assert (
        _post(client, f"/api/v1/cobuild/claims/{claim_id}/reject", {"reason": "x"}).status_code
        == 404
    )


def test_meeting_api_lists_resolutions(client, world):
    meeting = services.meeting_create(
        actor=world.users["street"],
        host=world.street_a,
        title="联席会",
        starts_at=timezone.now(),
        place="街道",
        units=[world.objs["unit_a"]],
        agenda=["议题一"],
    )
    services.resolution_add(
        actor=world.users["street"],
        meeting=meeting,
        text="建设口袋公园",
        kind="project",
        owner=world.users["community"],
        deadline=timezone.localdate() + timedelta(days=60),
        community=world.a1,
    )
    client.force_login(world.users["unit"])
    body = client.get(f"/api/v1/cobuild/meetings/{meeting.pk}").json()
    assert body["agenda"] == ["议题一"] and body["invited_units"] == [world.objs["unit_a"].pk]
    (item,) = body["resolutions"]
    assert item["kind"] == "project" and item["owner"] == "community" and not item["finished"]


def test_openapi_documents_the_cobuild_endpoints(client):
    paths = set(client.get("/api/v1/openapi.json").json()["paths"])
    for path in (
        "/api/v1/cobuild/needs",
        "/api/v1/cobuild/resources",
        "/api/v1/cobuild/projects",
        "/api/v1/cobuild/services/{service_id}",
        "/api/v1/cobuild/meetings/{meeting_id}",
        "/api/v1/cobuild/claims",
        "/api/v1/cobuild/claims/{claim_id}/deliver",
    ):
        assert path in paths


def test_a_rejected_claim_says_why_through_the_api(client, world):
    need = services.need_create(
        actor=world.users["community"],
        community=world.a1,
        title="周末助老",
        kind="volunteers",
        quantity=5,
        unit_label="小时",
    )
    claim = services.claim_create(
        actor=world.users["unit"], need=need, unit=world.objs["unit_a"], quantity=2
    )
    client.force_login(world.users["community"])
    url = f"/api/v1/cobuild/claims/{claim.pk}/reject"
    refused = _post(client, url, {"reason": " "})
    assert refused.status_code == 422 and "reason" in refused.json()["errors"]
    rejected = _post(client, url, {"reason": "时间冲突"})
    assert rejected.status_code == 200
    assert (rejected.json()["status"], rejected.json()["reason"]) == ("rejected", "时间冲突")
