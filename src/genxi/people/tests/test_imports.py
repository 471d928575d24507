"""Excel import: templates, errors by row and column, all or nothing, background progress."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from genxi.core.models import AuditEvent
from genxi.core.spreadsheets import write_xlsx
from genxi.people import services
from genxi.people.importers import IMPORTERS
from genxi.people.models import ImportStatus, Pioneer, Resident
from genxi.testdata import valid_id


def _upload(kind, rows, header=None):
    header = header or [c.title for c in IMPORTERS[kind].columns]
    return SimpleUploadedFile(
        f"{kind}.xlsx",
        write_xlsx("data", header, rows),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


def _resident_row(world, n, **over):
    row = {
        "姓名": f"居民{n}",
        "身份证号": valid_id(n),
        "手机号码": "13812345678",
        "网格": world.grid_a1.code,
        "楼栋": "5幢",
        "住址": "彩香新村5幢1单元101室",
        "标签": "独居老人",
        "处理依据": "履行法定职责",
    }
    row.update(over)
    return [row[c.title] for c in IMPORTERS["residents"].columns]


def test_template_download(client, world):
    client.force_login(world.users["community"])
    response = client.get(reverse("people:import_template", args=["residents"]))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    assert [c.value for c in sheet[1]] == [c.title for c in IMPORTERS["residents"].columns]


def test_good_file_goes_in_whole_and_is_audited(world):
    rows = [_resident_row(world, n) for n in range(1, 6)]
    job = services.import_job_create(
        actor=world.users["community"], kind="residents", upload=_upload("residents", rows),
        region=world.a1,
    )  # fmt: skip
    assert job.status == ImportStatus.DONE and job.created_rows == 5
    assert Resident.objects.filter(name__startswith="居民").count() == 5
    r = Resident.objects.get(name="居民1")
    assert r.tags == ["elderly_alone"] and r.phone == "13812345678"
    assert AuditEvent.objects.filter(verb="resident.import").count() == 5


def test_one_bad_row_means_nothing_is_written(world):
    rows = [_resident_row(world, n) for n in range(1, 4)]
    rows.append(_resident_row(world, 4, **{"手机号码": "12345"}))
    rows.append(_resident_row(world, 5, **{"网格": world.grid_b1.code}))  # out of scope
    rows.append(_resident_row(world, 6, **{"标签": "不存在的标签"}))
    job = services.import_job_create(
        actor=world.users["community"], kind="residents", upload=_upload("residents", rows),
        region=world.a1,
    )  # fmt: skip
    assert job.status == ImportStatus.FAILED
    assert {(e["row"], e["column"], e["code"]) for e in job.errors} == {
        (5, "C", "phone"),
        (6, "D", "grid"),
        (7, "G", "choice_item"),
    }
    assert not Resident.objects.filter(name__startswith="居民").exists()


def test_rows_already_in_the_database_are_refused(world):
    world.resident(world.grid_a1, id_number=valid_id(1))
    job = services.import_job_create(
        actor=world.users["community"], kind="residents",
        upload=_upload("residents", [_resident_row(world, 1)]), region=world.a1,
    )  # fmt: skip
    assert [(e["row"], e["column"], e["code"]) for e in job.errors] == [(2, "B", "exists")]


def test_not_an_excel_file(world):
    upload = SimpleUploadedFile("x.xlsx", b"not a zip file")
    job = services.import_job_create(
        actor=world.users["community"], kind="pioneers", upload=upload, region=world.a1
    )
    assert job.status == ImportStatus.FAILED and job.errors[0]["code"] == "not_xlsx"


def test_large_file_runs_in_the_background(world, django_capture_on_commit_callbacks, settings):
    settings.GENXI_IMPORT_BACKGROUND_ROWS = 50
    header = [c.title for c in IMPORTERS["pioneers"].columns]
    rows = [
        [f"P-BG-{n:04d}", f"先锋{n}", "13912345678", "党员", "", world.grid_a1.code, "水电维修",
         "周末", "是"]
        for n in range(120)
    ]  # fmt: skip
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job = services.import_job_create(
            actor=world.users["community"], kind="pioneers",
            upload=_upload("pioneers", rows, header), region=world.a1,
        )  # fmt: skip
    assert job.status == ImportStatus.PENDING and job.total_rows == 120
    assert len(callbacks) == 1
    callbacks[0]()  # the task is enqueued after commit; the test backend runs it at once
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE and job.created_rows == 120 and job.percent == 100
    assert Pioneer.objects.filter(code__startswith="P-BG-").count() == 120


def test_import_pages(client, world):
    client.force_login(world.users["community"])
    assert client.get(reverse("people:imports")).status_code == 200
    response = client.post(
        reverse("people:imports"),
        {"kind": "residents", "region": world.a1.pk,
         "file": _upload("residents", [_resident_row(world, 9, **{"身份证号": "123"})])},
    )  # fmt: skip
    assert response.status_code == 302
    page = client.get(response["Location"])
    body = page.content.decode()
    assert "身份证号无效" in body and ">B<" in body and ">2<" in body
    # Another community's worker cannot see the job.
    client.force_login(world.users["outsider"])
    assert client.get(response["Location"]).status_code == 404


@pytest.mark.parametrize("who", ["grid", "unit", "auditor"])
def test_import_needs_permission(client, world, who):
    client.force_login(world.users[who])
    assert client.get(reverse("people:imports")).status_code == 404
