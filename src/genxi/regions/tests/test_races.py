"""A region code is taken once: a second node with it — typed twice, or by two people at
the same moment — is a ValidationError naming the code, never a 500."""

import pytest
from django.core.exceptions import ValidationError

from genxi.core.testing.race import needs_postgres, race
from genxi.regions import services
from genxi.regions.models import Level, Region


def _grid(world, code):
    return services.region_create(
        actor=world.users["system_admin"],
        level=Level.GRID,
        code=code,
        name="新网格",
        parent=world.a2,
    )


def test_a_taken_code_names_the_field(world):
    code = f"{world.a2.code}009"
    _grid(world, code)
    with pytest.raises(ValidationError) as exc:
        _grid(world, code)
    assert set(exc.value.message_dict) == {"code"}


@pytest.mark.django_db(transaction=True)
def test_one_code_created_side_by_side(world):
    needs_postgres()
    for n in range(2):
        code = f"{world.a2.code}00{n + 7}"
        outcome = race([lambda code=code: _grid(world, code)] * 4)
        assert not outcome.errors, outcome.errors
        assert len(outcome.done) == 1
        assert [set(e.message_dict) for e in outcome.refused] == [{"code"}] * 3
        assert Region.objects.filter(code=code).count() == 1
