"""Imports issue #10: the template made for its downloader (example row valid, in scope,
never imported; grid drop-down; 说明 sheet), grids by name, the preset scope picker, and
the update mode (match by ID number, preview, confirm in one transaction, idempotent)."""

import io
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from genxi.core import pii
from genxi.core.domain.cells import EXAMPLE_MARK
from genxi.core.models import AuditEvent, Notification
from genxi.core.spreadsheets import write_xlsx
from genxi.people import services
from genxi.people.domain.sheets import (
    AMBIGUOUS,
    CellError,
    Column,
    grid_lookup,
    parse_grid,
    validate_rows,
)
from genxi.people.importers import IMPORTERS
from genxi.people.models import ImportJob, ImportStatus, Pioneer, Resident
from genxi.testdata import valid_id

COLUMNS = [c.title for c in IMPORTERS["residents"].columns]


def _file(rows, header=COLUMNS, name="residents.xlsx"):
    return SimpleUploadedFile(name, write_xlsx("data", header, rows))


def _row(id_number, name="王秀英", phone="", grid="彩香一村社区 · 第1网格", **more):
    values = {"姓名": name, "身份证号": id_number, "手机号码": phone, "网格": grid, **more}
    return [values.get(title, "") for title in COLUMNS]


def _update(world, rows, who="community", region=None):
    return services.import_job_create(
        actor=world.users[who],
        kind="residents",
        upload=_file(rows),
        region=region or world.a1,
        mode="update",
    )


# The pure part -----------------------------------------------------------------------------


def test_a_grid_is_found_by_its_label_its_code_or_a_name_unique_in_scope():
    grids = grid_lookup(
        [(1, "320508012001001", "彩香一村社区", "第1网格"),
         (2, "320508012001002", "彩香一村社区", "第2网格"),
         (3, "320508012002001", "彩香二村社区", "第1网格")]
    )  # fmt: skip
    ctx = {"grids": grids}
    assert parse_grid("彩香二村社区 · 第1网格", ctx) == 3
    assert parse_grid("彩香二村社区·第1网格", ctx) == 3  # typed without the spaces
    assert parse_grid("320508012001002", ctx) == 2
    assert parse_grid("第2网格", ctx) == 2
    assert grids["第1网格"] == AMBIGUOUS
    with pytest.raises(CellError) as ambiguous:
        parse_grid("第1网格", ctx)
    assert ambiguous.value.code == "grid_ambiguous"
    with pytest.raises(CellError) as unknown:
        parse_grid("观景社区 · 第1网格", ctx)
    assert unknown.value.code == "grid" and unknown.value.params == {"value": "观景社区 · 第1网格"}


def test_the_example_row_is_checked_but_never_a_record():
    def number(value, ctx):
        if not value.isdigit():
            raise CellError("number")
        return int(value)

    columns = [Column("name", "姓名"), Column("phone", "手机号码", parse=number)]
    header = ["姓名", "手机号码"]
    good = validate_rows(columns, header, [(2, [EXAMPLE_MARK + "王秀英", "1"])], {})
    assert good.records == [] and good.errors == []
    assert [(r["_row"], r["name"]) for r in good.examples] == [(2, "王秀英")]
    bad = validate_rows(columns, header, [(2, [EXAMPLE_MARK + "王秀英", "x"])], {})
    assert bad.errors  # a template whose example fails would be caught


def test_an_older_header_is_still_read():
    columns = [Column("grid", "网格", aliases=("网格代码",))]
    outcome = validate_rows(columns, ["网格代码"], [(2, ["G1"])], {})
    assert outcome.records[0]["grid"] == "G1"


# The template ------------------------------------------------------------------------------


def _template(client, world, who="community", kind="residents"):
    client.force_login(world.users[who])
    response = client.get(reverse("people:import_template", args=[kind]))
    assert response.status_code == 200
    return response.content


def test_the_template_is_made_for_its_downloader(client, world):
    book = load_workbook(io.BytesIO(_template(client, world)))
    data = book.worksheets[0]
    header = [c.value for c in data[1]]
    example = [c.value for c in data[2]]
    assert header == COLUMNS
    assert example[0].startswith(EXAMPLE_MARK)
    assert data.title == "居民" and data.column_dimensions["B"].number_format == "@"  # 身份证号
    grid = example[header.index("网格")]
    assert grid == "彩香一村社区 · 第1网格"  # the downloader's own community
    options = book["选项"]
    assert options.sheet_state == "hidden"
    offered = [row[0] for row in options.iter_rows(values_only=True) if row[0]]
    assert offered == ["彩香一村社区 · 第1网格", "彩香一村社区 · 第2网格"]  # its grids only
    rules = data.data_validations.dataValidation
    grid_rule = next(r for r in rules if "D2" in str(r.sqref))
    assert grid_rule.type == "list" and grid_rule.formula1.startswith("'选项'!$")
    notes = "\n".join(str(r[0]) for r in book["说明"].iter_rows(values_only=True) if r[0])
    assert "身份证号 | 是 |" in notes and "网格 | 是 | 从下拉列表选择" in notes
    assert "标签 | 否 | 可选值:" in notes and EXAMPLE_MARK in notes


@pytest.mark.parametrize("kind", ["residents", "pioneers", "units"])
def test_the_unmodified_template_is_valid_and_imports_nothing(client, world, kind):
    who = "street"
    content = _template(client, world, who, kind)
    upload = SimpleUploadedFile(f"{kind}.xlsx", content)
    region = world.street_a
    job = services.import_job_create(
        actor=world.users[who], kind=kind, upload=upload, region=region, mode="create"
    )
    # In 新增 the example is skipped, so the file has nothing to add (and says so).
    assert job.status == ImportStatus.FAILED
    assert [e["code"] for e in job.errors] == ["empty"]
    if IMPORTERS[kind].updates:
        upload.seek(0)
        job = services.import_job_create(
            actor=world.users[who], kind=kind, upload=upload, region=region, mode="update"
        )
        # The preview: one valid row, the example, not to be imported; no errors.
        assert job.errors == [] and job.status == ImportStatus.DONE
        assert [r["status"] for r in job.preview] == ["example"]
    # Without its mark, the example row goes in: it is a valid row in scope.
    book = load_workbook(io.BytesIO(content))
    cell = book.worksheets[0]["A2"]
    cell.value = cell.value.removeprefix(EXAMPLE_MARK)
    buffer = io.BytesIO()
    book.save(buffer)
    job = services.import_job_create(
        actor=world.users[who],
        kind=kind,
        upload=SimpleUploadedFile("x.xlsx", buffer.getvalue()),
        region=region,
    )
    assert job.status == ImportStatus.DONE and job.created_rows == 1, job.errors


def test_a_grid_name_that_is_not_unique_is_an_error_naming_row_and_column(world):
    rows = [_row(valid_id(1), grid="第1网格"), _row(valid_id(2), grid="不存在的网格")]
    job = services.import_job_create(
        actor=world.users["street"], kind="residents", upload=_file(rows), region=world.street_a
    )
    assert [(e["row"], e["column"], e["code"]) for e in job.errors] == [
        (2, "D", "grid_ambiguous"),
        (3, "D", "grid"),
    ]


# Update mode -------------------------------------------------------------------------------


def test_update_previews_then_applies_on_confirmation(world):
    resident = world.resident(
        world.grid_a1, "王秀英", id_number=valid_id(1), phone="13800001111", tags=[]
    )
    rows = [
        _row(valid_id(1), phone="13900002222", grid="彩香一村社区 · 第2网格", 标签="独居老人"),
        _row(valid_id(2), name="李四"),
    ]
    job = _update(world, rows)
    assert job.status == ImportStatus.PREVIEW and job.file.name  # the upload waits, sealed
    assert (job.created_rows, job.updated_rows, job.unchanged_rows) == (1, 1, 0)
    changed, new = job.preview
    assert changed["status"] == "changed" and new["status"] == "new"
    assert changed["changes"] == [
        ["手机号码", "138****1111", "139****2222"],
        ["网格", "彩香一村社区 · 第1网格", "彩香一村社区 · 第2网格"],
        ["标签", "—", "独居老人"],
    ]
    assert valid_id(1) not in str(job.preview) and "13900002222" not in str(job.preview)
    resident.refresh_from_db()
    assert resident.phone == "13800001111"  # nothing written before confirmation
    assert not Resident.objects.filter(name="李四").exists()

    done = services.import_job_confirm(actor=world.users["community"], job=job)
    assert done.status == ImportStatus.DONE and not done.file.name
    resident.refresh_from_db()
    assert resident.phone == "13900002222" and resident.grid == world.grid_a1b
    assert resident.tags == ["elderly_alone"] and resident.name == "王秀英"
    assert Resident.objects.filter(name="李四", grid=world.grid_a1).count() == 1
    event = AuditEvent.objects.get(verb="resident.update", target_id=str(resident.pk))
    assert event.before["phone"] == "138****1111" and event.after["phone"] == "139****2222"
    assert AuditEvent.objects.filter(verb="resident.import").count() == 1
    assert AuditEvent.objects.filter(verb="import.confirm").count() == 1
    with pytest.raises(ValidationError):  # confirmed once only
        services.import_job_confirm(actor=world.users["community"], job=job)


def test_re_importing_the_same_file_changes_nothing(world):
    world.resident(world.grid_a1, "王秀英", id_number=valid_id(1), phone="13800001111")
    rows = [_row(valid_id(1), phone="13900002222", 标签="独居老人、残疾人")]
    services.import_job_confirm(actor=world.users["community"], job=_update(world, rows))
    events = AuditEvent.objects.count()
    again = _update(world, rows)
    assert again.status == ImportStatus.DONE and not again.file.name
    assert [r["status"] for r in again.preview] == ["unchanged"]
    assert (again.created_rows, again.updated_rows, again.unchanged_rows) == (0, 0, 1)
    assert AuditEvent.objects.count() == events + 1  # the upload's import.create only


def test_a_blank_cell_changes_nothing(world):
    world.resident(world.grid_a1, "王秀英", id_number=valid_id(1), phone="13800001111")
    job = _update(world, [_row(valid_id(1), phone="")])
    assert [r["status"] for r in job.preview] == ["unchanged"]


def test_a_person_outside_the_scope_is_treated_as_not_found(world):
    """As in 新增: the row is new, the page does not tell, the street admins decide."""
    world.resident(world.grid_b1, "外街居民", id_number=valid_id(1), phone="13800001111")
    job = _update(world, [_row(valid_id(1), name="王秀英", phone="13900002222")])
    assert [r["status"] for r in job.preview] == ["new"]
    assert "外街居民" not in str(job.preview) and "138****1111" not in str(job.preview)
    services.import_job_confirm(actor=world.users["community"], job=job)
    assert Resident.objects.get(grid=world.grid_b1).phone == "13800001111"  # untouched
    assert Resident.objects.get(grid=world.grid_a1).name == "王秀英"
    assert not Notification.objects.filter(user=world.users["community"]).exists()
    assert Notification.objects.filter(
        user=world.users["outsider"], verb="resident.duplicate"
    ).exists()


def test_confirmation_writes_all_or_nothing(world):
    """The second row's change is refused by the service: the first is not written."""
    world.pioneer(world.grid_a1, "P-1", "李党员")
    world.pioneer(world.grid_a1, "P-2", "张党员")
    header = [c.title for c in IMPORTERS["pioneers"].columns]

    def row(code, name, job=""):
        return [code, name, "", "党员", job, "彩香一村社区 · 第1网格", "", "", ""]

    job = services.import_job_create(
        actor=world.users["community"], kind="pioneers", region=world.a1, mode="update",
        upload=_file([row("P-1", "李建国"), row("P-2", "张党员", job="外卖骑手")], header),
    )  # fmt: skip
    assert job.status == ImportStatus.PREVIEW, job.errors
    with pytest.raises(ValidationError):
        services.import_job_confirm(actor=world.users["community"], job=job)
    assert Pioneer.objects.get(code="P-1").name == "李党员"
    assert ImportJob.objects.get(pk=job.pk).status == ImportStatus.PREVIEW
    assert not AuditEvent.objects.filter(verb="pioneer.update").exists()


def test_a_pioneer_code_used_outside_the_scope_is_refused_as_in_use(world):
    world.pioneer(world.grid_b1, "P-B", "外街先锋")
    header = [c.title for c in IMPORTERS["pioneers"].columns]
    job = services.import_job_create(
        actor=world.users["community"], kind="pioneers", region=world.a1, mode="update",
        upload=_file([["P-B", "李建国", "", "党员", "", "第1网格", "", "", ""]], header),
    )  # fmt: skip
    assert [(e["row"], e["column"], e["code"]) for e in job.errors] == [(2, "A", "exists")]


def test_a_preview_that_no_longer_holds_is_shown_again(world):
    resident = world.resident(world.grid_a1, "王秀英", id_number=valid_id(1), phone="13800001111")
    job = _update(world, [_row(valid_id(1), phone="13900002222")])
    services.resident_update(actor=None, resident=resident, phone="13700003333")
    with pytest.raises(ValidationError):
        services.import_job_confirm(actor=world.users["community"], job=job)
    job.refresh_from_db()
    assert job.status == ImportStatus.PREVIEW
    assert job.preview[0]["changes"] == [["手机号码", "137****3333", "139****2222"]]
    resident.refresh_from_db()
    assert resident.phone == "13700003333"
    done = services.import_job_confirm(actor=world.users["community"], job=job)
    assert done.status == ImportStatus.DONE


def test_units_have_no_update_mode(world):
    with pytest.raises(ValidationError):
        services.import_job_create(
            actor=world.users["street"], kind="units", upload=_file([]), region=world.street_a,
            mode="update",
        )  # fmt: skip


# Pages -------------------------------------------------------------------------------------


def test_the_scope_is_a_grouped_picker_preset_to_the_workers_place(client, world):
    client.force_login(world.users["community"])
    body = client.get(reverse("people:imports")).content.decode()
    assert f'<option value="{world.a1.pk}" selected>彩香一村社区(全部)</option>' in body
    assert '<optgroup label="彩香一村社区">' in body and "第2网格" in body
    assert "观景" not in body and "彩香二村" not in body
    assert 'type="radio" name="mode"' in body


def test_update_pages_preview_and_confirm(client, world):
    world.resident(world.grid_a1, "王秀英", id_number=valid_id(1), phone="13800001111")
    client.force_login(world.users["community"])
    response = client.post(
        reverse("people:imports"),
        {"kind": "residents", "mode": "update", "region": world.a1.pk,
         "file": _file([_row(valid_id(1), phone="13900002222")])},
    )  # fmt: skip
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert 'data-outcome="changed"' in page and "138****1111" in page and "139****2222" in page
    assert "13900002222" not in page and valid_id(1) not in page
    job = ImportJob.objects.latest("pk")
    # Another street's admin cannot see it, nor confirm it.
    client.force_login(world.users["outsider"])
    assert client.post(reverse("people:import_confirm", args=[job.pk])).status_code == 404
    client.force_login(world.users["community"])
    response = client.post(reverse("people:import_confirm", args=[job.pk]))
    assert response.status_code == 302
    assert Resident.objects.get(grid=world.grid_a1).phone == "13900002222"
    again = client.post(reverse("people:import_confirm", args=[job.pk]))
    assert again.status_code == 400 and 'data-error-for="form"' in again.content.decode()


def test_the_mode_is_refused_for_units_on_the_form(client, world):
    client.force_login(world.users["street"])
    response = client.post(
        reverse("people:imports"),
        {"kind": "units", "mode": "update", "region": world.street_a.pk,
         "file": _file([["U-1"]], ["编号"])},
    )  # fmt: skip
    assert response.status_code == 400 and 'data-error-for="mode"' in response.content.decode()


def test_a_large_update_previews_in_the_background_and_an_unconfirmed_one_expires(
    world, settings, django_capture_on_commit_callbacks
):
    settings.GENXI_IMPORT_BACKGROUND_ROWS = 1
    world.resident(world.grid_a1, "王秀英", id_number=valid_id(1), phone="13800001111")
    rows = [_row(valid_id(1), phone="13900002222"), _row(valid_id(2), name="李四")]
    with django_capture_on_commit_callbacks(execute=True):
        job = _update(world, rows)
    job.refresh_from_db()
    assert job.status == ImportStatus.PREVIEW and job.file.name  # kept for the confirmation
    assert [r["status"] for r in job.preview] == ["changed", "new"]
    assert services.import_uploads_purge(older_than=timedelta(hours=1)) == 0
    ImportJob.objects.filter(pk=job.pk).update(created_at=timezone.now() - timedelta(days=2))
    assert services.import_uploads_purge() == 1
    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED and job.errors[0]["code"] == "expired"
    assert not job.file.name
    assert Resident.objects.get(id_number_digest=pii.digest(valid_id(1))).phone == "13800001111"


def test_a_preview_is_discarded_at_once_with_nothing_written(client, world):
    """放弃: the job reads 已放弃, its upload is deleted now (not a day later), the audit
    says who dropped it, and it can no longer be confirmed."""
    world.resident(world.grid_a1, "王秀英", id_number=valid_id(1), phone="13800001111")
    client.force_login(world.users["community"])
    response = client.post(
        reverse("people:imports"),
        {"kind": "residents", "mode": "update", "region": world.a1.pk,
         "file": _file([_row(valid_id(1), phone="13900002222")])},
    )  # fmt: skip
    job = ImportJob.objects.latest("pk")
    assert job.status == ImportStatus.PREVIEW and job.file.name
    stored = job.file.name
    assert 'id="discard-form"' in client.get(response["Location"]).content.decode()
    client.force_login(world.users["outsider"])
    assert client.post(reverse("people:import_discard", args=[job.pk])).status_code == 404
    client.force_login(world.users["community"])
    response = client.post(reverse("people:import_discard", args=[job.pk]))
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.status == ImportStatus.DISCARDED and job.file.name == ""
    assert not job.file.storage.exists(stored)
    assert Resident.objects.get(grid=world.grid_a1).phone == "13800001111"
    event = AuditEvent.objects.get(verb="import.discard")
    assert event.actor == world.users["community"] and event.after == {"status": "discarded"}
    page = client.get(response["Location"]).content.decode()
    assert "已放弃" in page and 'id="confirm-form"' not in page
    refused = client.post(reverse("people:import_confirm", args=[job.pk]))
    assert refused.status_code == 400
    assert client.post(reverse("people:import_discard", args=[job.pk])).status_code == 400
    assert Resident.objects.get(grid=world.grid_a1).phone == "13800001111"
