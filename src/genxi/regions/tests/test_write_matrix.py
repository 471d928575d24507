"""The write matrix of regions: the address gazetteer (estates, buildings, the Excel import)
and the service phones, kept by the community's and the street's staff on the community's
page (see core/testing/write_matrix.py). Streets, communities and grids themselves are
created and edited only in the admin site, whose write matrix is the admin's own.

A department officer over street A sees the community and is refused (403, the page again);
the system admin keeps the city's reference data and may write; the grid worker, the
liaison and the roles without data do not see the community (404)."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from genxi.core.spreadsheets import write_xlsx
from genxi.core.testing.matrix import ActMatrix, CreateMatrix
from genxi.core.testing.write_matrix import (
    Ctx,
    Write,
    assert_declared,
    counts,
    fields,
    no,
    ok,
)
from genxi.regions.models import Building, Estate

KEEPERS = {"street": ok(302), "community": ok(302), "system_admin": ok(302), "department": no(403)}


def _estate(ctx: Ctx) -> Estate:
    return ctx.world.building(ctx.grid, f"测试花园{ctx.role}", "1", "2", "3")


def _sheet(ctx: Ctx) -> dict:
    content = write_xlsx(
        "地址库", ["小区", "楼栋", "网格", "其他叫法"], [["导入小区", "1-3", ctx.grid.name, ""]]
    )
    return {"file": SimpleUploadedFile("g.xlsx", io.BytesIO(content).read())}


WRITES = [
    Write(
        "estate.create",
        route="regions:estate_new",
        make=lambda ctx: ctx.community,
        url=lambda ctx: reverse("regions:estate_new", args=[ctx.target.pk]),
        data=lambda ctx: {
            "name": f"新建小区{ctx.role}",
            "aliases": "",
            "numbers": "1-4",
            "grid": ctx.grid.pk,
        },
        watch=counts(Estate, Building),
        inside=KEEPERS,
    ),
    Write(
        "estate.update",
        route="regions:estate_edit",
        make=_estate,
        url=lambda ctx: reverse("regions:estate_edit", args=[ctx.target.pk]),
        data=lambda ctx: {"name": f"改名花园{ctx.role}", "aliases": "老名字"},
        watch=fields("name", "aliases"),
        inside=KEEPERS,
    ),
    Write(
        "estate.delete",
        route="regions:estate_delete",
        make=_estate,
        url=lambda ctx: reverse("regions:estate_delete", args=[ctx.target.pk]),
        watch=counts(Estate, Building),
        inside=KEEPERS,
    ),
    Write(
        "building.assign",
        route="regions:buildings_assign",
        make=_estate,
        url=lambda ctx: reverse("regions:buildings_assign", args=[ctx.target.pk]),
        data=lambda ctx: {"numbers": "7-9", "grid": ctx.grid.pk},
        watch=counts(Building),
        inside=KEEPERS,
    ),
    Write(
        "building.remove",
        route="regions:buildings_remove",
        make=_estate,
        url=lambda ctx: reverse("regions:buildings_remove", args=[ctx.target.pk]),
        data=lambda ctx: {"numbers": "1-2"},
        watch=counts(Building),
        inside=KEEPERS,
    ),
    Write(
        "gazetteer.import",
        route="regions:gazetteer_import",
        make=lambda ctx: ctx.community,
        url=lambda ctx: reverse("regions:gazetteer_import", args=[ctx.target.pk]),
        data=_sheet,
        watch=counts(Estate, Building),
        inside=KEEPERS,
    ),
    Write(
        "region.contact",
        route="regions:contact",
        make=lambda ctx: ctx.grid,
        url=lambda ctx: reverse("regions:contact", args=[ctx.target.pk]),
        data=lambda ctx: {
            f"c{ctx.target.pk}-service_phone": f"0512-6531{len(ctx.role):04d}",
            f"c{ctx.target.pk}-service_hours": ctx.role,
        },
        watch=fields("service_phone", "service_hours"),
        inside=KEEPERS,
    ),
]


class TestWrites(CreateMatrix, ActMatrix):
    writes = WRITES


def test_every_write_is_declared():
    assert_declared("genxi.regions", WRITES)
