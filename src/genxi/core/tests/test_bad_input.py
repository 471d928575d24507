"""No input gives a 500 (issue #8): each of these answered 500 and now answers a 4xx whose
message names the parameter."""

import pytest

from genxi.cases.categories import ensure as ensure_categories
from genxi.cases.models import Category

API_LISTS = [
    "/api/v1/grids",
    "/api/v1/pioneers",
    "/api/v1/residents",
    "/api/v1/units",
    "/api/v1/cases",
    "/api/v1/cobuild/needs",
    "/api/v1/cobuild/resources",
    "/api/v1/cobuild/projects",
    "/api/v1/cobuild/services",
    "/api/v1/cobuild/meetings",
    "/api/v1/cobuild/claims",
]


@pytest.mark.parametrize("path", API_LISTS)
def test_api_list_with_a_huge_page_answers_422_naming_page(client, world, path):
    client.force_login(world.users["street"])
    world.resident(world.grid_a1)
    response = client.get(path, {"page": "9223372036854775807"})
    assert response.status_code == 422, response.content
    body = response.json()
    assert "page" in body["errors"] and "page" in body["detail"]


def test_api_list_past_the_last_page_is_empty_not_an_error(client, world):
    client.force_login(world.users["street"])
    response = client.get("/api/v1/grids", {"page": "1000"})
    assert response.status_code == 200 and response.json()["items"] == []


def test_track_with_a_slash_in_the_code_answers_400(client, db):
    response = client.get("/s/track/", {"code": "a/b"})
    assert response.status_code == 400
    assert "code" in response.content.decode()


def test_open311_date_beyond_the_calendar_answers_400(client, db):
    response = client.get("/open311/v2/requests.json", {"start_date": "0001-01-01T00:00:00+14:00"})
    assert response.status_code == 400
    assert "start_date" in response.json()[0]["description"]
    response = client.get("/open311/v2/requests.xml", {"end_date": "9999-12-31T23:59:59-14:00"})
    assert response.status_code == 400 and b"end_date" in response.content


@pytest.mark.parametrize("days", ["3650000", "0", "-5", "x"])
def test_metrics_with_days_out_of_range_answers_400(client, world, days):
    ensure_categories(Category)
    client.force_login(world.users["street"])
    response = client.get("/cases/metrics/", {"days": days})
    assert response.status_code == 400
    assert "days" in response.content.decode()


def test_metrics_with_a_sane_window_still_works(client, world):
    ensure_categories(Category)
    client.force_login(world.users["street"])
    assert client.get("/cases/metrics/", {"days": "90"}).status_code == 200
    assert client.get("/cases/metrics/").status_code == 200


@pytest.mark.parametrize(
    "query",
    [
        {"lat": "inf", "lon": "inf"},
        {"lat": "nan", "lon": "120.5"},
        {"lat": "31.3", "lon": "1e400"},
        {"lat": "91", "lon": "120.5"},
        {"lat": "abc", "lon": "120.5"},
    ],
)
def test_duplicates_with_a_point_off_the_earth_answers_400(client, world, query):
    client.force_login(world.users["community"])
    response = client.get("/cases/duplicates/", query)
    assert response.status_code == 400
    name = "lat" if query["lat"] not in ("31.3",) else "lon"
    assert name in response.content.decode()


def test_duplicates_without_a_point_still_answers(client, world):
    client.force_login(world.users["community"])
    assert client.get("/cases/duplicates/", {"text": "路灯坏了"}).status_code == 200
    ok = client.get("/cases/duplicates/", {"lat": "31.321", "lon": "120.591"})
    assert ok.status_code == 200


def test_audit_since_not_a_date_answers_400(client, world):
    client.force_login(world.users["auditor"])
    response = client.get("/audit/", {"since": "not-a-date"})
    assert response.status_code == 400
    assert "since" in response.content.decode()
    assert client.get("/audit/", {"since": "2026-01-01"}).status_code == 200


def test_reveal_of_an_unknown_field_answers_400(client, world):
    resident = world.resident(world.grid_a1)
    client.force_login(world.users["community"])
    response = client.post(
        f"/people/residents/{resident.pk}/reveal/", {"field": "no_such_field", "reason": "上门核实"}
    )
    assert response.status_code == 400
    assert "字段" in response.content.decode()


def test_nul_in_an_api_query_or_path_answers_422_naming_it(client, world):
    """PostgreSQL cannot compare text holding NUL: it answered 500 (found by schemathesis)."""
    client.force_login(world.users["street"])
    response = client.get("/api/v1/cases", {"region": "32\x0005"})
    assert response.status_code == 422
    assert response.json()["errors"] == {"region": ["不能包含 NUL 字符(\\x00)。"]}
    assert client.get("/api/v1/cases/AB%00CD").status_code == 422
    assert client.get("/api/v1/cases", {"region": "320508"}).status_code == 200


def test_nul_in_a_page_query_answers_400_naming_it(client, world):
    client.force_login(world.users["street"])
    response = client.get("/cases/", {"q": "路灯\x00"})
    assert response.status_code == 400 and "q" in response.content.decode()


def test_nul_in_an_api_body_answers_422_naming_the_field(client, world):
    client.force_login(world.users["street"])
    body = '{"unit": 1, "need": 1, "note": "a\\u0000b"}'
    response = client.post("/api/v1/cobuild/claims", body, content_type="application/json")
    assert response.status_code == 422 and "note" in response.json()["errors"]


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/api/v1/cases/suggest", {"text": "路灯坏了", "lat": 5.0, "lon": -1.87e58}, "lon"),
        ("/api/v1/cobuild/claims", {"unit": 1, "project": 1, "quantity": 2**40}, "quantity"),
    ],
)
def test_numbers_beyond_their_range_answer_422_naming_the_field(client, world, path, body, field):
    client.force_login(world.users["street"])
    response = client.post(path, body, content_type="application/json")
    assert response.status_code == 422, response.content
    assert field in response.json()["errors"]


def test_form_numbers_beyond_an_integer_column_are_refused_not_a_500(client, world):
    """A budget of 10**12 overflowed PostgreSQL's integer column (500); the form now
    refuses it beside the field."""
    from genxi.cobuild.models import Project

    client.force_login(world.users["community"])
    data = {"community": world.a1.pk, "title": "修路", "goal": "修好路面", "budget": str(10**12)}
    response = client.post("/cobuild/projects/new/", data)
    assert response.status_code == 400  # the form again, the error beside its field
    assert 'data-error-for="budget"' in response.content.decode()
    assert not Project.objects.exists()


def test_a_meeting_before_the_calendar_is_refused_not_a_500(client, world):
    from genxi.cobuild.models import Meeting

    client.force_login(world.users["community"])
    data = {"host": world.a1.pk, "title": "联席会", "starts_at": "0001-01-01T00:00", "place": "x"}
    response = client.post("/cobuild/meetings/new/", data)
    assert response.status_code == 400  # the form again, the error beside its field
    assert 'data-error-for="starts_at"' in response.content.decode()
    assert not Meeting.objects.exists()


def test_resolving_with_a_point_off_the_earth_keeps_no_point_not_a_500(client, world):
    """`lat=inf` was stored as JSON `Infinity`, which neither database accepts (500)."""
    from genxi.cases import services
    from genxi.cases.models import Case
    from genxi.people.models import PioneerKind

    ensure_categories(Category)
    worker = world.users["grid"]
    world.pioneer(world.grid_a1, "P-GW", "网格员甲", kind=PioneerKind.GRID_WORKER, user=worker)
    case = services.case_create(
        actor=None, channel="phone", text="彩香新村5幢楼道里堆满了杂物", region=world.grid_a1
    )
    for who, action, fields in [
        ("community", "accept", {}),
        ("community", "dispatch", {"handler": worker}),
        ("grid", "take", {}),
    ]:
        services.case_act(actor=world.users[who], case=case, action=action, **fields)
    client.force_login(worker)
    data = {"result": "已清理", "lat": "inf", "lon": "1e400"}
    response = client.post(f"/cases/{case.code}/resolve/", data)
    assert response.status_code == 302
    case = Case.objects.get(pk=case.pk)
    assert case.state == "resolved"
    assert case.events.order_by("-seq").first().data == {}


def test_nul_in_a_case_category_answers_422_not_a_500(client, world):
    """Found by schemathesis on PostgreSQL: the category lookup met a NUL (500)."""
    client.force_login(world.users["community"])
    body = '{"text": "彩香新村5幢楼道里堆满了杂物", "lat": 31.321, "lon": 120.591, "category": "ENV\\u0000"}'
    response = client.post("/api/v1/cases", body, content_type="application/json")
    assert response.status_code == 422 and "category" in response.json()["errors"]
