"""The organisation office's pages render, refuse bad input on the field, and a cadre sees
his own record only."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from genxi.cadres import services
from genxi.cadres.models import AssessmentRound, Cadre, Commendation, Posting, Scheme, Score
from genxi.core.models import AuditEvent

from .helpers import cadre, office


@pytest.fixture
def setup(world):
    org = office(world)
    c = cadre(org, world.a1, user=world.users["community"])
    p = services.programme_create(
        actor=org, street=world.street_a, title="青年干部培训班", organiser="",
        starts=date(2026, 3, 1), ends=date(2026, 3, 31),
    )  # fmt: skip
    course = services.course_add(
        actor=org, programme=p, title="群众工作方法", day=date(2026, 3, 2), hours=Decimal(3)
    )
    r = services.round_plan(
        actor=org, street=world.street_a, title="上半年考核", period="2026年上半年", cadres=[c]
    )
    return org, c, p, course, r


def test_every_page_renders_for_the_office(client, world, setup):
    org, c, p, course, r = setup
    client.force_login(org)
    for url in (
        reverse("cadres:cadres"),
        reverse("cadres:new"),
        reverse("cadres:cadre", args=[c.pk]),
        reverse("cadres:edit", args=[c.pk]),
        reverse("cadres:programmes"),
        reverse("cadres:programme_new"),
        reverse("cadres:programme", args=[p.pk]),
        reverse("cadres:scheme"),
        reverse("cadres:rounds"),
        reverse("cadres:rounds") + "?status=open",
        reverse("cadres:round_new"),
        reverse("cadres:round", args=[r.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "None" not in response.content.decode(), url
    body = client.get(reverse("cadres:cadres")).content.decode()
    assert "李青" in body and "13912345678" not in body


def test_the_menu_offers_the_office_its_pages(client, world, setup):
    org = setup[0]
    client.force_login(org)
    body = client.get("/").content.decode()
    assert reverse("cadres:rounds") in body and reverse("cadres:cadres") in body
    client.force_login(world.users["street"])
    assert reverse("cadres:rounds") not in client.get("/").content.decode()


def test_a_cadre_sees_his_record_and_nothing_else(client, world, setup):
    org, c, p, course, r = setup
    client.force_login(world.users["community"])
    assert client.get(reverse("cadres:mine")).url == reverse("cadres:cadre", args=[c.pk])
    page = client.get(reverse("cadres:cadre", args=[c.pk]))
    assert page.status_code == 200 and "post-form" not in page.content.decode()
    for url in (
        reverse("cadres:cadres"),
        reverse("cadres:programme", args=[p.pk]),
        reverse("cadres:round", args=[r.pk]),
        reverse("cadres:scheme"),
    ):
        assert client.get(url).status_code == 404, url
    assert client.get(reverse("cadres:edit", args=[c.pk])).status_code == 403
    client.force_login(world.users["grid"])
    assert client.get(reverse("cadres:mine")).status_code == 404


def test_record_forms_refuse_on_the_field(client, world, setup):
    org, c, *_ = setup
    client.force_login(org)
    url = reverse("cadres:act", args=[c.pk, "posting"])
    response = client.post(url, {"kind": "project", "starts": "2026-01-01"})
    assert response.status_code == 400
    assert 'data-error-for="project"' in response.content.decode()
    assert not Posting.objects.exists()
    response = client.post(
        url,
        {"kind": "grid", "place": world.grid_a1.pk, "starts": "2026-01-01", "role": "指导员"},
    )
    assert response.status_code == 302 and Posting.objects.count() == 1
    response = client.post(
        reverse("cadres:act", args=[c.pk, "commendation"]),
        {"title": "优秀青年干部", "level": "district", "awarded_on": "2025-12-01"},
    )
    assert response.status_code == 302 and Commendation.objects.count() == 1
    body = client.get(c.get_absolute_url()).content.decode()
    assert "优秀青年干部" in body and "彩香一村社区 · 第1网格" in body


def test_training_pages_take_courses_attendance_and_certificates(client, world, setup):
    org, c, p, course, r = setup
    client.force_login(org)
    url = lambda a: reverse("cadres:programme_act", args=[p.pk, a])  # noqa: E731
    assert (
        client.post(url("attendance"), {"course": course.pk, "cadres": [c.pk]}).status_code == 302
    )
    pdf = SimpleUploadedFile("c.pdf", b"%PDF-1.4 x", content_type="application/pdf")
    response = client.post(
        url("certificate"),
        {"cadre": c.pk, "title": "结业证书", "issued_on": "2026-04-01", "file": pdf},
    )
    assert response.status_code == 302
    cert = c.certificates.get()
    client.force_login(world.users["community"])  # the cadre himself
    got = client.get(reverse("cadres:certificate", args=[cert.pk]))
    assert got.status_code == 200 and b"".join(got.streaming_content).startswith(b"%PDF")
    assert AuditEvent.objects.filter(verb="cadre.view", after__page="certificate").exists()
    client.force_login(world.users["street"])
    assert client.get(reverse("cadres:certificate", args=[cert.pk])).status_code == 404


def test_scheme_and_round_pages(client, world, setup):
    org, c, p, course, r = setup
    client.force_login(org)
    page = client.get(reverse("cadres:scheme"))
    form = page.context["form"]
    data = {k: v for k, v in form.initial.items() if v is not None}
    data["d0_weight"] = "-1"
    assert client.post(reverse("cadres:scheme"), data).status_code == 400
    data["d0_weight"] = "40"
    assert client.post(reverse("cadres:scheme"), data).status_code == 302
    assert Scheme.objects.get().version == 2
    assert client.post(reverse("cadres:round_act", args=[r.pk, "close"])).status_code == 400
    assert client.post(reverse("cadres:round_act", args=[r.pk, "open"])).status_code == 302
    scores = reverse("cadres:scores", args=[r.pk, c.pk])
    assert client.post(scores, {"s_peer_overall": "120"}).status_code == 400
    assert client.post(scores, {"s_peer_overall": "88", "e_overall": "述职"}).status_code == 302
    assert Score.objects.get().value == Decimal(88)
    assert client.post(reverse("cadres:round_act", args=[r.pk, "close"])).status_code == 302
    assert AssessmentRound.objects.get(pk=r.pk).status == "closed"
    body = client.get(reverse("cadres:round", args=[r.pk])).content.decode()
    assert 'id="ranking"' in body and "88.00" in body
    assert Cadre.objects.count() == 1
