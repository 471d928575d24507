"""An account without a name is shown by its post, never by its login: 金阊街道 街道管理员
(未署名), or 未署名用户 when it holds no role. The page matrix's world keeps its accounts nameless
(test_page_text.py names them), so every page a role may read is scanned here for a login
of the world: the header's account menu, a case's handler and history, the workbench, the
inbox and the audit log among them."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.utils import translation

from genxi.cases import services
from genxi.cases.models import Category
from genxi.core.roles import Role
from genxi.core.testing.page_matrix import (
    page_world,  # noqa: F401  (the fixture)
    write_world,  # noqa: F401  (the fixture)
)
from genxi.core.testing.world import make_user
from genxi.core.testing.write_matrix import ROLES
from genxi.people.models import User
from genxi.people.services import membership_grant

from .test_page_text import problems, readable_pages, token


@pytest.fixture(autouse=True)
def _language_back():
    yield
    translation.deactivate()


def test_an_unnamed_account_is_called_by_its_post(world):
    street = world.users["street"]
    assert street.display_name == ""
    with translation.override("zh-hans"):
        assert str(street) == f"{world.street_a.name} 街道管理员(未署名)"
    with translation.override("en"):
        assert "Street admin" in str(street) and world.street_a.name in str(street)
    with translation.override("zh-hans"):  # a grid with its community: each has a 第1网格
        grid = f"{world.a1.name} · {world.grid_a1.name}"
        assert str(world.users["grid"]) == f"{grid} 网格员/海棠先锋(未署名)"
    auditor = world.users["auditor"]
    with translation.override("zh-hans"):
        assert str(auditor) == "安全审计员(未署名)"  # a role over no place
    street.display_name = "王主任"
    assert str(street) == "王主任"  # a name, when it has one


def test_an_account_with_no_role_is_unnamed_and_learns_its_post(world):
    someone = make_user("zhang3")
    with translation.override("zh-hans"):
        assert str(someone) == "未署名用户"
        assert str(User(username="new")) == "未署名用户"  # not saved: no query
        membership_grant(
            actor=world.users["security_admin"],
            user=someone,
            role=Role.COMMUNITY_WORKER,
            region=world.a1,
        )
        assert str(User.objects.get(pk=someone.pk)) == f"{world.a1.name} 社区工作者(未署名)"
    assert "zhang3" not in str(someone)


def test_unnamed_accounts_of_a_list_are_read_once(world, django_assert_max_num_queries):
    users = list(User.objects.filter(display_name=""))
    assert len(users) > 5
    [str(u) for u in users]
    with django_assert_max_num_queries(0):
        [str(u) for u in users]


@pytest.fixture(scope="module")
def nameless_world(page_world, django_db_blocker):  # noqa: F811 (the fixture)
    """The page matrix's world as it is, its accounts without names; each side's case
    accepted and dispatched, so its page names the staff and the handler."""
    with django_db_blocker.unblock():
        assert not User.objects.exclude(display_name="").exists()
        category = Category.objects.get(code="FAC.02")
        for side in page_world.objs["sides"].values():
            services.case_act(actor=side.staff, case=side.case, action="accept", category=category)
            services.case_act(
                actor=side.staff, case=side.case, action="dispatch", handler=side.handler
            )
            side.case.refresh_from_db()
        page_world.objs["logins"] = list(User.objects.values_list("username", flat=True))
    return page_world


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_no_page_shows_an_unnamed_accounts_login(client, nameless_world, role):
    world = nameless_world
    sides = world.objs["sides"]
    if role != "anonymous":
        client.cookies[settings.SESSION_COOKIE_NAME] = world.objs["sessions"][role]
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    logins = sorted(world.objs["logins"], key=len, reverse=True)
    login_pattern = re.compile("|".join(token(u) for u in logins))
    failures, seen = [], 0
    for route, url, text in readable_pages(client, role, sides):
        seen += 1
        failures += [
            f"{route} ({url}): {p}" for p in problems(text, login_pattern) if p.startswith("login ")
        ]
    assert seen or role in ("norole", "security_admin", "auditor", "anonymous")
    assert not failures, f"{role}:\n" + "\n".join(failures)
