"""The import engine: check every row of an uploaded sheet, then write all of them in one
transaction or none at all, and tell the street admins about people registered elsewhere.

`services.import_job_create` starts a job (at once, or through `tasks.run_import`);
`import_job_run` is what both run. The importers (columns, building objects) are in
`importers.py`, the row checks in `domain/sheets.py`, the reading in `core.spreadsheets`.
"""

from __future__ import annotations

import io
from contextlib import nullcontext
from typing import Any

from cryptography.fernet import InvalidToken
from django.db import transaction
from django.utils.translation import gettext as _

from genxi.core import audit, notifications, pii
from genxi.core.domain.cells import column_letter
from genxi.core.roles import Role
from genxi.core.spreadsheets import UnreadableFile, read_rows
from genxi.regions.domain.codes import ancestor_paths

from .domain.sheets import RowError, validate_rows
from .importers import IMPORTERS, context_for
from .models import ImportJob, ImportStatus, Membership


def import_job_run(*, job_id: int, source: Any = None) -> None:
    """Check every row, then write all of them in one transaction, or none at all; then
    delete the stored upload, whatever happened. `source` is the upload itself when the
    job runs inside the request.

    One runner per job: the job is taken (pending → running) under its row's lock, so a
    second worker given the same job (a task queued twice, a retry) leaves it — and its
    upload — to the first. A job whose worker died stays running until `import_purge`
    fails it as expired."""
    with transaction.atomic():
        job = (
            ImportJob.objects.select_for_update(of=("self",))
            .select_related("region", "created_by")
            .get(pk=job_id)
        )
        if job.status == ImportStatus.RUNNING:
            return
        if job.status == ImportStatus.PENDING:
            job.status = ImportStatus.RUNNING
            job.save(update_fields=["status", "updated_at"])
    try:
        if not job.finished:
            _import(job, source)
    finally:
        discard_upload(job)


def discard_upload(job: Any) -> None:
    """Delete the stored upload of this job, if any."""
    if job.file.name:
        job.file.storage.delete(job.file.name)
        ImportJob.objects.filter(pk=job.pk).update(file="")


def import_error(row: int, code: str) -> dict[str, Any]:
    return {"row": row, "column": "A", "title": "", "code": code, "params": {}}


def _opened(job: Any, source: Any):
    """The upload as a readable file: the request's, or the stored one decrypted."""
    if source is not None:
        source.seek(0)
        return nullcontext(source)
    if not job.file.name:
        raise UploadGone
    try:
        with job.file.open("rb") as fh:
            return io.BytesIO(pii.cipher().decrypt(fh.read()))
    except (OSError, InvalidToken) as exc:
        raise UploadGone from exc


def _import(job: Any, source: Any) -> None:
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.RUNNING)
    importer = IMPORTERS[job.kind]

    def progress(done: int) -> None:
        # Checking is most of the work; writing is one short transaction at the end.
        ImportJob.objects.filter(pk=job.pk).update(processed_rows=done)

    try:
        with _opened(job, source) as fh:
            header, rows = read_rows(fh)
            outcome = validate(
                importer, header, rows, context_for(job.region), progress, job.created_by
            )
    except UploadGone:
        outcome = None
        errors = [import_error(1, "expired")]
    except UnreadableFile:
        outcome = None
        errors = [import_error(1, "not_xlsx")]
    else:
        errors = [vars(e) for e in outcome.errors]
        if not errors and not outcome.records:
            errors = [import_error(2, "empty")]
    if errors:
        ImportJob.objects.filter(pk=job.pk).update(
            status=ImportStatus.FAILED, errors=errors[:1000], processed_rows=job.total_rows
        )
        return
    with transaction.atomic():
        objects = [importer.build(rec) for rec in outcome.records]
        model = type(objects[0])
        created = model._default_manager.bulk_create(objects, batch_size=1000)
        audit.record_bulk(
            actor=job.created_by, verb=f"{model._meta.model_name}.import", targets=created
        )
        if importer.elsewhere:
            elsewhere = importer.elsewhere(outcome.records, job.created_by)
            made = [(rec["_row"], obj) for rec, obj in zip(outcome.records, created, strict=True)]
            _refer_duplicates(job, importer.existing_key, made, elsewhere)
        ImportJob.objects.filter(pk=job.pk).update(
            status=ImportStatus.DONE,
            created_rows=len(created),
            processed_rows=job.total_rows,
        )


class UploadGone(Exception):
    """The stored upload is missing or cannot be decrypted (purged, or the keys changed)."""


def _refer_duplicates(job: Any, key: str, rows: list, elsewhere: dict[str, list]) -> None:
    """A row whose person is also registered outside the importer's scope went in like any
    other; the street admins over both records (never the importer) are told, to decide
    which record stays. The importer's answer does not change (decision in security.md)."""
    for row, obj in rows:
        others = elsewhere.get(getattr(obj, key))
        if not others:
            continue
        paths = {p for o in [obj, *others] for p in ancestor_paths(o.grid.path)}
        admins = {
            m.user
            for m in Membership.objects.filter(
                role=Role.STREET_ADMIN, active=True, region__path__in=paths
            ).select_related("user")
        }
        admins.discard(job.created_by)
        text = _(
            "导入任务 #%(job)s 第 %(row)s 行:%(name)s(身份证号 %(id)s)在%(here)s登记,"
            "在%(there)s也有登记。请核实后保留一条。"
        ) % {
            "job": job.pk,
            "row": row,
            "name": obj.name,
            "id": obj.masked(key),
            "here": obj.grid.parent.name,
            "there": "、".join(sorted({o.grid.parent.name for o in others})),
        }
        notifications.tell(admins, verb="resident.duplicate", text=text[:300])
        audit.record(
            actor=job.created_by,
            verb="resident.duplicate",
            target=obj,
            after={"also_registered": [o.pk for o in others], "import": job.pk, "row": row},
        )


def validate(importer, header, rows, ctx, progress, user):
    """Row checks plus the one check that needs the database: rows that already exist
    where the importer can see them."""
    outcome = validate_rows(importer.columns, header, rows, ctx, importer.unique_keys, progress)
    if outcome.errors:
        return outcome
    existing = importer.existing(outcome.records, user)
    if existing:
        key = importer.existing_key
        column = next(c for c in importer.columns if c.key == key)
        letter = column_letter(header.index(column.title)) if column.title in header else "A"
        for rec in outcome.records:
            if rec[key] in existing:
                outcome.errors.append(RowError(rec["_row"], letter, column.title, "exists"))
    return outcome
