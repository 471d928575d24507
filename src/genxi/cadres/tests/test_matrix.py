"""Who sees cadre data: the organisation office over its place, and a cadre his own record
(here the community worker of 彩香一村 is the inside cadre); every other role of the world,
the system admin included, gets 404 — on the records, the lists, training and rounds."""

from datetime import date
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

from genxi.cadres import services
from genxi.core.testing.matrix import IN, ROLES, ListMatrix, ViewMatrix

from .matrix import OFFICE_SIGHT, OfficeRows, make_cadre, office_of

WORLD_ROLES = frozenset(ROLES) - {"anonymous"}


class TestCadreRecord(OfficeRows, ViewMatrix):
    page_detail = "cadres:cadre"
    sees = OFFICE_SIGHT | {"community": frozenset({IN})}  # his own record

    def make(self, ctx):
        return make_cadre(ctx, user=ctx.worker)


class TestCadreList(OfficeRows, ListMatrix):
    page_list = "cadres:cadres"
    sees = OFFICE_SIGHT
    list_hidden = WORLD_ROLES

    def make(self, ctx):
        return make_cadre(ctx, user=ctx.worker)


class TestCertificate(OfficeRows, ViewMatrix):
    page_detail = "cadres:certificate"
    sees = OFFICE_SIGHT | {"community": frozenset({IN})}

    def make(self, ctx):
        office = office_of(ctx)
        cadre = make_cadre(ctx, user=ctx.worker)
        programme = services.programme_create(
            actor=office, street=ctx.street, title="培训班", organiser="",
            starts=date(2026, 3, 1), ends=date(2026, 3, 31),
        )  # fmt: skip
        return services.certificate_add(
            actor=office, programme=programme, cadre=cadre, title="证书",
            issued_on=date(2026, 4, 1),
            file=SimpleUploadedFile("c.pdf", b"%PDF-1.4", content_type="application/pdf"),
        )  # fmt: skip


def _programme(ctx):
    return services.programme_create(
        actor=office_of(ctx), street=ctx.street, title=f"培训{ctx.side}{ctx.role}",
        organiser="", starts=date(2026, 3, 1), ends=date(2026, 3, 31),
    )  # fmt: skip


class TestProgrammes(OfficeRows, ViewMatrix, ListMatrix):
    page_detail, page_list = "cadres:programme", "cadres:programmes"
    label_attr = "title"
    # A programme belongs to a street: street A's office sees both of street A's sides.
    sees = OFFICE_SIGHT
    list_hidden = WORLD_ROLES

    def make(self, ctx):
        programme = _programme(ctx)
        services.course_add(
            actor=office_of(ctx), programme=programme, title="课程", day=date(2026, 3, 2),
            hours=Decimal(2),
        )  # fmt: skip
        return programme


class TestRounds(OfficeRows, ViewMatrix, ListMatrix):
    page_detail, page_list = "cadres:round", "cadres:rounds"
    label_attr = "title"
    sees = OFFICE_SIGHT
    list_hidden = WORLD_ROLES

    def make(self, ctx):
        cadre = make_cadre(ctx)
        return services.round_plan(
            actor=office_of(ctx), street=ctx.street, title=f"考核{ctx.side}{ctx.role}",
            period="2026年", cadres=[cadre],
        )  # fmt: skip
