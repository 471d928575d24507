"""The cases API: create with Idempotency-Key, list, detail, transitions, suggest."""

import json
import threading

import pytest
from django.db import connection

from genxi.cases.models import Case, IdempotencyRecord

CREATE = {"text": "彩香新村5幢楼道里堆满了杂物", "lat": 31.321, "lon": 120.591, "channel": "phone"}


def _post(client, path, data, **headers):
    return client.post(path, json.dumps(data), content_type="application/json", **headers)


def test_create_and_walk_the_loop(client, loop):
    client.force_login(loop.users["community"])
    response = _post(client, "/api/v1/cases", CREATE)
    assert response.status_code == 201, response.content
    code = response.json()["code"]
    assert response.json()["region_code"] == loop.grid_a1.code
    assert response.json()["events"][0]["action"] == "submit"
    assert _post(client, f"/api/v1/cases/{code}/accept", {"category": "ENV.02"}).status_code == 200
    answer = _post(client, f"/api/v1/cases/{code}/dispatch", {"handler": "grid"})
    assert answer.status_code == 200 and answer.json()["handler"] == "grid"
    refused = _post(client, f"/api/v1/cases/{code}/take", {})
    assert refused.status_code == 403
    client.force_login(loop.users["grid"])
    assert _post(client, f"/api/v1/cases/{code}/take", {}).status_code == 200
    missing = _post(client, f"/api/v1/cases/{code}/resolve", {})
    assert missing.status_code == 400 and "result" in missing.json()["errors"]
    done = _post(client, f"/api/v1/cases/{code}/resolve", {"result": "已清理"})
    assert done.json()["state"] == "resolved"
    mine = client.get("/api/v1/cases?queue=mine").json()
    assert mine["count"] == 0  # resolved cases leave the handler's queue


def test_bad_input_names_the_field(client, loop):
    client.force_login(loop.users["community"])
    response = _post(client, "/api/v1/cases", {**CREATE, "urgency": "yesterday"})
    assert response.status_code == 400 and "urgency" in response.json()["errors"]
    response = _post(client, "/api/v1/cases", {**CREATE, "category": "NOPE"})
    assert response.status_code == 400 and "category" in response.json()["errors"]
    # true is not a coordinate (pydantic alone read it as 1.0, a point far from every grid).
    response = _post(client, "/api/v1/cases", {**CREATE, "lat": True, "lon": True})
    assert response.status_code == 422 and {"lat", "lon"} <= set(response.json()["errors"])
    response = _post(client, "/api/v1/cases/suggest", {"text": "路灯坏了", "lat": True})
    assert response.status_code == 422 and "lat" in response.json()["errors"]
    assert not Case.objects.exists()


def test_idempotency_key_replays_and_refuses_reuse(client, loop):
    client.force_login(loop.users["community"])
    first = _post(client, "/api/v1/cases", CREATE, HTTP_IDEMPOTENCY_KEY="k-1")
    again = _post(client, "/api/v1/cases", CREATE, HTTP_IDEMPOTENCY_KEY="k-1")
    assert first.status_code == again.status_code == 201
    assert first.json()["code"] == again.json()["code"]
    assert again["Idempotent-Replayed"] == "true"
    assert Case.objects.count() == 1
    other = _post(client, "/api/v1/cases", {**CREATE, "text": "另一件事情说明"},
                  HTTP_IDEMPOTENCY_KEY="k-1")  # fmt: skip
    assert other.status_code == 422


def test_key_in_flight_gets_409(client, loop):
    client.force_login(loop.users["community"])
    import hashlib

    body = json.dumps(CREATE).encode()
    IdempotencyRecord.objects.create(
        owner=f"user:{loop.users['community'].pk}",
        key="busy",
        request_hash=hashlib.sha256(body).hexdigest(),
    )
    response = client.post("/api/v1/cases", body, content_type="application/json",
                           HTTP_IDEMPOTENCY_KEY="busy")  # fmt: skip
    assert response.status_code == 409


@pytest.mark.django_db(transaction=True)
def test_concurrent_retries_create_one_case(loop, client):
    """Ten clients retry the same create at once: one case; the others wait for the first
    on the key and replay its answer."""
    from django.test import Client

    user = loop.users["community"]
    statuses, codes, replayed = [], set(), []

    def post():
        c = Client()
        c.force_login(user)
        r = _post(c, "/api/v1/cases", CREATE, HTTP_IDEMPOTENCY_KEY="same")
        statuses.append(r.status_code)
        if r.status_code == 201:
            codes.add(r.json()["code"])
            replayed.append(r.get("Idempotent-Replayed") == "true")
        connection.close()

    if connection.vendor == "sqlite":
        pytest.skip("SQLite in-memory test databases are not shared between threads")
    threads = [threading.Thread(target=post) for _ in range(10)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert Case.objects.count() == 1 and len(codes) == 1
    assert statuses == [201] * 10 and sorted(replayed) == [False] + [True] * 9


@pytest.mark.django_db(transaction=True)
def test_a_crash_before_the_answer_is_kept_leaves_nothing(client, loop):
    """The database fails after the case is written but before the key's answer is: nothing
    is kept (neither the case nor the key), and the client's retry creates the case once."""
    from django.db import OperationalError

    def fail_on_answer(execute, sql, params, many, context):
        if sql.startswith("UPDATE") and IdempotencyRecord._meta.db_table in sql:
            raise OperationalError("server closed the connection unexpectedly")
        return execute(sql, params, many, context)

    client.force_login(loop.users["community"])
    client.raise_request_exception = False
    with connection.execute_wrapper(fail_on_answer):
        lost = _post(client, "/api/v1/cases", CREATE, HTTP_IDEMPOTENCY_KEY="crash-1")
    assert lost.status_code == 500
    assert not Case.objects.exists() and not IdempotencyRecord.objects.exists()
    retry = _post(client, "/api/v1/cases", CREATE, HTTP_IDEMPOTENCY_KEY="crash-1")
    assert retry.status_code == 201 and "Idempotent-Replayed" not in retry
    assert list(Case.objects.values_list("code", flat=True)) == [retry.json()["code"]]


def test_suggest(client, loop, suggester):
    client.force_login(loop.users["street"])
    answer = _post(client, "/api/v1/cases/suggest",
                   {"text": "楼道里堆了很多杂物", "lat": 31.321, "lon": 120.591}).json()  # fmt: skip
    assert answer["category"] == "ENV" and answer["model_version"] == suggester.pk
    assert answer["grid"] == loop.grid_a1.code and answer["handler"] == "grid"
    assert 0 <= answer["candidates"][0]["confidence"] <= 1
    assert sorted(answer["candidates"], key=lambda c: -c["confidence"]) == answer["candidates"]
    bare = _post(client, "/api/v1/cases/suggest", {"text": "路灯坏了"}).json()
    assert bare["grid"] is None and bare["handler"] is None


def test_openapi_has_every_transition(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for action in ("accept", "dispatch", "take", "resolve", "verify", "close", "reopen", "flag"):
        assert f"/api/v1/cases/{{code}}/{action}" in paths


def test_a_handler_outside_the_area_sees_the_case(client, world):
    """The matrix (test_matrix.py) shows a liaison no case; one dispatched to it, it sees."""
    from genxi.cases.services import case_act, case_create

    case = case_create(actor=None, channel="phone", text="彩香一村的路灯坏了好几天",
                       region=world.grid_a1)  # fmt: skip
    case_act(actor=world.users["community"], case=case, action="accept")
    case_act(actor=world.users["community"], case=case, action="dispatch",
             handler=world.users["unit"])  # fmt: skip
    client.force_login(world.users["unit"])
    assert client.get(f"/api/v1/cases/{case.code}").status_code == 200


def test_handlers_and_masters_must_be_within_the_callers_reach(client, loop):
    from genxi.cases.services import case_create

    client.force_login(loop.users["community"])
    code = _post(client, "/api/v1/cases", CREATE).json()["code"]
    _post(client, f"/api/v1/cases/{code}/accept", {})
    # The other street's admin is not someone this worker can dispatch to.
    assert (
        _post(client, f"/api/v1/cases/{code}/dispatch", {"handler": "outsider"}).status_code == 404
    )
    other = case_create(
        actor=None, channel="phone", text="观景社区的路灯坏了好几天", region=loop.grid_b1
    )
    fresh = _post(client, "/api/v1/cases", {**CREATE, "text": "三元一村的路灯坏了"}).json()["code"]
    assert _post(client, f"/api/v1/cases/{fresh}/merge", {"master": other.code}).status_code == 404


@pytest.mark.parametrize(
    ("role", "status", "handler"),
    [
        ("street", 200, "grid"),
        ("community", 200, "grid"),
        ("grid", 200, "grid"),
        ("outsider", 200, None),  # another street's admin: the grid, but nobody named
        ("system_admin", 403, None),
        ("security_admin", 403, None),
        ("auditor", 403, None),
        ("unit", 403, None),
        ("department", 403, None),
        ("norole", 403, None),
    ],
)
def test_suggest_is_for_those_who_take_or_dispatch_cases(client, loop, role, status, handler):
    from genxi.core.roles import Role
    from genxi.core.testing.world import make_user

    loop.users["department"] = make_user("officer", Role.DEPARTMENT_OFFICER, loop.street_a)
    client.force_login(loop.users[role])
    point = {"text": "楼道里堆了很多杂物", "lat": 31.321, "lon": 120.591}
    response = _post(client, "/api/v1/cases/suggest", point)
    assert response.status_code == status, response.content
    body = response.json()
    if status == 403:
        assert set(body) <= {"detail", "errors"} and "grid" not in body and body["detail"]
        return
    assert body["grid"] == loop.grid_a1.code and body["handler"] == handler


def test_a_case_names_its_place_in_full(client, world):
    """`region_name` is the place as a person names it (a grid with its community), read
    from the region and its parent selected with the case."""
    from genxi.cases.services import case_create

    cases = [
        case_create(actor=None, channel="phone", text=f"彩香一村第{n}幢的路灯坏了", region=grid)
        for n, grid in enumerate([world.grid_a1, world.grid_a2, world.grid_a1b])
    ]
    client.force_login(world.users["street"])
    listed = {c["code"]: c for c in client.get("/api/v1/cases?queue=all").json()["items"]}
    for case in cases:
        assert listed[case.code]["region_name"] == case.region.full_name
        assert listed[case.code]["region_code"] == case.region.code
    assert " · " in listed[cases[0].code]["region_name"]
    detail = client.get(f"/api/v1/cases/{cases[1].code}").json()
    assert detail["region_name"] == world.grid_a2.full_name
    client.force_login(world.users["community"])
    answer = client.post(
        f"/api/v1/cases/{cases[0].code}/accept", "{}", content_type="application/json"
    )
    assert answer.status_code == 200 and answer.json()["region_name"] == world.grid_a1.full_name
