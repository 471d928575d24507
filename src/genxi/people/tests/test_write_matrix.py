"""The write matrix of people: revealing a resident's personal data and starting an import,
for every role, inside street A and in street B (see core/testing/write_matrix.py).

Residents and pioneers are created and edited only through imports and the admin site
(whose matrix is the admin's own)."""

from __future__ import annotations

from io import BytesIO

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from genxi.core.models import AuditEvent
from genxi.core.testing.matrix import ActMatrix
from genxi.core.testing.world import next_id_number
from genxi.core.testing.write_matrix import (
    Ctx,
    Write,
    assert_declared,
    counts,
    no,
    ok,
)
from genxi.people import services
from genxi.people.importers import IMPORTERS
from genxi.people.models import ImportJob, ImportStatus, Pioneer, Resident, SmsConsent


def _reveals(ctx: Ctx) -> int:
    return AuditEvent.objects.filter(verb="pii.reveal").count()


def _upload(kind: str, grid, label: str) -> SimpleUploadedFile:
    """A one-row file of `kind` placed in `grid`."""
    importer = IMPORTERS[kind]
    values = {c.key: c.example for c in importer.columns}
    values.update(grid=grid.code, name=f"导入{label}")
    if kind == "residents":
        values.update(id_number=next_id_number())
    else:
        values.update(code=f"P-M-{label}")
    row = [values[c.key] for c in importer.columns]
    header = [c.title for c in importer.columns]
    book = Workbook()
    book.active.append(header)
    book.active.append(row)
    content = BytesIO()
    book.save(content)
    return SimpleUploadedFile(f"{kind}.xlsx", content.getvalue())


def _import(kind: str):
    def data(ctx: Ctx) -> dict:
        return {
            "kind": kind,
            "region": ctx.community.pk,
            "file": _upload(kind, ctx.grid, f"{ctx.role}-{ctx.side}"),
        }

    return data


def _preview(ctx: Ctx) -> ImportJob:
    """An update import by the place's staff that would change one resident's phone,
    waiting for confirmation."""
    id_number = next_id_number()
    resident = ctx.world.resident(ctx.grid, "更新测试", phone="13900000001", id_number=id_number)
    importer = IMPORTERS["residents"]
    values = {c.key: c.example for c in importer.columns}
    values.update(grid=ctx.grid.code, name="更新测试", id_number=id_number, phone="13900000002")
    book = Workbook()
    book.active.append([c.title for c in importer.columns])
    book.active.append([values[c.key] for c in importer.columns])
    content = BytesIO()
    book.save(content)
    job = services.import_job_create(
        actor=ctx.staff,
        kind="residents",
        upload=SimpleUploadedFile("update.xlsx", content.getvalue()),
        region=ctx.community,
        mode="update",
    )
    assert job.status == ImportStatus.PREVIEW, job.errors
    ctx.extra["resident"] = resident
    return job


def _confirmed(ctx: Ctx) -> tuple:
    resident = Resident.objects.get(pk=ctx.extra["resident"].pk)
    return ImportJob.objects.get(pk=ctx.target.pk).status, resident.phone


# A region outside the user's scope is not among the form's choices: the form answers 400
# with the field's error, as for a region that does not exist (decision 0016).
IMPORT_PIONEERS = {
    "street": ok(302),
    "community": ok(302),
    "system_admin": ok(302),
    "outsider": no(400),
}
# The system admin sees organisation data everywhere but not residents (docs/security.md):
# it may import pioneers and units, not residents.
IMPORT_RESIDENTS = IMPORT_PIONEERS | {"system_admin": no(400)}  # not among its choices

WRITES: list[Write] = [
    # Confirming an update import's preview: the staff who may import residents there.
    Write(
        "import.confirm",
        route="people:import_confirm",
        make=_preview,
        url=lambda ctx: reverse("people:import_confirm", args=[ctx.target.pk]),
        watch=_confirmed,
        inside={"street": ok(302), "community": ok(302), "system_admin": no(403)},
    ),
    # Dropping it: the same people; nothing is written, the job reads 已放弃.
    Write(
        "import.discard",
        route="people:import_discard",
        make=_preview,
        url=lambda ctx: reverse("people:import_discard", args=[ctx.target.pk]),
        watch=_confirmed,
        inside={"street": ok(302), "community": ok(302), "system_admin": no(403)},
    ),
    # SMS consent (notices.md): the staff and grid workers over the resident record it.
    Write(
        "resident.sms_consent",
        route="people:resident_sms_consent",
        make=lambda ctx: ctx.world.resident(ctx.grid, "短信同意测试"),
        url=lambda ctx: reverse("people:resident_sms_consent", args=[ctx.target.pk]),
        data=lambda ctx: {"action": "give", "how": "书面同意"},
        watch=counts(SmsConsent),
        inside={"street": ok(302), "community": ok(302), "grid": ok(302)},
    ),
    Write(
        "resident.reveal",
        route="people:resident_reveal",
        make=lambda ctx: ctx.world.resident(ctx.grid, "揭示测试"),
        url=lambda ctx: reverse("people:resident_reveal", args=[ctx.target.pk]),
        data=lambda ctx: {"field": "phone", "reason": "电话回访核实身份"},
        watch=_reveals,
        # The grid worker sees its residents masked, and may not reveal: 403.
        inside={"street": ok(200), "community": ok(200), "grid": no(403)},
    ),
    Write(
        "import.residents",
        route="people:imports",
        make=lambda ctx: None,
        url=lambda ctx: reverse("people:imports"),
        data=_import("residents"),
        watch=counts(ImportJob, Resident),
        inside=IMPORT_RESIDENTS,
        outside={"street": no(400), "community": no(400)},
        near={"community": no(400)},
    ),
    Write(
        "import.pioneers",
        route="people:imports",
        make=lambda ctx: None,
        url=lambda ctx: reverse("people:imports"),
        data=_import("pioneers"),
        watch=counts(ImportJob, Pioneer),
        inside=IMPORT_PIONEERS,
        outside={"street": no(400), "community": no(400)},
        near={"community": no(400)},
    ),
]


class TestWrites(ActMatrix):
    writes = WRITES


def test_every_write_is_declared():
    assert_declared("genxi.people", WRITES)


def test_the_import_service_refuses_a_region_out_of_scope(db, matrix_world):
    """Below the form: the service itself refuses an import into another street, and the
    system admin's import of residents (its pioneers are fine), before anything is kept."""
    world = matrix_world
    jobs = ImportJob.objects.count()
    with pytest.raises(PermissionDenied):
        services.import_job_create(
            actor=world.users["community"],
            kind="residents",
            upload=_upload("residents", world.grid_b1, "外"),
            region=world.b1,
        )
    with pytest.raises(PermissionDenied):
        services.import_job_create(
            actor=world.users["system_admin"],
            kind="residents",
            upload=_upload("residents", world.grid_b1, "外"),
            region=world.b1,
        )
    assert ImportJob.objects.count() == jobs
    assert not Resident.objects.filter(grid=world.grid_b1).exists()
