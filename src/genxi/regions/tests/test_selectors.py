import pytest

from genxi.demo.geography import rectangle
from genxi.regions import selectors, services
from genxi.regions.models import Level


def test_locate_and_rebuild_on_change(world, django_capture_on_commit_callbacks):
    assert selectors.locate(31.321, 120.591) == world.grid_a1
    with pytest.raises(selectors.OutsideAllGrids):
        selectors.locate(30.0, 119.0)
    # A new grid is found at once: the locator rebuilds when grids change.
    with django_capture_on_commit_callbacks(execute=True):
        new = services.region_create(
            actor=world.users["system_admin"],
            level=Level.GRID,
            code=f"{world.a2.code}009",
            name="新网格",
            parent=world.a2,
            geometry=rectangle(30.0, 119.0, 30.01, 119.01),
        )
    assert selectors.locate(30.005, 119.005) == new


def test_region_create_validates_codes(world):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as err:
        services.region_create(actor=None, level=Level.GRID, code="123", name="x", parent=world.a1)
    assert "code" in err.value.message_dict
    with pytest.raises(ValidationError) as err:
        services.region_create(
            actor=None, level=Level.COMMUNITY, code="320508012009", name="x", parent=world.a1
        )
    assert "level" in err.value.message_dict
