"""Two people registering the same partner unit at once: one gets it, the other is told the
code is taken (a ValidationError naming the field), never a 500."""

import pytest
from django.core.exceptions import ValidationError

from genxi.core.models import AuditEvent
from genxi.core.testing.race import needs_postgres, race
from genxi.orgs import services
from genxi.orgs.models import PartnerUnit


def _create(world, code="U-RACE", name="赛跑单位"):
    return services.unit_create(
        actor=world.users["street"], code=code, name=name, kind="enterprise", region=world.street_a
    )


def test_a_taken_code_names_the_field(world):
    _create(world)
    with pytest.raises(ValidationError) as exc:
        _create(world, name="另一家")
    assert set(exc.value.message_dict) == {"code"}
    assert PartnerUnit.objects.filter(code="U-RACE").count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_registrations_of_one_code_at_once(world):
    needs_postgres()
    for n in range(3):
        code = f"U-RACE-{n}"
        outcome = race([lambda code=code: _create(world, code=code)] * 4)
        assert not outcome.errors, outcome.errors
        assert len(outcome.done) == 1
        assert [set(e.message_dict) for e in outcome.refused] == [{"code"}] * 3
        unit = PartnerUnit.objects.get(code=code)
        assert AuditEvent.objects.filter(verb="unit.create", target_id=str(unit.pk)).count() == 1
