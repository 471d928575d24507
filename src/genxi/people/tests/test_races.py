"""Check-then-create in people's services under a race: one writer wins, the others are told
which field is taken (a ValidationError), never a 500 from the unique index."""

import pytest
from django.core.exceptions import ValidationError

from genxi.core.testing.race import needs_postgres, race
from genxi.core.testing.world import next_id_number
from genxi.people import services
from genxi.people.models import ImportJob, ImportStatus, Pioneer, Resident, User


def _resident(world, id_number):
    return services.resident_create(
        actor=world.users["community"], name="赛跑居民", id_number=id_number, grid=world.grid_a1
    )


def _pioneer(world, code):
    return services.pioneer_create(
        actor=world.users["community"],
        code=code,
        name="赛跑先锋",
        kind="party_member",
        grid=world.grid_a1,
    )


def _user(username):
    return services.user_create(actor=None, username=username, password="Zh@ngSan-2031-race")


CASES = {
    "resident": (_resident, lambda r: next_id_number(), "id_number", Resident),
    "pioneer": (_pioneer, lambda r: f"P-RACE-{r}", "code", Pioneer),
    "user": (lambda world, name: _user(name), lambda r: f"racer{r}", "username", User),
}


@pytest.mark.parametrize("kind", CASES)
def test_a_taken_value_names_the_field(world, kind):
    create, value, field, _model = CASES[kind]
    key = value(0)
    create(world, key)
    with pytest.raises(ValidationError) as exc:
        create(world, key)
    assert set(exc.value.message_dict) == {field}


@pytest.mark.parametrize("kind", CASES)
@pytest.mark.django_db(transaction=True)
def test_creations_side_by_side(world, kind):
    needs_postgres()
    create, value, field, model = CASES[kind]
    before = model.objects.count()
    for r in range(2):
        key = value(r)
        outcome = race([lambda key=key: create(world, key)] * 4)
        assert not outcome.errors, outcome.errors
        assert len(outcome.done) == 1
        assert [set(e.message_dict) for e in outcome.refused] == [{field}] * 3
    assert model.objects.count() == before + 2


# Import jobs: one runner per job ------------------------------------------------------


def _waiting_job(world, rows=6, status=ImportStatus.PENDING):
    """A background job as import_job_create leaves it for the worker: the upload sealed."""
    from django.core.files.base import ContentFile

    from genxi.core import pii

    from .test_import_hardening import _rows, _upload

    job = ImportJob.objects.create(
        kind="residents",
        filename="residents.xlsx",
        created_by=world.users["community"],
        region=world.a1,
        total_rows=rows,
        status=status,
    )
    sealed = pii.cipher().encrypt(_upload(_rows(world, rows)).read())
    job.file.save("waiting.enc", ContentFile(sealed), save=True)
    return job


def test_a_job_another_worker_runs_is_left_to_it(world):
    job = _waiting_job(world, status=ImportStatus.RUNNING)
    services.import_job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == ImportStatus.RUNNING and job.file  # the other worker still reads it
    assert not Resident.objects.filter(name__startswith="居民").exists()


@pytest.mark.django_db(transaction=True)
def test_one_job_run_by_workers_side_by_side_imports_once(world):
    needs_postgres()
    job = _waiting_job(world)
    outcome = race([lambda: services.import_job_run(job_id=job.pk)] * 3)
    assert not outcome.errors and not outcome.refused, outcome
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE and job.created_rows == 6 and not job.file
    assert Resident.objects.filter(name__startswith="居民").count() == 6
