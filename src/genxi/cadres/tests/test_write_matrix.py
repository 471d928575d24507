"""Every write of cadre development, for every role of the world and the two organisation
offices: only the office over the object's street writes (street A's on 彩香一村/二村,
street B's on 观景); the cadre himself (the community worker, on the inside) reads his
record but is refused its writes (403); everyone else gets 404, and nothing is written."""

from datetime import date
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from genxi.cadres import services
from genxi.cadres.models import (
    AssessmentRound,
    Attendance,
    Cadre,
    Certificate,
    Commendation,
    Course,
    Posting,
    Programme,
    Scheme,
    Score,
)
from genxi.core.testing.matrix import ActMatrix, CreateMatrix
from genxi.core.testing.write_matrix import Write, assert_declared, counts, fields, no, ok

from .matrix import OfficeRows, make_cadre, office_of

OFFICE = {"org_office": ok(302)}
OFFICE_B = {"org_office_b": ok(302)}
SELF_REFUSED = {"community": no(403)}  # the inside cadre is the community worker himself
# A create aimed at the other street's place: its place is not among the office's choices.
OFFICE_FORM = {"org_office": ok(302), "org_office_b": no(400)}
OFFICE_B_FORM = {"org_office_b": ok(302), "org_office": no(400)}


def _own_cadre(ctx):
    return make_cadre(ctx, user=ctx.worker)


def _programme(ctx):
    return services.programme_create(
        actor=office_of(ctx), street=ctx.street, title="培训班", organiser="",
        starts=date(2026, 3, 1), ends=date(2026, 3, 31),
    )  # fmt: skip


def _course(ctx):
    programme = _programme(ctx)
    ctx.extra["cadre"] = make_cadre(ctx)
    return services.course_add(
        actor=office_of(ctx), programme=programme, title="课程", day=date(2026, 3, 2),
        hours=Decimal(2),
    )  # fmt: skip


def _programme_with_cadre(ctx):
    ctx.extra["cadre"] = make_cadre(ctx)
    return _programme(ctx)


def _street(ctx):
    ctx.extra["cadre"] = make_cadre(ctx)
    return ctx.street


def _round(ctx, open_=False, scored=False):
    office = office_of(ctx)
    cadre = make_cadre(ctx)
    ctx.extra["cadre"] = cadre
    made = services.round_plan(
        actor=office, street=ctx.street, title="考核", period="2026年", cadres=[cadre]
    )
    if open_:
        made = services.round_open(actor=office, round_=made)
    if scored:
        services.scores_enter(
            actor=office, round_=made, cadre=cadre, values={("peer", "overall"): Decimal(80)}
        )
    return made


def _scheme_data(ctx):
    from genxi.cadres.forms import SchemeForm

    form = SchemeForm(scheme=services.scheme_of(ctx.target), name="方案")
    data = {k: v for k, v in form.initial.items() if v is not None}
    data["d0_weight"] = "45"
    return data


def _versions(ctx):
    return list(Scheme.objects.filter(street=ctx.target).values_list("version", flat=True))


WRITES = [
    Write(
        "cadre.create",
        route="cadres:new",
        make=lambda ctx: ctx.community,
        url=lambda ctx: reverse("cadres:new"),
        data=lambda ctx: {
            "unit": ctx.target.pk,
            "name": "新干部",
            "gender": "female",
            "birth_year": 1996,
            "phone": "13911112222",
            "post": "社区干事",
            "starts": "2026-01-05",
        },  # fmt: skip
        watch=counts(Cadre),
        inside=OFFICE_FORM,
        outside=OFFICE_B_FORM,
    ),
    Write(
        "cadre.update",
        route="cadres:edit",
        make=_own_cadre,
        url=lambda ctx: reverse("cadres:edit", args=[ctx.target.pk]),
        data=lambda ctx: {"name": "改名", "gender": "male", "birth_year": 1990, "active": "on"},
        watch=fields("name"),
        inside=OFFICE | SELF_REFUSED,
        outside=OFFICE_B,
    ),
    Write(
        "cadre.post",
        route="cadres:act",
        make=_own_cadre,
        url=lambda ctx: reverse("cadres:act", args=[ctx.target.pk, "post"]),
        data=lambda ctx: {"post": "社区书记", "unit": ctx.target.unit_id, "starts": "2025-01-01"},
        watch=fields("post"),
        inside=OFFICE | SELF_REFUSED,
        outside=OFFICE_B,
    ),
    Write(
        "posting.create",
        route="cadres:act",
        make=_own_cadre,
        url=lambda ctx: reverse("cadres:act", args=[ctx.target.pk, "posting"]),
        data=lambda ctx: {"kind": "grid", "place": ctx.grid.pk, "starts": "2026-01-05"},
        watch=counts(Posting),
        inside=OFFICE | SELF_REFUSED,
        outside=OFFICE_B,
    ),
    Write(
        "commendation.create",
        route="cadres:act",
        make=_own_cadre,
        url=lambda ctx: reverse("cadres:act", args=[ctx.target.pk, "commendation"]),
        data=lambda ctx: {"title": "优秀", "level": "street", "awarded_on": "2025-12-01"},
        watch=counts(Commendation),
        inside=OFFICE | SELF_REFUSED,
        outside=OFFICE_B,
    ),
    Write(
        "programme.create",
        route="cadres:programme_new",
        make=lambda ctx: ctx.street,
        url=lambda ctx: reverse("cadres:programme_new"),
        data=lambda ctx: {
            "street": ctx.target.pk,
            "title": "培训班",
            "starts": "2026-03-01",
            "ends": "2026-03-05",
        },  # fmt: skip
        watch=counts(Programme),
        inside=OFFICE_FORM,
        outside=OFFICE_B_FORM,
    ),
    Write(
        "course.create",
        route="cadres:programme_act",
        make=_programme,
        url=lambda ctx: reverse("cadres:programme_act", args=[ctx.target.pk, "course"]),
        data=lambda ctx: {"title": "课程", "day": "2026-03-03", "hours": "2"},
        watch=counts(Course),
        inside=OFFICE,
        outside=OFFICE_B,
    ),
    Write(
        "attendance.set",
        route="cadres:programme_act",
        make=_course,
        url=lambda ctx: reverse(
            "cadres:programme_act", args=[ctx.target.programme_id, "attendance"]
        ),
        data=lambda ctx: {"course": ctx.target.pk, "cadres": [ctx.extra["cadre"].pk]},
        watch=counts(Attendance),
        inside=OFFICE,
        outside=OFFICE_B,
    ),
    Write(
        "certificate.create",
        route="cadres:programme_act",
        make=_programme_with_cadre,
        url=lambda ctx: reverse("cadres:programme_act", args=[ctx.target.pk, "certificate"]),
        data=lambda ctx: {
            "cadre": ctx.extra["cadre"].pk,
            "title": "证书",
            "issued_on": "2026-04-01",
            "file": SimpleUploadedFile("c.pdf", b"%PDF-1.4", content_type="application/pdf"),
        },  # fmt: skip
        watch=counts(Certificate),
        inside=OFFICE,
        outside=OFFICE_B,
    ),
    Write(
        "scheme.update",
        route="cadres:scheme",
        make=lambda ctx: ctx.street,
        url=lambda ctx: reverse("cadres:scheme") + f"?street={ctx.target.code}",
        data=_scheme_data,
        watch=_versions,
        inside=OFFICE,
        outside=OFFICE_B,
    ),
    Write(
        "round.create",
        route="cadres:round_new",
        make=_street,
        url=lambda ctx: reverse("cadres:round_new"),
        data=lambda ctx: {
            "street": ctx.target.pk,
            "title": "考核",
            "period": "2026年",
            "cadres": [ctx.extra["cadre"].pk],
        },  # fmt: skip
        watch=counts(AssessmentRound),
        inside=OFFICE_FORM,
        outside=OFFICE_B_FORM,
    ),
    Write(
        "round.open",
        route="cadres:round_act",
        make=_round,
        url=lambda ctx: reverse("cadres:round_act", args=[ctx.target.pk, "open"]),
        watch=fields("status"),
        inside=OFFICE,
        outside=OFFICE_B,
    ),
    Write(
        "round.close",
        route="cadres:round_act",
        make=lambda ctx: _round(ctx, open_=True, scored=True),
        url=lambda ctx: reverse("cadres:round_act", args=[ctx.target.pk, "close"]),
        watch=fields("status"),
        inside=OFFICE,
        outside=OFFICE_B,
    ),
    Write(
        "score.enter",
        route="cadres:scores",
        make=lambda ctx: _round(ctx, open_=True),
        url=lambda ctx: reverse("cadres:scores", args=[ctx.target.pk, ctx.extra["cadre"].pk]),
        data=lambda ctx: {"s_peer_overall": "85", "e_overall": "述职"},
        watch=counts(Score),
        inside=OFFICE,
        outside=OFFICE_B,
    ),
]


class TestWrites(OfficeRows, CreateMatrix, ActMatrix):
    writes = WRITES


def test_every_write_is_declared():
    assert_declared("genxi.cadres", WRITES)
