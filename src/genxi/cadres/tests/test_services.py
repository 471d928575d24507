"""Cadre development's writes and reads: who may, what is refused, what is audited, and a
round from plan to ranking — whose results a later re-weighting never changes."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from genxi.cadres import selectors, services
from genxi.cadres.domain.assessment import Dimension
from genxi.cadres.models import AssessmentRound, Cadre, CadrePost, Result, RoundStatus, Score
from genxi.core.models import AuditEvent, Notification
from genxi.core.stats import headline_counts
from genxi.regions.models import Region

from .helpers import cadre, full_scores, office


@pytest.fixture
def org(world):
    return office(world)


def test_create_keeps_the_phone_encrypted_and_masked(world, org):
    c = cadre(org, world.a1)
    assert c.masked("phone") != "13912345678" and "5678" in c.masked("phone")
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("SELECT phone FROM cadres_cadre WHERE id = %s", [c.pk])
        assert "13912345678" not in cur.fetchone()[0]
    event = AuditEvent.objects.get(verb="cadre.create")
    assert "13912345678" not in str(event.after)
    assert CadrePost.objects.get(cadre=c).post == "社区副书记"


def test_only_the_office_over_the_place_writes(world, org):
    for who in ("street", "community", "system_admin", "outsider"):
        with pytest.raises(PermissionDenied):
            cadre(world.users[who], world.a1)
    with pytest.raises(PermissionDenied):
        cadre(office(world, world.street_b), world.a1)
    assert not Cadre.objects.exists()


def test_bad_input_is_refused_on_its_fields(world, org):
    with pytest.raises(ValidationError) as exc:
        services.cadre_create(
            actor=org, unit=world.grid_a1, name=" ", gender="x", birth_year=1800,
            phone="123", post="", starts=date(2024, 1, 1),
        )  # fmt: skip
    assert set(exc.value.message_dict) == {
        "unit", "name", "gender", "birth_year", "phone", "post",
    }  # fmt: skip


def test_visibility_office_and_self_only(world, org):
    mine = cadre(org, world.a1, user=world.users["community"])
    other = cadre(org, world.a2, name="王强")
    theirs = cadre(office(world, world.street_b), world.b1, name="赵敏")
    assert set(Cadre.objects.visible_to(org)) == {mine, other}
    assert set(Cadre.objects.visible_to(world.users["community"])) == {mine}
    for who in ("street", "system_admin", "auditor", "grid", "department", "norole"):
        assert not Cadre.objects.visible_to(world.users.get(who)).exists(), who
    assert theirs not in Cadre.objects.visible_to(org)


def test_every_view_of_a_record_is_audited(client, world, org):
    c = cadre(org, world.a1, user=world.users["community"])
    client.force_login(world.users["community"])
    assert client.get(reverse("cadres:cadre", args=[c.pk])).status_code == 200
    client.force_login(org)
    assert client.get(reverse("cadres:cadre", args=[c.pk])).status_code == 200
    viewers = list(
        AuditEvent.objects.filter(verb="cadre.view", target_id=str(c.pk)).values_list(
            "actor__username", flat=True
        )
    )
    assert sorted(viewers) == ["community", "orgoffice"]
    client.force_login(world.users["street"])
    assert client.get(reverse("cadres:cadre", args=[c.pk])).status_code == 404
    assert AuditEvent.objects.filter(verb="cadre.view").count() == 2


def test_post_change_closes_the_current_post(world, org):
    c = cadre(org, world.a1)
    services.cadre_post_change(
        actor=org, cadre=c, post="社区书记", unit=world.a2, starts=date(2025, 7, 1)
    )
    c.refresh_from_db()
    assert (c.post, c.unit) == ("社区书记", world.a2)
    old, new = CadrePost.objects.filter(cadre=c).order_by("starts")
    assert old.ends == date(2025, 6, 30) and new.ends is None
    with pytest.raises(ValidationError) as exc:
        services.cadre_post_change(
            actor=org, cadre=c, post="x", unit=world.b1, starts=date(2025, 1, 1)
        )
    assert set(exc.value.message_dict) == {"unit", "starts"}


def test_training_hours_attendance_and_certificates(world, org):
    a, b = cadre(org, world.a1), cadre(org, world.a2, name="王强")
    p = services.programme_create(
        actor=org, street=world.street_a, title="青年干部培训班", organiser="街道党工委",
        starts=date(2026, 3, 1), ends=date(2026, 3, 31),
    )  # fmt: skip
    c1 = services.course_add(
        actor=org, programme=p, title="群众工作方法", day=date(2026, 3, 2), hours=Decimal("3")
    )
    c2 = services.course_add(
        actor=org, programme=p, title="基层治理", day=date(2026, 3, 9), hours=Decimal("2.5")
    )
    services.attendance_set(actor=org, course=c1, cadres=[a, b])
    services.attendance_set(actor=org, course=c2, cadres=[a])
    assert selectors.training_hours(a) == Decimal("5.5")
    assert selectors.training_hours(b) == Decimal("3")
    services.attendance_set(actor=org, course=c1, cadres=[a])  # b was not there after all
    assert selectors.training_hours(b) == 0
    with pytest.raises(ValidationError):
        services.course_add(
            actor=org, programme=p, title="x", day=date(2026, 5, 1), hours=Decimal("1")
        )
    outsider = cadre(office(world, world.street_b), world.b1, name="赵敏")
    with pytest.raises(ValidationError):
        services.attendance_set(actor=org, course=c1, cadres=[outsider])
    pdf = SimpleUploadedFile("cert.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    cert = services.certificate_add(
        actor=org, programme=p, cadre=a, title="结业证书", issued_on=date(2026, 4, 1), file=pdf
    )
    assert cert.file.name.endswith(".pdf")
    exe = SimpleUploadedFile("cert.exe", b"MZ", content_type="application/octet-stream")
    with pytest.raises(ValidationError) as exc:
        services.certificate_add(
            actor=org, programme=p, cadre=a, title="x", issued_on=date(2026, 4, 1), file=exe
        )
    assert "file" in exc.value.message_dict
    stats = headline_counts(Region.objects.streets())
    assert stats["金阊街道"]["training_hours"] == 5.5 and stats["金阊街道"]["cadres"] == 2
    assert stats["虎丘街道"]["cadres"] == 1


def test_postings_check_their_target(world, org):
    c = cadre(org, world.a1)
    p = services.posting_add(
        actor=org, cadre=c, kind="grid", place=world.grid_a2, starts=date(2026, 1, 5),
        role="网格指导员", achievements="走访 120 户",
    )  # fmt: skip
    assert p.target_label() == "彩香二村社区 · 第1网格"
    with pytest.raises(ValidationError) as exc:
        services.posting_add(
            actor=org, cadre=c, kind="community", place=world.b1, starts=date(2026, 1, 5),
            ends=date(2025, 1, 1),
        )  # fmt: skip
    assert set(exc.value.message_dict) == {"place", "ends"}
    with pytest.raises(ValidationError):
        services.posting_add(actor=org, cadre=c, kind="project", starts=date(2026, 1, 5))


def test_a_round_from_plan_to_ranking(world, org):
    a = cadre(org, world.a1, name="甲")
    b = cadre(org, world.a1, name="乙")
    c = cadre(org, world.a2, name="丙")
    r = services.round_plan(
        actor=org, street=world.street_a, title="2026年上半年考核", period="2026年上半年",
        cadres=[a, b, c],
    )  # fmt: skip
    with pytest.raises(ValidationError):
        services.scores_enter(actor=org, round_=r, cadre=a, values={})  # not open yet
    r = services.round_open(actor=org, round_=r)
    assert r.scheme_version == 1 and len(r.snapshot["dimensions"]) == 6
    scheme = services.round_scheme(r)
    services.scores_enter(actor=org, round_=r, cadre=a, values=full_scores(scheme, lambda s, d: 90))
    services.scores_enter(actor=org, round_=r, cadre=b, values=full_scores(scheme, lambda s, d: 80))
    services.scores_enter(
        actor=org, round_=r, cadre=c,
        values=full_scores(scheme, lambda s, d: 100 if s == "self" else 80),
    )  # fmt: skip
    with pytest.raises(ValidationError) as exc:
        services.scores_enter(
            actor=org, round_=r, cadre=a, values={("peer", "overall"): Decimal(101)}
        )
    assert "s_peer_overall" in exc.value.message_dict
    services.round_close(actor=org, round_=r)
    ranked = [(x.cadre.name, x.total, x.rank) for x in selectors.ranking(r)]
    # 丙: self 10% at 100, the rest at 80 → 82 on every dimension
    assert ranked == [
        ("甲", Decimal("90.00"), 1),
        ("丙", Decimal("82.00"), 2),
        ("乙", Decimal("80.00"), 3),
    ]
    assert Notification.objects.filter(user=org, verb="round.close").exists()
    with pytest.raises(ValidationError):
        services.scores_enter(actor=org, round_=r, cadre=a, values={})  # closed


def test_reweighting_a_scheme_never_changes_a_closed_round(world, org):
    a, b = cadre(org, world.a1, name="甲"), cadre(org, world.a1, name="乙")
    r = services.round_open(
        actor=org,
        round_=services.round_plan(
            actor=org, street=world.street_a, title="第一轮", period="2025年", cadres=[a, b]
        ),
    )
    scheme = services.round_scheme(r)
    # 甲 is strong on the overall judgement, 乙 on the rest
    services.scores_enter(
        actor=org, round_=r, cadre=a,
        values=full_scores(scheme, lambda s, d: 95 if d == "overall" else 70),
    )  # fmt: skip
    services.scores_enter(
        actor=org, round_=r, cadre=b,
        values=full_scores(scheme, lambda s, d: 60 if d == "overall" else 90),
    )  # fmt: skip
    services.round_close(actor=org, round_=r)
    before = list(Result.objects.filter(round=r).values_list("cadre__name", "total", "rank"))
    snapshot = AssessmentRound.objects.get(pk=r.pk).snapshot
    # The street now weighs the overall judgement almost alone.
    services.scheme_update(
        actor=org, street=world.street_a, name="新方案",
        dimensions=[
            Dimension("overall", "总体", "overall", Decimal(90)),
            Dimension("mass_work", "群众工作", "core", Decimal(10)),
        ],
        scorers={"self": Decimal(0), "peer": Decimal(50), "resident": Decimal(0), "leader": Decimal(50)},
    )  # fmt: skip
    r.refresh_from_db()
    assert r.snapshot == snapshot and r.scheme_version == 1
    assert (
        list(Result.objects.filter(round=r).values_list("cadre__name", "total", "rank")) == before
    )
    assert selectors.round_sheet(r)[0].dimensions[0].weight == Decimal(30)
    # A round opened now weighs by the new version, and ranks the other way.
    r2 = services.round_open(
        actor=org,
        round_=services.round_plan(
            actor=org, street=world.street_a, title="第二轮", period="2026年", cadres=[a, b]
        ),
    )
    assert r2.scheme_version == 2 and len(r2.snapshot["dimensions"]) == 2
    new = services.round_scheme(r2)
    for who, overall, rest in ((a, 95, 70), (b, 60, 90)):
        services.scores_enter(
            actor=org, round_=r2, cadre=who,
            values=full_scores(new, lambda s, d, o=overall, x=rest: o if d == "overall" else x),
        )  # fmt: skip
    services.round_close(actor=org, round_=r2)
    assert [x.cadre.name for x in selectors.ranking(r2)] == ["甲", "乙"]
    assert {n: t for n, t, _r in before}["乙"] > {n: t for n, t, _r in before}["甲"]
    assert AssessmentRound.objects.filter(status=RoundStatus.CLOSED).count() == 2


def test_a_scheme_that_weighs_nothing_is_refused_on_its_field(world, org):
    with pytest.raises(ValidationError) as exc:
        services.scheme_update(
            actor=org, street=world.street_a, name="x", dimensions=[],
            scorers={"peer": Decimal(1)},
        )  # fmt: skip
    assert "dimensions" in exc.value.message_dict
    assert not Score.objects.exists()


def test_the_record_reads_cases_and_meetings_of_the_linked_account(world, org):
    from genxi.cases.models import Case

    c = cadre(org, world.a1, user=world.users["grid"])
    record = selectors.cadre_record(c)
    assert record.cases_count == Case.objects.filter(handler=world.users["grid"]).count()
    assert record.meetings_count == 0
