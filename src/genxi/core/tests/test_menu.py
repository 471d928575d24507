"""The menu offers each role what it can use, by the permission an entry needs: every page
it offers answers the role, and a department officer, who has no part in co-building, gets
no 共建 menu (the place's staff, its grid workers and the partner units do)."""

import pytest
from django.utils import translation

from genxi.core.navigation import MENU, NavGroup, menu_for
from genxi.core.roles import Perm, Role
from genxi.core.scope import scope_for
from genxi.core.testing.world import make_user

COBUILD_PAGES = {
    "orgs:units",
    "cobuild:needs",
    "cobuild:resources",
    "cobuild:projects",
    "cobuild:rankings",
    "cobuild:services",
    "cobuild:matches",
    "cobuild:meetings",
}
DATA = ["首页", "诉求", "我的任务", "组织", "人员"]
# The groups and single entries of each role's menu, in order.
MENUS = {
    "system_admin": [*DATA, "共建", "驿站", "周末社区", "社区公告", "预警", "检查整改",
                     "数据导入", "统计", "数据看板", "后台管理"],
    "security_admin": ["首页", "后台管理"],
    "auditor": ["首页", "审计日志"],
    "street": [*DATA, "共建", "驿站", "走访", "周末社区", "社区公告", "预警", "检查整改",
               "数据导入", "统计", "数据看板", "后台管理"],
    "community": [*DATA, "共建", "驿站", "走访", "周末社区", "社区公告", "预警", "检查整改",
                  "数据导入", "统计", "数据看板"],
    "grid": [*DATA, "共建", "驿站", "走访", "周末社区", "社区公告", "检查整改", "数据看板"],
    "unit": [*DATA, "共建"],
    "department": [*DATA, "驿站", "周末社区", "社区公告", "预警", "检查整改", "统计",
                   "数据看板"],
    "norole": ["首页"],
}  # fmt: skip


def _items(menu):
    for entry in menu:
        yield from entry.items if isinstance(entry, NavGroup) else [entry]


@pytest.fixture
def users(world):
    users = {role: world.users[role] for role in MENUS if role in world.users}
    users["department"] = make_user("department", Role.DEPARTMENT_OFFICER, region=world.street_a)
    return users


def test_the_cobuild_menu_is_by_permission():
    assert {item.url_name for item in MENU if item.perm == Perm.COBUILD} == COBUILD_PAGES
    assert all(not item.roles for item in MENU if item.url_name in COBUILD_PAGES)


def test_each_role_gets_its_menu(users):
    with translation.override("zh-hans"):
        menus = {role: [str(e.label) for e in menu_for(scope_for(u))] for role, u in users.items()}
    assert menus == MENUS
    department = {i.url_name for i in _items(menu_for(scope_for(users["department"])))}
    assert not department & COBUILD_PAGES


@pytest.mark.parametrize("role", sorted(MENUS))
def test_every_page_the_menu_offers_answers_the_role(client, users, role):
    user = users[role]
    client.force_login(user)
    refused = []
    for item in _items(menu_for(scope_for(user))):
        response = client.get(item.url, follow=True)  # a dashboard opens at its level
        if response.status_code != 200:
            refused.append(f"{item.url_name}: {response.status_code}")
    assert refused == []
