"""The campaigns' pages: bad input is said on its field (400) and nothing is written; the
page shows the roll-up; the export holds the communities' figures; the list's filters."""

import io

from django.urls import reverse
from openpyxl import load_workbook

from genxi.campaigns.models import Campaign, Part
from genxi.core.models import AuditEvent

from .helpers import campaign, record


def _errors(response) -> set[str]:
    body = response.content.decode()
    return {part.split('"')[0] for part in body.split('data-error-for="')[1:]}


def test_a_new_campaign_with_bad_input_names_each_field(client, world):
    client.force_login(world.users["street"])
    response = client.post(
        reverse("campaigns:new"),
        {
            "street": world.street_a.pk,
            "topic": "other",
            "starts_on": "2026-12-10",
            "ends_on": "2026-12-01",
            "communities": [world.b1.pk],
        },
    )
    assert response.status_code == 400
    assert {"ends_on", "channels", "communities"} <= _errors(response)
    assert not Campaign.objects.exists()
    assert not AuditEvent.objects.filter(verb__startswith="campaign.").exists()
    # The form passes; the service refuses 其他 without a title, on the title field.
    response = client.post(
        reverse("campaigns:new"),
        {
            "street": world.street_a.pk,
            "topic": "other",
            "starts_on": "2026-12-01",
            "ends_on": "2026-12-10",
            "channels": ["onsite"],
            "communities": [world.a1.pk],
        },
    )
    assert response.status_code == 400 and _errors(response) == {"title"}
    assert not Campaign.objects.exists()


def test_a_new_campaign(client, world):
    client.force_login(world.users["street"])
    response = client.post(
        reverse("campaigns:new"),
        {
            "street": world.street_a.pk,
            "topic": "fire",
            "starts_on": "2026-12-01",
            "ends_on": "2026-12-10",
            "channels": ["onsite", "sms"],
            "communities": [world.a1.pk, world.a2.pk],
        },
    )
    made = Campaign.objects.get()
    assert response.status_code == 302 and response.url == made.get_absolute_url()
    assert made.title == "消防安全" and made.channels == ["onsite", "sms"]
    assert made.parts.count() == 2


def test_recording_outputs_with_bad_rows(client, world):
    made = campaign(world, start=True, channels=["onsite"])
    client.force_login(world.users["community"])
    url = reverse("campaigns:record", args=[made.pk, world.a1.code])
    response = client.post(
        url,
        {"consultations": "-1", "reached_onsite": "5", "h0_kind": "宣传单", "h1_count": "3"},
    )
    assert response.status_code == 400
    assert _errors(response) == {"consultations", "h0_count", "h1_kind"}
    assert not Part.objects.filter(recorded_at__isnull=False).exists()
    response = client.post(
        url,
        {
            "consultations": "8",
            "reached_onsite": "60",
            "h0_kind": "宣传单",
            "h0_unit": "份",
            "h0_count": "120",
        },
    )
    assert response.status_code == 302
    page = client.get(made.get_absolute_url()).content.decode()
    assert 'id="total-handed">120<' in page and 'id="total-consultations">8<' in page
    # The other community's form is not this worker's.
    assert client.get(reverse("campaigns:record", args=[made.pk, world.a2.code])).status_code == 404


def test_ending_without_a_summary_is_refused_on_its_field(client, world):
    made = campaign(world, start=True)
    client.force_login(world.users["street"])
    response = client.post(reverse("campaigns:act", args=[made.pk, "end"]), {"summary": ""})
    assert response.status_code == 400 and "summary" in _errors(response)
    made.refresh_from_db()
    assert made.status == "running"


def test_the_export_holds_each_communitys_figures_and_the_total(client, world):
    made = campaign(world, start=True)
    record(world, made, world.a1, leaflets=120, consultations=12)
    record(world, made, world.a2, leaflets=100, consultations=9)
    client.force_login(world.users["street"])
    response = client.get(reverse("campaigns:export", args=[made.pk]))
    rows = list(load_workbook(io.BytesIO(response.content)).active.values)
    header = rows[0]
    by_name = {r[0]: dict(zip(header, r, strict=True)) for r in rows[1:]}
    assert by_name["彩香一村社区"]["宣传单"] == 120 and by_name["彩香二村社区"]["咨询人次"] == 9
    assert by_name["合计"]["宣传单"] == 220 and by_name["合计"]["咨询人次"] == 21
    # A community worker's export holds its own community only.
    client.force_login(world.users["community"])
    rows = list(
        load_workbook(
            io.BytesIO(client.get(reverse("campaigns:export", args=[made.pk])).content)
        ).active.values
    )
    assert [r[0] for r in rows[1:]] == ["彩香一村社区", "合计"]


def test_the_list_filters(client, world):
    campaign(world, communities=[world.a1], topic="legal", title="法治进万家")
    campaign(world, communities=[world.a2], topic="fraud", title="反诈宣传月")
    client.force_login(world.users["street"])
    body = client.get(reverse("campaigns:campaigns"), {"topic": "fraud"}).content.decode()
    assert "反诈宣传月" in body and "法治进万家" not in body
    body = client.get(reverse("campaigns:campaigns"), {"place": world.a1.code}).content.decode()
    assert "法治进万家" in body and "反诈宣传月" not in body
    response = client.get(reverse("campaigns:campaigns"), {"place": world.b1.code})
    assert response.status_code == 404
    response = client.get(
        reverse("campaigns:campaigns"), {"since": "2026-12-01", "until": "2026-11-01"}
    )
    assert response.status_code == 400 and "until" in _errors(response)
