"""登记诉求 is for those who take cases in (core.roles.INTAKE_ROLES): the button, the page and
its duplicates panel agree; a liaison, a department officer or the system admin sees no button
and gets no page (issue #10, "Menus fitted to roles")."""

import pytest
from django.urls import reverse

from genxi.core.roles import INTAKE_ROLES, Role
from genxi.core.scope import scope_for
from genxi.core.testing.world import make_user

TAKES = {"street": True, "community": True, "grid": True, "outsider": True}


@pytest.fixture
def users(world):
    users = dict(world.users)
    users["department"] = make_user("department", Role.DEPARTMENT_OFFICER, region=world.street_a)
    return users


def test_the_intake_roles_are_the_places_staff_and_grid_workers():
    assert {Role.STREET_ADMIN, Role.COMMUNITY_WORKER, Role.GRID_WORKER} == INTAKE_ROLES


@pytest.mark.parametrize(
    "role", ["system_admin", "street", "community", "grid", "unit", "outsider", "department"]
)
def test_button_page_and_panel_agree(client, users, role):
    user = users[role]
    takes = TAKES.get(role, False)
    assert scope_for(user).takes_cases is takes
    client.force_login(user)
    queue = client.get(reverse("cases:queue")).content.decode()
    tasks = client.get(reverse("cases:tasks")).content.decode()
    new_url = reverse("cases:new")
    assert (f'href="{new_url}"' in queue) is takes
    assert (f'href="{new_url}"' in tasks) is takes
    assert client.get(new_url).status_code == (200 if takes else 404)
    panel = client.get(reverse("cases:duplicates"), {"text": "路灯坏了好几天"})
    assert panel.status_code == (200 if takes else 404)
