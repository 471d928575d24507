"""Import uploads: no plain-text copy is kept, nothing is left once the job ends, and a
file with a DTD (or one that inflates too far) gets the usual clear error, not a 500."""

import io
import zipfile
from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from genxi.core import pii, spreadsheets
from genxi.core.spreadsheets import write_xlsx
from genxi.people import services
from genxi.people.importers import IMPORTERS
from genxi.people.models import ImportJob, ImportStatus, Resident
from genxi.testdata import valid_id

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _rows(world, count, start=1):
    return [
        [f"居民{n}", valid_id(n), "13812345678", world.grid_a1.code, "5幢", "彩香新村5幢", "", ""]
        for n in range(start, start + count)
    ]


def _upload(rows, name="residents-template.xlsx"):
    header = [c.title for c in IMPORTERS["residents"].columns]
    return SimpleUploadedFile(name, write_xlsx("data", header, rows), content_type=XLSX)


def _stored_files():
    """Every file in the default storage, recursively."""
    found, folders = [], [""]
    while folders:
        folder = folders.pop()
        if folder and not default_storage.exists(folder):
            continue
        dirs, files = default_storage.listdir(folder)
        found += [f"{folder}/{f}".lstrip("/") for f in files]
        folders += [f"{folder}/{d}".lstrip("/") for d in dirs]
    return found


def test_a_small_import_keeps_no_upload(world):
    job = services.import_job_create(
        actor=world.users["community"],
        kind="residents",
        upload=_upload(_rows(world, 3)),
        region=world.a1,
    )
    assert job.status == ImportStatus.DONE and job.created_rows == 3
    assert not job.file and not [f for f in _stored_files() if f.startswith("imports")]


def test_a_failed_import_keeps_no_upload(world):
    rows = _rows(world, 2) + [["坏行", "123", "", world.grid_a1.code, "", "", "", ""]]
    job = services.import_job_create(
        actor=world.users["community"], kind="residents", upload=_upload(rows), region=world.a1
    )
    assert job.status == ImportStatus.FAILED and job.errors
    assert not job.file and not [f for f in _stored_files() if f.startswith("imports")]


def test_a_background_upload_waits_encrypted_under_a_random_name_and_goes(
    world, django_capture_on_commit_callbacks, settings
):
    settings.GENXI_IMPORT_BACKGROUND_ROWS = 5
    upload = _upload(_rows(world, 6))
    plain = upload.read()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job = services.import_job_create(
            actor=world.users["community"], kind="residents", upload=upload, region=world.a1
        )
    assert job.status == ImportStatus.PENDING
    name = job.file.name
    assert "residents" not in name and name.endswith(".enc")
    with default_storage.open(name, "rb") as fh:
        stored = fh.read()
    assert not stored.startswith(b"PK") and valid_id(1).encode() not in stored
    assert pii.cipher().decrypt(stored) == plain
    callbacks[0]()  # the worker runs the job
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE and job.created_rows == 6
    assert not job.file and not default_storage.exists(name)


def test_uploads_no_worker_ran_are_purged_after_a_day(
    world, django_capture_on_commit_callbacks, settings
):
    settings.GENXI_IMPORT_BACKGROUND_ROWS = 5
    jobs = []
    with django_capture_on_commit_callbacks(execute=False):
        for start in (1, 20):
            jobs.append(
                services.import_job_create(
                    actor=world.users["community"],
                    kind="residents",
                    upload=_upload(_rows(world, 6, start)),
                    region=world.a1,
                )
            )
    old, new = jobs
    ImportJob.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(hours=25))
    out = io.StringIO()
    call_command("import_purge", stdout=out)
    assert "1 import upload(s) deleted" in out.getvalue()
    old.refresh_from_db()
    new.refresh_from_db()
    assert old.status == ImportStatus.FAILED and old.errors[0]["code"] == "expired"
    assert not old.file and new.file and default_storage.exists(new.file.name)
    # If the worker gets to the purged job after all, it says so and writes nothing.
    services.import_job_run(job_id=old.pk)
    assert not Resident.objects.filter(name="居民1").exists()


def _with_doctype(content: bytes, part: str, doctype: bytes) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == part:
                data = b'<?xml version="1.0" encoding="UTF-8"?>' + doctype + data
            target.writestr(info, data)
    return out.getvalue()


DOCTYPES = {
    "external-entity": b'<!DOCTYPE worksheet [<!ENTITY e SYSTEM "file:///etc/passwd">]>',
    "internal-entity": b'<!DOCTYPE worksheet [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;">]>',
    "bare": b"<!DOCTYPE worksheet>",
}


@pytest.mark.parametrize("part", ["xl/worksheets/sheet1.xml", "xl/workbook.xml"])
@pytest.mark.parametrize("doctype", list(DOCTYPES))
def test_an_xlsx_with_a_dtd_gets_the_usual_error(client, world, part, doctype):
    header = [c.title for c in IMPORTERS["residents"].columns]
    content = write_xlsx("data", header, _rows(world, 2))
    crafted = _with_doctype(content, part, DOCTYPES[doctype])
    client.force_login(world.users["community"])
    response = client.post(
        reverse("people:imports"),
        {
            "kind": "residents",
            "region": world.a1.pk,
            "file": SimpleUploadedFile("dtd.xlsx", crafted, content_type=XLSX),
        },
    )
    assert response.status_code == 302
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.FAILED
    assert [e["code"] for e in job.errors] == ["not_xlsx"]
    page = client.get(response["Location"]).content.decode()
    assert "无法读取该文件" in page
    assert not Resident.objects.exists()


def test_an_entity_used_in_a_cell_gets_the_usual_error(world):
    """The sheet is parsed while rows are read: a failure there is the same clear error."""
    header = [c.title for c in IMPORTERS["residents"].columns]
    content = write_xlsx("data", header, [["张三", 12345, "", world.grid_a1.code]])
    source = zipfile.ZipFile(io.BytesIO(content))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"<v>12345</v>", b"<v>&e;</v>")
            target.writestr(info, data)
    job = services.import_job_create(
        actor=world.users["community"],
        kind="residents",
        upload=SimpleUploadedFile("x.xlsx", out.getvalue()),
        region=world.a1,
    )
    assert job.status == ImportStatus.FAILED and job.errors[0]["code"] == "not_xlsx"


def test_a_file_that_inflates_too_far_is_refused(world, monkeypatch):
    upload = _upload(_rows(world, 3))
    monkeypatch.setattr(spreadsheets, "MAX_UNPACKED_BYTES", 2_000)  # a real xlsx is larger
    job = services.import_job_create(
        actor=world.users["community"], kind="residents", upload=upload, region=world.a1
    )
    assert job.status == ImportStatus.FAILED and job.errors[0]["code"] == "not_xlsx"
