"""A full rotation of the field key, end to end: the blind index has its own key, so
duplicate residents are found before, during and after the rotation — imports included."""

from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection

from genxi.core import pii
from genxi.core.spreadsheets import write_xlsx
from genxi.people import services
from genxi.people.importers import IMPORTERS
from genxi.people.models import ImportStatus, Resident
from genxi.testdata import valid_id

OLD, NEW = "rotation-test-key-old", "rotation-test-key-new"


def _import(world, *numbers: str):
    rows = []
    for n, number in enumerate(numbers):
        row = {
            "姓名": f"导入居民{n}",
            "身份证号": number,
            "手机号码": "13812345678",
            "网格": world.grid_a1.code,
            "楼栋": "5幢",
            "住址": "彩香新村5幢1单元101室",
            "标签": "",
            "处理依据": "履行法定职责",
        }
        rows.append([row[c.title] for c in IMPORTERS["residents"].columns])
    header = [c.title for c in IMPORTERS["residents"].columns]
    upload = SimpleUploadedFile("residents.xlsx", write_xlsx("data", header, rows))
    return services.import_job_create(
        actor=world.users["community"], kind="residents", upload=upload, region=world.a1
    )


def _assert_duplicates_found(world, *numbers: str) -> None:
    before = Resident.objects.count()
    for number in numbers:
        with pytest.raises(ValidationError) as err:
            world.resident(world.grid_a1, name="重复居民", id_number=number)
        assert "id_number" in err.value.message_dict
        job = _import(world, valid_id(9000 + Resident.objects.count()), number)
        assert job.status == ImportStatus.FAILED
        assert {e["row"] for e in job.errors} == {3}  # the second data row: the duplicate
    assert Resident.objects.count() == before


def _ciphertexts() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number, phone FROM people_resident")
        return repr(cursor.fetchall())


def test_a_full_rotation_keeps_finding_duplicates(world, settings):
    earlier = list(settings.GENXI_FIELD_KEYS)  # the world's units and pioneers use these
    settings.GENXI_FIELD_KEYS = [OLD, *earlier]
    by_service, by_import = valid_id(8001), valid_id(8002)
    world.resident(world.grid_a1, name="登记居民", id_number=by_service, phone="13911112222")
    assert _import(world, by_import).status == ImportStatus.DONE
    _assert_duplicates_found(world, by_service, by_import)

    # 1. The new key goes in front; the old one stays to read.
    settings.GENXI_FIELD_KEYS = [NEW, OLD, *earlier]
    _assert_duplicates_found(world, by_service, by_import)
    written_during = valid_id(8003)
    assert _import(world, written_during).status == ImportStatus.DONE  # encrypted with NEW

    # 2. Re-encrypt everything with the new key.
    before = _ciphertexts()
    out = StringIO()
    call_command("rotate_field_key", stdout=out)
    assert "people.Resident" in out.getvalue()
    assert _ciphertexts() != before

    # 3. The old keys go: everything still reads, duplicates are still found.
    settings.GENXI_FIELD_KEYS = [NEW]
    numbers = {r.id_number for r in Resident.objects.all()}
    assert {by_service, by_import, written_during} <= numbers
    assert Resident.objects.get(id_number_digest=pii.digest(by_service)).phone == "13911112222"
    _assert_duplicates_found(world, by_service, by_import, written_during)
    assert _import(world, valid_id(8004)).status == ImportStatus.DONE
    _assert_duplicates_found(world, valid_id(8004))


def test_the_index_key_does_not_follow_the_field_key(settings):
    settings.GENXI_FIELD_KEYS = [OLD]
    first = pii.digest("320508195001010012")
    settings.GENXI_FIELD_KEYS = [NEW, OLD]
    assert pii.digest("320508195001010012") == first
    settings.GENXI_INDEX_KEY = "another-index-key"
    assert pii.digest("320508195001010012") != first


def test_an_upgrade_keeps_its_digests_by_naming_the_old_first_key(settings):
    """Before GENXI_INDEX_KEY, the index key was derived from the first field key: setting
    GENXI_INDEX_KEY to that key's value gives the same digests (docs/security.md)."""
    settings.GENXI_FIELD_KEYS = [OLD]
    settings.GENXI_INDEX_KEY = ""
    legacy = pii.digest("320508195001010012")
    settings.GENXI_INDEX_KEY = OLD
    settings.GENXI_FIELD_KEYS = [NEW, OLD]
    assert pii.digest("320508195001010012") == legacy


@pytest.mark.django_db
def test_rotation_refuses_while_the_index_key_follows_the_field_key(settings):
    from django.core.checks import run_checks

    settings.GENXI_INDEX_KEY = ""
    with pytest.raises(CommandError, match="GENXI_INDEX_KEY"):
        call_command("rotate_field_key", stdout=StringIO())
    assert "genxi.W011" in {m.id for m in run_checks()}
    settings.GENXI_INDEX_KEY = "an-index-key"
    assert "genxi.W011" not in {m.id for m in run_checks()}


def test_reindex_recomputes_every_digest_under_a_new_index_key(world, settings):
    number = valid_id(8005)
    resident = world.resident(world.grid_a1, id_number=number)
    settings.GENXI_INDEX_KEY = "a-brand-new-index-key"
    assert not Resident.objects.filter(id_number_digest=pii.digest(number)).exists()
    call_command("reindex_pii", stdout=StringIO())
    assert Resident.objects.get(id_number_digest=pii.digest(number)).pk == resident.pk
    _assert_duplicates_found(world, number)
