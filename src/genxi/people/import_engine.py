"""The import engine: check every row of an uploaded sheet, then write all of them in one
transaction or none at all, and tell the street admins about people registered elsewhere.

`services.import_job_create` starts a job (at once, or through `tasks.run_import`);
`import_job_run` is what both run. In update mode (更新) the run ends in a preview that keeps
the (encrypted) upload; `services.import_job_confirm` checks the file again and, if the
preview still holds, applies it through `import_job_apply` in one transaction.

The importers (columns, building objects) are in `importers.py`, the row checks in
`domain/sheets.py`, the reading in `core.spreadsheets`.
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
from genxi.regions.models import Region

from .domain.sheets import RowError, validate_rows
from .importers import IMPORTERS, Importer, context_for, current, same, shown
from .models import ImportJob, ImportMode, ImportStatus, Membership


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
        # A preview keeps its upload (encrypted) until it is confirmed or purged.
        if not ImportJob.objects.filter(pk=job.pk, status=ImportStatus.PREVIEW).exists():
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


def _check(job: Any, source: Any, actor: Any, progress: Any = None):
    """Read and check every row: (outcome, errors, context)."""
    importer = IMPORTERS[job.kind]
    ctx = context_for(job.region)
    try:
        with _opened(job, source) as fh:
            header, rows = read_rows(fh)
            outcome = validate(
                importer, header, rows, ctx, progress, actor, exists=job.mode == ImportMode.CREATE
            )
    except UploadGone:
        return None, [import_error(1, "expired")], ctx
    except UnreadableFile:
        return None, [import_error(1, "not_xlsx")], ctx
    errors = [vars(e) for e in outcome.errors]
    # An update's preview shows the template's example as such; a create has nothing to add.
    examples_only = job.mode == ImportMode.UPDATE and outcome.examples
    if not errors and not outcome.records and not examples_only:
        errors = [import_error(2, "empty")]
    return outcome, errors, ctx


def _fail(job: Any, errors: list[dict[str, Any]]) -> None:
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportStatus.FAILED, errors=errors[:1000], processed_rows=job.total_rows
    )


def _import(job: Any, source: Any) -> None:
    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.RUNNING)
    importer = IMPORTERS[job.kind]

    def progress(done: int) -> None:
        # Checking is most of the work; writing is one short transaction at the end.
        ImportJob.objects.filter(pk=job.pk).update(processed_rows=done)

    outcome, errors, ctx = _check(job, source, job.created_by, progress)
    if not errors and job.mode == ImportMode.UPDATE:
        rows, errors, _changes = plan(importer, outcome.records, ctx, job.created_by)
        rows = _example_rows(importer, outcome.examples) + rows
        if not errors:
            counts = _counts(rows)
            settled = counts["created_rows"] == counts["updated_rows"] == 0
            ImportJob.objects.filter(pk=job.pk).update(
                status=ImportStatus.DONE if settled else ImportStatus.PREVIEW,
                preview=rows,
                processed_rows=job.total_rows,
                **counts,
            )
            return
    if errors:
        _fail(job, errors)
        return
    with transaction.atomic():
        created = _create(job, importer, outcome.records, job.created_by)
        ImportJob.objects.filter(pk=job.pk).update(
            status=ImportStatus.DONE,
            created_rows=len(created),
            processed_rows=job.total_rows,
        )


def _example_rows(importer: Importer, examples: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {"row": rec["_row"], "status": "example", "label": _label(importer, rec), "changes": []}
        for rec in examples
    ]


def _label(importer: Importer, rec: dict[str, Any]) -> str:
    """A row as the preview names it: the name and the key (an ID number masked)."""
    key = rec.get(importer.existing_key) or ""
    shown_key = pii.mask_id_number(key) if importer.existing_key == "id_number" else key
    return f"{rec.get('name') or ''}({shown_key})"


def _counts(rows: list[dict[str, Any]]) -> dict[str, int]:
    def n(status: str) -> int:
        return sum(1 for r in rows if r["status"] == status)

    return {
        "created_rows": n("new"),
        "updated_rows": n("changed"),
        "unchanged_rows": n("unchanged"),
    }


def _create(job: Any, importer: Importer, records: list[dict[str, Any]], actor: Any) -> list:
    """Write the new rows (inside the caller's transaction), audited; refer duplicates."""
    if not records:
        return []
    objects = [importer.build(rec) for rec in records]
    model = type(objects[0])
    created = model._default_manager.bulk_create(objects, batch_size=1000)
    audit.record_bulk(actor=actor, verb=f"{model._meta.model_name}.import", targets=created)
    if importer.elsewhere:
        elsewhere = importer.elsewhere(records, actor)
        made = [(rec["_row"], obj) for rec, obj in zip(records, created, strict=True)]
        _refer_duplicates(job, actor, importer.existing_key, made, elsewhere)
    return created


def plan(importer: Importer, records: list[dict[str, Any]], ctx: dict[str, Any], actor: Any):
    """What an update import would do, row by row: (preview rows, errors, changes).

    A row whose key matches a record the importer can see is changed (its fields' old and
    new values, shown masked) or unchanged; any other row is new — also when the person
    is registered outside the importer's scope (decision in security.md: the import does
    not tell). A blank cell changes nothing. `changes` maps a row number to the record's
    new values and the object they go to."""
    assert importer.match is not None
    key = importer.existing_key
    matches = importer.match(records, actor)
    # Codes are unique in the database: one in use outside the scope cannot be new.
    taken = importer.existing(records, actor) - set(matches)
    column = importer.column(key)
    rows: list[dict[str, Any]] = []
    errors: list[dict[str, Any]] = []
    changes: dict[int, tuple[Any, dict[str, Any]]] = {}
    for rec in records:
        if rec[key] in taken:
            errors.append(
                vars(RowError(rec["_row"], rec.get("_letter", "A"), column.title, "exists"))
            )
            continue
        label = _label(importer, rec)
        obj = matches.get(rec[key])
        if obj is None:
            rows.append({"row": rec["_row"], "status": "new", "label": label, "changes": []})
            continue
        diff = {
            k: rec[k]
            for k in importer.updatable
            if rec.get(k) is not None and not same(current(obj, k), rec[k])
        }
        shown_diff = [
            [
                importer.column(k).title,
                shown(importer, k, current(obj, k), ctx),
                shown(importer, k, v, ctx),
            ]
            for k, v in diff.items()
        ]
        if diff:
            changes[rec["_row"]] = (obj, diff)
        rows.append(
            {
                "row": rec["_row"],
                "status": "changed" if diff else "unchanged",
                "label": label,
                "changes": shown_diff,
            }
        )
    return rows, errors, changes


class PreviewChanged(Exception):
    """The file checked again no longer gives the preview the importer saw."""


def import_job_apply(*, job: Any, actor: Any, updaters: dict[str, Any]) -> None:
    """Apply a confirmed preview, inside the caller's transaction (the job is locked): check
    the file again, and if it still gives the same preview, create the new rows and update
    the changed ones through `updaters[kind](actor=, obj, **changes)` (the people services,
    audited with before and after). Raises PreviewChanged (the job holds the new preview)
    or fails the job on errors; the upload is deleted once the job is done or failed."""
    importer = IMPORTERS[job.kind]
    outcome, errors, ctx = _check(job, None, actor)
    if not errors:
        rows, errors, changes = plan(importer, outcome.records, ctx, actor)
        rows = _example_rows(importer, outcome.examples) + rows
    if errors:
        _fail(job, errors)
        discard_upload(job)
        return
    if rows != job.preview:
        ImportJob.objects.filter(pk=job.pk).update(preview=rows, **_counts(rows))
        raise PreviewChanged
    new = {r["row"] for r in rows if r["status"] == "new"}
    grids = Region.objects.in_bulk(
        [diff["grid"] for _obj, diff in changes.values() if "grid" in diff]
    )
    with transaction.atomic():
        _create(job, importer, [r for r in outcome.records if r["_row"] in new], actor)
        for obj, diff in changes.values():
            if "grid" in diff:
                diff = {**diff, "grid": grids[diff["grid"]]}
            updaters[job.kind](actor=actor, obj=obj, **diff)
        ImportJob.objects.filter(pk=job.pk).update(
            status=ImportStatus.DONE, errors=[], **_counts(rows)
        )
    discard_upload(job)


class UploadGone(Exception):
    """The stored upload is missing or cannot be decrypted (purged, or the keys changed)."""


def _refer_duplicates(
    job: Any, actor: Any, key: str, rows: list, elsewhere: dict[str, list]
) -> None:
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
        admins.discard(actor)
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
            actor=actor,
            verb="resident.duplicate",
            target=obj,
            after={"also_registered": [o.pk for o in others], "import": job.pk, "row": row},
        )


def validate(importer, header, rows, ctx, progress, user, exists=True):
    """Row checks plus, for a create import, the one check that needs the database: rows
    that already exist where the importer can see them."""
    outcome = validate_rows(importer.columns, header, rows, ctx, importer.unique_keys, progress)
    key = importer.existing_key
    column = importer.column(key)
    letter = column_letter(header.index(column.title)) if column.title in header else "A"
    for rec in outcome.records:
        rec["_letter"] = letter
    if outcome.errors or not exists:
        return outcome
    existing = importer.existing(outcome.records, user)
    if existing:
        for rec in outcome.records:
            if rec[key] in existing:
                outcome.errors.append(RowError(rec["_row"], letter, column.title, "exists"))
    return outcome
