"""The workbench on the home page: each role sees the work it does, for its own area, and
every count is the length of the list it links to (read off that list's page)."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from genxi.cases import services as cases
from genxi.cases.categories import ensure as ensure_categories
from genxi.cases.models import Case, Category
from genxi.cobuild import services
from genxi.core.workbench import work_for

pytestmark = pytest.mark.usefixtures("work")


@pytest.fixture
def work(world):
    """Cases in several states in both streets, a need with a claim to review, a meeting
    to hold with an unfinished action item."""
    ensure_categories(Category)
    env = Category.objects.get(code="ENV.02")

    def new(grid, text="楼道里堆满了杂物,请尽快清理"):
        return cases.case_create(
            actor=world.users["community"] if grid.path.startswith(world.a1.path) else None,
            channel="phone",
            text=text,
            region=grid,
        )

    new(world.grid_a1)  # submitted
    accepted = new(world.grid_a1)
    cases.case_act(actor=world.users["community"], case=accepted, action="accept", category=env)
    handled = new(world.grid_a1)
    cases.case_act(actor=world.users["community"], case=handled, action="accept", category=env)
    cases.case_act(
        actor=world.users["community"], case=handled, action="dispatch", handler=world.users["grid"]
    )
    # One of the grid worker's cases is overdue, and one more case in street A falls due soon.
    Case.objects.filter(pk=handled.pk).update(resolve_by=timezone.now() - timedelta(hours=2))
    soon = new(world.grid_a1b)
    Case.objects.filter(pk=soon.pk).update(resolve_by=timezone.now() + timedelta(hours=3))
    cases.case_create(
        actor=None, channel="phone", text="乙街道的诉求,不该被甲看到", region=world.grid_b1
    )

    need = services.need_create(
        actor=world.users["community"],
        community=world.a1,
        title="助老志愿者",
        kind="volunteers",
        quantity=10,
        unit_label="人次",
    )
    services.claim_create(
        actor=world.users["unit"], unit=world.objs["unit_a"], need=need, quantity=2
    )
    resource = services.resource_create(
        actor=world.users["unit"],
        unit=world.objs["unit_a"],
        kind="volunteers",
        description="助老志愿者服务队",
        capacity=5,
        unit_label="人次",
    )
    services.match_accept(actor=world.users["community"], need=need, resource=resource, quantity=3)
    meeting = services.meeting_create(
        actor=world.users["street"],
        host=world.street_a,
        title="共建联席会",
        starts_at=timezone.now() - timedelta(hours=1),
        place="党群服务中心",
        units=[world.objs["unit_a"]],
    )
    services.resolution_add(
        actor=world.users["street"],
        meeting=meeting,
        text="修好彩香一村的路灯",
        kind="case",
        owner=world.users["community"],
        community=world.a1,
        deadline=timezone.localdate() + timedelta(days=7),
    )
    return world


def _listed(client, url: str) -> int:
    """How many rows the page behind a count lists."""
    body = client.get(url).content.decode()
    if url.endswith("#proposals"):
        return len(re.findall(r'class="list-group-item proposal"', body))
    if url.endswith("#open-items"):
        block = re.search(r'id="open-items">(.*?)</ul>', body, re.S)
        return len(re.findall(r"<li", block.group(1))) if block else 0
    found = re.search(r"共 (\d+) (?:条|个|批|本|份|项|件)", body)  # 共 3 条, 共 2 个班次…
    assert found, f"{url} does not say how many it lists (共 N 条)"
    return int(found.group(1))


EXPECTED = {
    "street": {
        "cases.to_accept": 3,  # the meeting's action item became a case too
        "cases.to_dispatch": 1,
        "cases.mine": 0,
        "cases.due_soon": 1,
        "cases.overdue": 1,
        "cases.flagged": 0,
        "cobuild.claims": 1,
        "cobuild.resolutions": 1,
        "cobuild.meetings": 1,
    },
    "community": {"cases.to_accept": 3, "cases.to_dispatch": 1, "cobuild.claims": 1},
    "grid": {"cases.mine": 1, "cases.overdue": 1, "cases.due_soon": 0},
    "unit": {
        "cobuild.proposals": 1,
        "cobuild.open_needs": 1,
        "cobuild.meetings": 1,
        "cases.mine": 0,
    },
    "outsider": {"cases.to_accept": 1, "cobuild.claims": 0, "cobuild.meetings": 0},
}


@pytest.mark.parametrize("role", sorted(EXPECTED))
def test_each_count_is_the_list_behind_it(client, world, role):
    user = world.users[role]
    items = {w.key: w for w in work_for(user)}
    for key, count in EXPECTED[role].items():
        assert items[key].count == count, key
    client.force_login(user)
    home = client.get(reverse("home")).content.decode()
    for key, item in items.items():
        assert f'href="{item.url}" data-key="{key}"'.replace("&", "&amp;") in home
        assert _listed(client, item.url) == item.count, key


def test_roles_see_their_own_kind_of_work(world):
    keys = {role: {w.key for w in work_for(world.users[role])} for role in world.users}
    assert "cases.to_accept" in keys["community"] and "cases.to_accept" not in keys["grid"]
    assert "cobuild.open_needs" in keys["unit"] and "cobuild.claims" not in keys["unit"]
    for admin in ("system_admin", "security_admin", "auditor", "norole"):
        assert not keys[admin] or admin == "system_admin", admin


def test_an_admin_without_work_gets_its_tools(client, world):
    client.force_login(world.users["auditor"])
    home = client.get(reverse("home")).content.decode()
    assert 'id="workbench"' not in home
    assert f'href="{reverse("audit")}"' in home and "请从上方菜单进入" not in home


def test_the_bell_counts_unread_messages(client, world):
    client.force_login(world.users["community"])
    unread = re.search(r'id="unread-count">(\d+)<', client.get(reverse("home")).content.decode())
    assert unread and int(unread.group(1)) >= 2  # told of the new cases in its community
    client.get(reverse("inbox"))
    assert 'id="unread-count"' not in client.get(reverse("home")).content.decode()
