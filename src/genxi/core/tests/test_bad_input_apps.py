"""No input gives a 500 in the apps the fuzz found them in (core/testing/fuzz.py,
core/tests/test_fuzz.py): each of these answered 500 and now answers a 4xx naming the field
or parameter (or 404 for an id that names nothing)."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from genxi.events.models import Event
from genxi.orgs.models import PartyLevel, PartyOrg
from genxi.partylife import services as partylife
from genxi.partylife.models import TrainingSession
from genxi.stations import services as stations
from genxi.stations.domain.hours import parse_day

YEARS = "年份应在 1900 到 2100 之间。"


def _event_data(world, **changes):
    starts = timezone.localtime() + timedelta(days=3)
    data = {
        "community": world.a1.pk,
        "title": "新活动",
        "starts_at": f"{starts:%Y-%m-%dT09:00}",
        "ends_at": f"{starts:%Y-%m-%dT11:00}",
        "capacity": 20,
    }
    return data | changes


@pytest.mark.parametrize("field", ["starts_at", "ends_at"])
@pytest.mark.parametrize("value", ["0001-01-01", "9999-12-31"])
def test_an_event_beyond_the_calendar_is_refused_beside_the_field(client, world, field, value):
    """Django reads "0001-01-01" as midnight of year 1; stored in UTC it stepped before
    year 1 (OverflowError, 500)."""
    client.force_login(world.users["street"])
    response = client.post(reverse("events:new"), _event_data(world, **{field: value}))
    assert response.status_code == 400
    assert f'data-error-for="{field}"' in response.content.decode() or YEARS in (
        response.content.decode()
    )
    assert YEARS in response.content.decode()
    assert not Event.objects.exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [("starts_at", "0001-01-01T00:00:00+14:00"), ("ends_at", "9999-12-31T23:59:59-14:00")],
)
def test_an_api_event_beyond_the_calendar_answers_422_naming_the_field(client, world, field, value):
    client.force_login(world.users["street"])
    starts = timezone.localtime() + timedelta(days=3)
    body = {
        "title": "新活动",
        "community": world.a1.code,
        "starts_at": starts.isoformat(),
        "ends_at": (starts + timedelta(hours=2)).isoformat(),
        "capacity": 5,
    } | {field: value}
    response = client.post("/api/v1/events", body, content_type="application/json")
    assert response.status_code == 422, response.content
    assert response.json()["errors"] == {field: [YEARS]}
    assert not Event.objects.exists()


def test_a_training_session_in_year_one_is_refused_beside_the_field(client, world):
    street = world.users["street"]
    org = PartyOrg.objects.create(
        level=PartyLevel.COMMUNITY_COMMITTEE, name="大党委", region=world.a1
    )
    plan = partylife.plan_create(actor=street, org=org, year=2026, title="冬训计划")
    client.force_login(street)
    data = {"topic": "主题党日", "kind": "theme_day", "starts_at": "0001-01-01", "minutes": 90}
    response = client.post(reverse("partylife:session_new", args=[plan.pk]), data)
    assert response.status_code == 400
    assert YEARS in response.content.decode()
    assert not TrainingSession.objects.exists()
    with pytest.raises(ValidationError) as refused:
        partylife.session_create(
            actor=street,
            plan=plan,
            topic="学习",
            kind="study",
            starts_at=timezone.make_aware(timezone.datetime(1, 1, 1, 9)),
            minutes=90,
        )
    assert "starts_at" in refused.value.message_dict


@pytest.mark.parametrize("photo", ["abc", "1e400", "", "9223372036854775807"])
def test_removing_a_photo_that_is_not_an_id_answers_404(client, world, photo):
    """`photo=abc` reached the lookup of a number (ValueError, 500)."""
    street = world.users["street"]
    station = stations.station_create(
        actor=street,
        community=world.a1,
        grid=world.grid_a1,
        name="驿站",
        lat=31.321,
        lon=120.591,
        address="路1号",
        weekly={d: parse_day("08:00-20:00") for d in range(7)},
    )
    client.force_login(street)
    url = reverse("stations:act", args=[station.pk, "unphoto"])
    assert client.post(url, {"photo": photo}).status_code == 404


@pytest.mark.parametrize(
    ("path", "name", "value"),
    [
        ("/events/", "month", "9999-12"),
        ("/events/", "month", "0001-01"),
        ("/events/", "month", "2026-13"),
        ("/events/", "month", "0000-01"),  # year 0: no date at all
        ("/fieldwork/plan/", "month", "0000-12-31"),
        ("/volunteering/board/", "month", "0000-01"),
        ("/events/", "week", "0001-01-01"),
        ("/fieldwork/today/", "day", "9999-12-31"),
        ("/fieldwork/plan/", "month", "9999-12"),
    ],
)
def test_a_calendar_beyond_its_years_answers_400_naming_the_parameter(
    client, world, path, name, value
):
    """The page links the month (or day, week) either side: past 9999-12 or before 0001-01
    that stepped off the calendar (ValueError or OverflowError, 500)."""
    client.force_login(world.users["street"])
    response = client.get(path, {name: value})
    assert response.status_code == 400, response.status_code
    assert name in response.content.decode()


@pytest.mark.parametrize("month", ["0001-01", "1999-12"])
def test_a_report_before_the_first_month_answers_404(client, world, month):
    """The URL's month before the reports' first (2000-01) reached the month before it
    (OverflowError for 0001-01, 500)."""
    client.force_login(world.users["street"])
    url = reverse("reports:download", args=[world.street_a.code, month, "xlsx"])
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("year", [0, 99999])
def test_a_certificate_of_a_year_beyond_the_calendar_answers_404(client, world, year):
    """The year reached the database's year lookup, which cannot bound year 0 or 99999
    (ValueError, 500)."""
    pioneer = world.pioneer(world.grid_a1, "P-1")
    client.force_login(world.users["street"])
    url = reverse("volunteering:certificate", args=[pioneer.pk, year])
    assert client.get(url).status_code == 404


@pytest.mark.parametrize(
    ("query", "field"),
    [({"to": "9999-12-31"}, "end"), ({"from": "0001-01-01"}, "start")],
)
def test_a_dashboard_beyond_the_calendar_shows_the_error_beside_the_field(
    client, world, query, field
):
    """`to=9999-12-31` stepped a day past year 9999 (OverflowError, 500); `from=0001-01-01`
    alone asked for two thousand years. Each is refused beside its field; the page shows
    the default period."""
    client.force_login(world.users["street"])
    response = client.get(reverse("dashboards:region", args=[world.street_a.code]), query)
    assert response.status_code == 200
    body = response.content.decode()
    assert f'id="id_{field}"' in body
    assert "年份应在 1900 到 2100 之间。" in body


@pytest.mark.parametrize("value", ["99999999999999999999", str(2**63), str(-(2**63) - 1)])
def test_a_multiple_choice_beyond_the_key_column_is_an_invalid_choice(world, value):
    """Django sends a multiple choice's values to one `pk__in` query unchecked; a value no
    integer key can hold made the SQLite driver raise OverflowError (a 500 for a tampered
    checkbox on the campaign, inspection, notice, meeting, cadre and study-book forms)."""
    from django.core.exceptions import ValidationError

    from genxi.core.forms import ModelMultipleChoiceField
    from genxi.regions.models import Region

    field = ModelMultipleChoiceField(queryset=Region.objects.all())
    with pytest.raises(ValidationError) as exc:
        field.clean([str(world.a1.pk), value])
    assert exc.value.code == "invalid_pk_value"
    assert list(field.clean([str(world.a1.pk)])) == [world.a1]


def test_a_tampered_checkbox_on_a_page_answers_400_naming_the_field(client, world):
    client.force_login(world.users["street"])
    response = client.post(
        "/campaigns/new/",
        {"street": world.street_a.pk, "communities": "99999999999999999999", "title": "冬季防火"},
    )
    body = response.content.decode()
    assert response.status_code == 400 and 'data-error-for="communities"' in body
    assert "“99999999999999999999”不是一个有效的值" in body
