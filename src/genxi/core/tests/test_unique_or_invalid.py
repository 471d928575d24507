"""`core.db.unique_or_invalid`: a unique value taken by a writer running side by side is a
ValidationError naming the field; any other integrity error is not disguised as one."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from genxi.core.db import unique_or_invalid
from genxi.orgs.models import PartnerUnit


def _clash(world):
    PartnerUnit.objects.create(
        code=world.objs["unit_a"].code, name="重号单位", kind="enterprise", region=world.street_a
    )


def test_a_value_taken_after_the_check_is_a_validation_error(world):
    answers = iter([False, True])  # free when checked, taken when the insert fails
    with (
        pytest.raises(ValidationError) as exc,
        transaction.atomic(),
        unique_or_invalid(lambda: next(answers), "code", "编号已被使用。"),
    ):
        _clash(world)
    assert exc.value.message_dict == {"code": ["编号已被使用。"]}
    assert PartnerUnit.objects.filter(name="重号单位").count() == 0


def test_a_value_taken_before_is_refused_without_writing(world):
    ran = []
    with pytest.raises(ValidationError), unique_or_invalid(lambda: True, "code", "taken"):
        ran.append(1)
    assert ran == []


def test_other_integrity_errors_go_up(world):
    with (
        pytest.raises(IntegrityError),
        transaction.atomic(),
        unique_or_invalid(lambda: False, "code", "taken"),
    ):
        _clash(world)
