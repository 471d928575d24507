"""The API contract used by checks outside the code: a staff bearer token creates an
event, registers residents (a place, then the waiting list with its position), and reads
the counts; out of scope is 404; bad input names the field."""

from datetime import timedelta

from django.utils import timezone

from genxi.core.services import api_token_create
from genxi.events.models import Event, Registration


def _auth(world, who="street"):
    user = world.users[who]
    raw = api_token_create(actor=user, user=user, name="check")
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def _post(client, path, data, auth):
    return client.post(path, data, content_type="application/json", **auth)


def _event_body(world, **kw):
    starts = timezone.localtime() + timedelta(days=3)
    return {
        "title": "冬日送暖",
        "community": world.a1.code,
        "starts_at": starts.isoformat(),
        "ends_at": (starts + timedelta(hours=2)).isoformat(),
        "capacity": 2,
    } | kw


def test_create_register_and_count_with_a_bearer_token(client, world):
    auth = _auth(world)
    made = _post(client, "/api/v1/events", _event_body(world), auth)
    assert made.status_code == 201, made.content
    event_id = made.json()["id"]
    assert Event.objects.get(pk=event_id).community == world.a1
    answers = [
        _post(
            client,
            f"/api/v1/events/{event_id}/registrations",
            {"name": f"居民{n}", "phone": f"1390000000{n}"},
            auth,
        )
        for n in range(4)
    ]
    assert [a.status_code for a in answers] == [201] * 4
    assert [(a.json()["status"], a.json()["position"]) for a in answers] == [
        ("registered", None),
        ("registered", None),
        ("waitlisted", 1),
        ("waitlisted", 2),
    ]
    detail = client.get(f"/api/v1/events/{event_id}", **auth).json()
    assert (detail["registered"], detail["waitlisted"]) == (2, 2)
    assert "13900000001" not in str(client.get("/api/v1/events", **auth).content)
    assert Registration.objects.get(event_id=event_id, seq=1).registered_by == world.users["street"]


def test_out_of_scope_is_404_and_bad_input_names_the_field(client, world):
    auth_b = _auth(world, "outsider")
    assert _post(client, "/api/v1/events", _event_body(world), auth_b).status_code == 404
    auth = _auth(world)
    made = _post(client, "/api/v1/events", _event_body(world), auth).json()
    assert client.get(f"/api/v1/events/{made['id']}", **auth_b).status_code == 404
    path = f"/api/v1/events/{made['id']}/registrations"
    assert _post(client, path, {"name": "甲", "phone": "13900000001"}, auth_b).status_code == 404
    bad = _post(client, path, {"name": "甲", "phone": "123"}, auth)
    assert bad.status_code == 422 and "phone" in bad.json()["errors"]
    wrong = _post(client, "/api/v1/events", _event_body(world, capacity=0), auth)
    assert wrong.status_code == 422 and "capacity" in wrong.json()["errors"]
    grid = _post(client, "/api/v1/events", _event_body(world), _auth(world, "grid"))
    assert grid.status_code == 403
    assert client.get(f"/api/v1/events/{made['id']}").status_code == 401


def test_a_cancelled_events_reason_is_answered_masked_unless_the_caller_may_reveal(client, world):
    from genxi.events import services

    made = _post(client, "/api/v1/events", _event_body(world), _auth(world)).json()
    event = Event.objects.get(pk=made["id"])
    services.event_cancel(
        actor=world.users["community"], event=event, reason="讲师13912345678临时有事"
    )
    street = client.get(f"/api/v1/events/{event.pk}", **_auth(world)).json()
    assert street["status"] == "cancelled" and street["cancel_reason"] == "讲师13912345678临时有事"
    grid = client.get(f"/api/v1/events/{event.pk}", **_auth(world, "grid")).json()
    assert "13912345678" not in grid["cancel_reason"] and "临时有事" in grid["cancel_reason"]
