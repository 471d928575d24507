"""An import tells the importer nothing about people registered outside its scope: a row
whose ID number is registered in another community goes in exactly as a row with a new ID
number does, and the street admins over both records are asked to decide."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from genxi.core.models import AuditEvent, Notification
from genxi.core.spreadsheets import write_xlsx
from genxi.people import services
from genxi.people.importers import IMPORTERS
from genxi.people.models import ImportJob, ImportStatus, Resident
from genxi.testdata import valid_id

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _file(world, n, name="王秀英"):
    header = [c.title for c in IMPORTERS["residents"].columns]
    row = [name, valid_id(n), "13812345678", world.grid_a1.code, "5幢", "", "", ""]
    return SimpleUploadedFile("residents.xlsx", write_xlsx("data", header, [row]), XLSX)


def _import_as(client, world, who, n):
    """What the importer gets: the job page it is sent to, and its resident list."""
    client.force_login(world.users[who])
    response = client.post(
        reverse("people:imports"),
        {"kind": "residents", "region": world.a1.pk, "file": _file(world, n)},
    )
    assert response.status_code == 302
    job = ImportJob.objects.latest("pk")
    page = client.get(response["Location"]).content.decode()
    page = page.replace(f"#{job.pk}", "#N").replace(f"/{job.pk}/", "/N/")
    page = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page)
    page = re.sub(r'"X-CSRFToken": "[^"]+"', "", page)
    page = re.sub(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}(:\d{2})?", "TIME", page)
    listed = client.get(reverse("people:residents"), {"q": "王秀英"}).content.decode()
    return job, page, listed.count("王秀英") > 0


@pytest.mark.parametrize("where", ["another_community", "another_street"])
def test_registered_elsewhere_is_indistinguishable_from_new(client, world, where):
    grid = world.grid_a2 if where == "another_community" else world.grid_b1
    world.resident(grid, name="王秀英", id_number=valid_id(1))
    elsewhere_job, elsewhere_page, elsewhere_listed = _import_as(client, world, "community", 1)
    Resident.objects.filter(grid=world.grid_a1).delete()
    new_job, new_page, new_listed = _import_as(client, world, "community", 2)  # nobody has it

    def seen(job):
        return (job.status, job.total_rows, job.created_rows, job.errors)

    assert seen(elsewhere_job) == seen(new_job) == (ImportStatus.DONE, 1, 1, [])
    assert elsewhere_page == new_page
    assert "已有相同记录" not in elsewhere_page
    assert elsewhere_listed and new_listed
    # The importer is not told; nor in its inbox.
    assert not Notification.objects.filter(user=world.users["community"]).exists()


def test_the_street_admins_over_both_records_are_asked_to_decide(client, world):
    world.resident(world.grid_a2, name="王秀英", id_number=valid_id(1))  # street A
    world.resident(world.grid_b1, name="李四", id_number=valid_id(2))  # street B
    _import_as(client, world, "community", 1)
    _import_as(client, world, "community", 2)
    street_a = Notification.objects.filter(user=world.users["street"], verb="resident.duplicate")
    street_b = Notification.objects.filter(user=world.users["outsider"], verb="resident.duplicate")
    assert street_a.count() == 2 and street_b.count() == 1
    text = street_b.get().text
    assert "观景社区" in text and "彩香一村社区" in text and valid_id(2) not in text
    assert valid_id(2)[-4:] in text  # the masked ID number, to find the records
    assert AuditEvent.objects.filter(verb="resident.duplicate").count() == 2


def test_a_street_admin_importing_is_not_told_either(client, world):
    world.resident(world.grid_b1, name="王秀英", id_number=valid_id(1))
    job, page, _ = _import_as(client, world, "street", 1)
    assert job.status == ImportStatus.DONE and "已有相同记录" not in page
    assert not Notification.objects.filter(user=world.users["street"]).exists()
    assert Notification.objects.filter(user=world.users["outsider"]).count() == 1


def test_a_record_the_importer_can_see_is_still_refused(client, world):
    world.resident(world.grid_a1b, name="王秀英", id_number=valid_id(1))  # its own community
    job, page, _ = _import_as(client, world, "community", 1)
    assert job.status == ImportStatus.FAILED and [e["code"] for e in job.errors] == ["exists"]
    assert "系统中已有相同记录" in page
    assert Resident.objects.count() == 1


@pytest.mark.parametrize("where", ["another_community", "another_street"])
def test_in_update_mode_too_a_person_elsewhere_previews_as_new(world, where):
    grid = world.grid_a2 if where == "another_community" else world.grid_b1
    world.resident(grid, name="别处的人", id_number=valid_id(1))

    def preview(n):
        job = services.import_job_create(
            actor=world.users["community"], kind="residents", upload=_file(world, n),
            region=world.a1, mode="update",
        )  # fmt: skip
        rows = [{k: v for k, v in r.items() if k != "label"} for r in job.preview]
        return job.status, job.created_rows, job.updated_rows, job.errors, rows

    assert preview(1) == preview(2) == (ImportStatus.PREVIEW, 1, 0, [], [
        {"row": 2, "status": "new", "changes": []}
    ])  # fmt: skip
