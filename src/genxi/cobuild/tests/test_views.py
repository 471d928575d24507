"""Co-building pages: scoped, and the claim flow through them."""

from django.urls import reverse

from genxi.cobuild import services
from genxi.cobuild.models import Claim, ClaimStatus, Need


def _need(world, community=None, actor="community"):
    return services.need_create(
        actor=world.users[actor],
        community=community or world.a1,
        title="周末助老志愿服务",
        kind="volunteers",
        quantity=10,
        unit_label="志愿小时",
    )


def test_pages_are_scoped(client, world):
    inside = _need(world)
    outside = _need(world, world.b1, actor="outsider")
    client.force_login(world.users["community"])
    assert client.get(reverse("cobuild:need", args=[inside.pk])).status_code == 200
    assert client.get(reverse("cobuild:need", args=[outside.pk])).status_code == 404
    client.force_login(world.users["unit"])  # paired with a1 only
    assert client.get(reverse("cobuild:need", args=[inside.pk])).status_code == 200
    assert client.get(reverse("cobuild:need", args=[outside.pk])).status_code == 404
    client.logout()
    assert client.get(reverse("cobuild:needs")).status_code == 302


def test_post_claim_approve_deliver_through_pages(client, world):
    client.force_login(world.users["community"])
    response = client.post(
        reverse("cobuild:need_new"),
        {
            "community": world.a1.pk,
            "title": "法律咨询进社区",
            "kind": "legal",
            "quantity": 4,
            "unit_label": "场次",
        },
    )
    need = Need.objects.get(title="法律咨询进社区")
    assert response.status_code == 302
    client.force_login(world.users["unit"])
    client.post(
        reverse("cobuild:claim_new", args=[need.pk]),
        {"unit": world.objs["unit_a"].pk, "quantity": 2},
    )
    claim = Claim.objects.get(need=need)
    # The unit cannot approve its own claim; the community can.
    client.post(reverse("cobuild:claim_act", args=[claim.pk, "approve"]))
    assert Claim.objects.get(pk=claim.pk).status == ClaimStatus.PENDING
    client.force_login(world.users["community"])
    client.post(reverse("cobuild:claim_act", args=[claim.pk, "approve"]))
    client.force_login(world.users["unit"])
    client.post(
        reverse("cobuild:claim_act", args=[claim.pk, "deliver"]), {"amount": 2, "beneficiaries": 35}
    )
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.DELIVERED and claim.beneficiaries_served == 35
