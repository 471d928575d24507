"""Suggested matches from the database: a place's staff propose one to the unit (a claim
waiting for the unit) or turn it down (not suggested again); a liaison sees what its unit
could meet. The unit's side of a proposal is in test_proposals.py."""

from django.urls import reverse

from genxi.cobuild import selectors, services
from genxi.cobuild.models import Claim, ClaimStatus, Resource


def _setup(world):
    need = services.need_create(
        actor=world.users["community"],
        community=world.a1,
        title="周末助老志愿服务",
        kind="volunteers",
        quantity=10,
        unit_label="志愿小时",
        description="助老 志愿者",
    )
    resource = Resource.objects.create(
        unit=world.objs["unit_a"],
        kind="volunteers",
        description="助老志愿者服务队",
        capacity=6,
        unit_label="次",
    )
    Resource.objects.create(
        unit=world.objs["unit_a"], kind="funds", description="资金", capacity=100, unit_label="元"
    )
    return need, resource


def test_suggestions_accept_and_reject(client, world):
    need, resource = _setup(world)
    suggestions = selectors.suggested_matches(user=world.users["street"])
    assert [(m["need"], m["resource"], m["quantity"]) for m in suggestions] == [(need, resource, 6)]
    assert set(suggestions[0]["parts"]) == {"category", "text", "distance", "time"}
    client.force_login(world.users["street"])
    page = client.get(reverse("cobuild:matches")).content.decode()
    assert "周末助老志愿服务" in page and "助老志愿者服务队" in page
    client.post(
        reverse("cobuild:match_decide", args=["accept"]),
        {"need": need.pk, "resource": resource.pk, "quantity": 6},
    )
    claim = Claim.objects.get(need=need)
    assert claim.status == ClaimStatus.PROPOSED and claim.unit == world.objs["unit_a"]
    assert claim.proposed_by == world.users["street"]
    need.refresh_from_db()
    assert need.filled == 0  # not until the unit confirms
    # While it waits for the unit, the pair is not suggested again.
    assert selectors.suggested_matches(user=world.users["street"]) == []
    claim.delete()
    client.post(
        reverse("cobuild:match_decide", args=["reject"]), {"need": need.pk, "resource": resource.pk}
    )
    assert selectors.suggested_matches(user=world.users["street"]) == []


def test_a_community_worker_proposes_and_a_liaison_does_not(client, world):
    need, resource = _setup(world)
    client.force_login(world.users["unit"])
    client.post(
        reverse("cobuild:match_decide", args=["accept"]),
        {"need": need.pk, "resource": resource.pk, "quantity": 6},
    )
    assert not Claim.objects.exists()
    client.force_login(world.users["community"])
    client.post(
        reverse("cobuild:match_decide", args=["accept"]),
        {"need": need.pk, "resource": resource.pk, "quantity": 6},
    )
    assert Claim.objects.get().status == ClaimStatus.PROPOSED


def test_liaison_sees_what_its_unit_could_meet(client, world):
    need, resource = _setup(world)
    client.force_login(world.users["unit"])
    page = client.get(reverse("cobuild:matches")).content.decode()
    assert "周末助老志愿服务" in page and "提议给单位" not in page


def test_the_page_speaks_plainly_and_filters(client, world):
    need, _resource = _setup(world)
    client.force_login(world.users["street"])
    page = client.get(reverse("cobuild:matches")).content.decode()
    parts = page[page.index('class="small match-parts"') :].split("</td>", 1)[0]
    assert "类别 100%" in parts and "内容" in parts and "距离" in parts and "时间" in parts
    assert "category" not in parts and "0.35" not in page  # no codes, no weight formula
    assert "共 1 条" in page
    other = client.get(reverse("cobuild:matches"), {"community": world.a2.code}).content.decode()
    assert "周末助老志愿服务" not in other and "共 0 条" in other
    by_kind = client.get(reverse("cobuild:matches"), {"kind": "funds"}).content.decode()
    assert "周末助老志愿服务" not in by_kind


def test_each_role_gets_its_own_title(client, world):
    _setup(world)
    titles = {}
    for role in ("street", "community", "grid", "unit"):
        client.force_login(world.users[role])
        body = client.get(reverse("cobuild:matches")).content.decode()
        titles[role] = body[body.index('<h1 class="h4">') + 15 : body.index("</h1>")]
    assert titles["unit"] == "对接与可以满足的需求"
    assert titles["street"] == titles["community"] == titles["grid"] == "需求与资源匹配建议"
