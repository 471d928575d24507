"""The readable routes of cadre development (core/testing/page_matrix.py). No role of the
world reads any of it — cadre data is the organisation office's (tests/test_matrix.py runs
the office's own rows) — except the community worker, whose own cadre record the inside
side's cadre is: he reads it (and its certificate), and may not edit it (403)."""

import functools
from datetime import date
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from genxi.cadres import services
from genxi.core import pdf
from genxi.core.roles import Role
from genxi.core.testing.page_matrix import Page
from genxi.core.testing.world import make_user

POST_ONLY = {"*": 405}
SELF = {"community": 200}  # the inside cadre is the community worker's own record


@functools.cache
def _certificate_pdf() -> bytes:
    """A real PDF (the page matrix reads a PDF's text to look for leaks)."""
    return pdf.from_html("<html><body><p>结业证书</p></body></html>")


def seed(side):
    office = make_user(f"orgoffice{side.name}", Role.ORG_OFFICE, region=side.street)
    cadre = services.cadre_create(
        actor=office,
        unit=side.community,
        name=f"{side.tag}干部",
        gender="male",
        birth_year=1992,
        phone="13955556666",
        post=f"{side.tag}副书记",
        starts=date(2024, 1, 1),
        user=side.worker,
    )
    programme = services.programme_create(
        actor=office,
        street=side.street,
        title=f"{side.tag}培训班",
        organiser="",
        starts=date(2026, 3, 1),
        ends=date(2026, 3, 31),
    )
    course = services.course_add(
        actor=office, programme=programme, title=f"{side.tag}课程", day=date(2026, 3, 2),
        hours=Decimal(2),
    )  # fmt: skip
    services.attendance_set(actor=office, course=course, cadres=[cadre])
    certificate = services.certificate_add(
        actor=office,
        programme=programme,
        cadre=cadre,
        title=f"{side.tag}证书",
        issued_on=date(2026, 4, 1),
        file=SimpleUploadedFile("c.pdf", _certificate_pdf(), content_type="application/pdf"),
    )
    round_ = services.round_plan(
        actor=office, street=side.street, title=f"{side.tag}考核", period="2026年",
        cadres=[cadre],
    )  # fmt: skip
    services.round_open(actor=office, round_=round_)
    return {"cadre": cadre, "programme": programme, "certificate": certificate, "round": round_}


PAGES = {
    "cadres:cadres": Page(lambda s: reverse("cadres:cadres")),
    "cadres:new": Page(lambda s: reverse("cadres:new")),
    "cadres:mine": Page(lambda s: reverse("cadres:mine"), answers={"community": 302}),
    "cadres:cadre": Page(lambda s: reverse("cadres:cadre", args=[s.cadre.pk]), answers=SELF),
    "cadres:edit": Page(
        lambda s: reverse("cadres:edit", args=[s.cadre.pk]),
        answers={"community": 403},
        near={"community": 404},
        outside={"community": 404},
    ),
    "cadres:act": Page(
        lambda s: reverse("cadres:act", args=[s.cadre.pk, "posting"]), answers=POST_ONLY
    ),
    "cadres:certificate": Page(
        lambda s: reverse("cadres:certificate", args=[s.certificate.pk]), answers=SELF
    ),
    "cadres:programmes": Page(lambda s: reverse("cadres:programmes")),
    "cadres:programme_new": Page(lambda s: reverse("cadres:programme_new")),
    "cadres:programme": Page(lambda s: reverse("cadres:programme", args=[s.programme.pk])),
    "cadres:programme_act": Page(
        lambda s: reverse("cadres:programme_act", args=[s.programme.pk, "course"]),
        answers=POST_ONLY,
    ),
    "cadres:scheme": Page(lambda s: reverse("cadres:scheme")),
    "cadres:rounds": Page(lambda s: reverse("cadres:rounds")),
    "cadres:round_new": Page(lambda s: reverse("cadres:round_new")),
    "cadres:round": Page(lambda s: reverse("cadres:round", args=[s.round.pk])),
    "cadres:scores": Page(lambda s: reverse("cadres:scores", args=[s.round.pk, s.cadre.pk])),
    "cadres:round_act": Page(
        lambda s: reverse("cadres:round_act", args=[s.round.pk, "close"]), answers=POST_ONLY
    ),
}
