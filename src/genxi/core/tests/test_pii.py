"""Personal data: masking, encryption at rest, key rotation, reveal with reason."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import override_settings

from genxi.core import pii
from genxi.core.models import AuditEvent
from genxi.core.services import pii_reveal, pii_rotate
from genxi.people.models import Resident


def test_masks():
    assert pii.mask_phone("13812345678") == "138****5678"
    assert pii.mask_id_number("320502199001011234") == "320502**********1234"
    assert pii.mask_address("观景新村25幢2单元301室") == "观景新村25幢****"
    assert pii.mask_phone("") == "" and pii.mask_id_number(None) == ""


def test_encrypt_round_trip_and_tokens_differ():
    a, b = pii.encrypt("13812345678"), pii.encrypt("13812345678")
    assert a != b and "13812345678" not in a
    assert pii.decrypt(a) == pii.decrypt(b) == "13812345678"


def _raw_rows(table: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {table}")  # noqa: S608 - table names are ours
        return repr(cursor.fetchall())


def _all_tables_dump() -> str:
    dump = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608
            dump.append(repr(cursor.fetchall()))
    return "\n".join(dump)


def test_database_holds_no_plain_personal_data(world):
    r = world.resident(world.grid_a1, phone="13912340000", id_number="320508195001010012")
    world.pioneer(world.grid_a1, "P-X", phone="13698765432")
    dump = _all_tables_dump()
    for secret in ("13912340000", "320508195001010012", "13698765432", "13700001111"):
        assert secret not in dump
    assert "测试新村5幢2单元301室" not in dump
    fresh = Resident.objects.get(pk=r.pk)
    assert fresh.phone == "13912340000" and fresh.id_number == "320508195001010012"


def test_key_rotation(world, settings):
    r = world.resident(world.grid_a1, phone="13912340001")
    old_raw = _raw_rows("people_resident")
    old_digest = Resident.objects.get(pk=r.pk).id_number_digest
    # Put a new key first, keep the old ones: reading still works, then rotate.
    settings.GENXI_FIELD_KEYS = ["brand-new-key", *settings.GENXI_FIELD_KEYS]
    assert Resident.objects.get(pk=r.pk).phone == "13912340001"
    counts = pii_rotate()
    assert counts["people.Resident"] >= 1
    # The blind index has its own key (GENXI_INDEX_KEY): rotating the field key keeps it.
    new_digest = Resident.objects.get(pk=r.pk).id_number_digest
    assert new_digest == old_digest == pii.digest(r.id_number)
    # Now only the new key is needed.
    settings.GENXI_FIELD_KEYS = ["brand-new-key"]
    assert Resident.objects.get(pk=r.pk).phone == "13912340001"
    assert _raw_rows("people_resident") != old_raw
    assert AuditEvent.objects.filter(verb="pii.rotate").exists()


def test_missing_key_fails_loudly(world):
    r = world.resident(world.grid_a1)
    with override_settings(GENXI_FIELD_KEYS=["some-other-key"]), pytest.raises(Exception) as err:
        Resident.objects.get(pk=r.pk)
    assert "GENXI_FIELD_KEY" in str(err.value)


def test_reveal_needs_permission_and_reason_and_is_audited(world):
    r = world.resident(world.grid_a1, phone="13912340002")
    with pytest.raises(PermissionDenied):
        pii_reveal(actor=world.users["grid"], obj=r, field="phone", reason="上门走访需要联系")
    with pytest.raises(ValidationError) as err:
        pii_reveal(actor=world.users["community"], obj=r, field="phone", reason="")
    assert "reason" in err.value.message_dict
    assert not AuditEvent.objects.filter(verb="pii.reveal").exists()
    value = pii_reveal(
        actor=world.users["community"], obj=r, field="phone", reason="上门走访需要联系"
    )
    assert value == "13912340002"
    event = AuditEvent.objects.get(verb="pii.reveal")
    assert event.actor == world.users["community"]
    assert event.target_id == str(r.pk) and event.reason == "上门走访需要联系"
    assert "13912340002" not in repr(event.after)
