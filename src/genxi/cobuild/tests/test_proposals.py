"""A suggested match proposed to the unit: the community's staff propose, the unit's
liaison is told and confirms (an approved claim) or declines with a reason (the community
reads it; the pair is not suggested again). And a claim the community turns down carries
the reason the unit reads."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from genxi.cobuild import selectors, services
from genxi.cobuild.models import Claim, ClaimStatus, MatchRejection, Resource
from genxi.core.models import AuditEvent, Notification


@pytest.fixture
def need(world):
    return services.need_create(
        actor=world.users["community"],
        community=world.a1,
        title="周末助老志愿服务",
        kind="volunteers",
        quantity=10,
        unit_label="志愿小时",
        description="助老 志愿者",
    )


@pytest.fixture
def resource(world):
    return Resource.objects.create(
        unit=world.objs["unit_a"],
        kind="volunteers",
        description="助老志愿者服务队",
        capacity=6,
        unit_label="次",
    )


@pytest.fixture
def proposal(world, need, resource):
    return services.match_accept(
        actor=world.users["community"], need=need, resource=resource, quantity=6
    )


def _inbox(user):
    return list(Notification.objects.filter(user=user).values_list("verb", "text"))


def test_a_proposal_waits_for_the_unit_and_tells_its_liaison(world, need, proposal):
    assert proposal.status == ClaimStatus.PROPOSED
    assert proposal.proposed_by == world.users["community"] and proposal.quantity == 6
    need.refresh_from_db()
    assert need.filled == 0
    ((verb, text),) = _inbox(world.users["unit"])
    assert verb == "match_proposed" and "周末助老志愿服务" in text and "确认" in text
    assert Notification.objects.get(user=world.users["unit"]).subject == proposal
    assert proposal.get_absolute_url() == reverse("cobuild:matches") + "#proposals"
    # The liaison's list and workbench count it; the community's list shows it waiting.
    assert list(selectors.proposals(user=world.users["unit"])) == [proposal]
    assert list(selectors.proposals(user=world.users["community"])) == [proposal]
    assert list(selectors.proposals(user=world.users["outsider"])) == []
    assert AuditEvent.objects.filter(verb="match.accept", target_id=str(proposal.pk)).exists()


def test_the_same_pair_is_not_proposed_twice(world, need, resource, proposal):
    with pytest.raises(ValidationError) as exc:
        services.match_accept(actor=world.users["street"], need=need, resource=resource, quantity=2)
    assert "resource" in exc.value.message_dict


def test_confirming_approves_the_claim_and_tells_the_proposer(world, need, proposal):
    claim = services.proposal_confirm(actor=world.users["unit"], claim=proposal)
    assert claim.status == ClaimStatus.APPROVED
    need.refresh_from_db()
    assert need.filled == 6
    assert ("match_confirmed", "甲共建单位 已确认对接:周末助老志愿服务(6 志愿小时)。") in _inbox(
        world.users["community"]
    )
    with pytest.raises(ValidationError) as exc:  # once
        services.proposal_confirm(actor=world.users["unit"], claim=claim)
    assert exc.value.message_dict == {"status": ["该认领已处理过。"]}
    # The approved claim is delivered like any other.
    services.claim_deliver(actor=world.users["unit"], claim=claim, amount=6, beneficiaries=20)


def test_declining_needs_a_reason_and_turns_the_pair_down(world, need, resource, proposal):
    with pytest.raises(ValidationError) as exc:
        services.proposal_decline(actor=world.users["unit"], claim=proposal, reason="  ")
    assert exc.value.message_dict == {"reason": ["请说明谢绝的原因。"]}
    claim = services.proposal_decline(actor=world.users["unit"], claim=proposal, reason="人手不足")
    assert (claim.status, claim.reason) == (ClaimStatus.DECLINED, "人手不足")
    assert MatchRejection.objects.filter(need=need, resource=resource).exists()
    assert selectors.suggested_matches(user=world.users["community"]) == []
    ((verb, text),) = [m for m in _inbox(world.users["community"]) if m[0] == "match_declined"]
    assert "人手不足" in text
    event = AuditEvent.objects.get(verb="match.decline")
    assert event.reason == "人手不足" and event.after == {"status": "declined"}
    with pytest.raises(ValidationError):  # nor proposed again
        services.match_accept(
            actor=world.users["community"], need=need, resource=resource, quantity=2
        )


@pytest.mark.parametrize("role", ["community", "street", "grid", "system_admin", "outsider"])
def test_only_the_unit_s_liaison_answers(world, proposal, role):
    for act in (
        lambda: services.proposal_confirm(actor=world.users[role], claim=proposal),
        lambda: services.proposal_decline(actor=world.users[role], claim=proposal, reason="x"),
    ):
        with pytest.raises(PermissionDenied):
            act()
    proposal.refresh_from_db()
    assert proposal.status == ClaimStatus.PROPOSED


def test_the_staff_do_not_approve_their_own_proposal(world, proposal):
    with pytest.raises(ValidationError):
        services.claim_approve(actor=world.users["community"], claim=proposal)


@pytest.mark.parametrize("role", ["community", "street", "outsider", "grid"])
def test_to_anyone_but_the_liaison_the_proposal_is_not_there(client, world, proposal, role):
    client.force_login(world.users[role])
    for action in ("confirm", "decline"):
        url = reverse("cobuild:proposal_act", args=[proposal.pk, action])
        assert client.post(url, {"reason": "x"}).status_code == 404
    proposal.refresh_from_db()
    assert proposal.status == ClaimStatus.PROPOSED


def test_the_liaison_declines_on_the_page_with_the_error_beside_the_field(client, world, proposal):
    client.force_login(world.users["unit"])
    page = client.get(reverse("cobuild:matches")).content.decode()
    assert f'id="proposal-{proposal.pk}"' in page and "待确认的对接" in page
    url = reverse("cobuild:proposal_act", args=[proposal.pk, "decline"])
    refused = client.post(url, {"reason": ""})
    assert refused.status_code == 400
    body = refused.content.decode()
    assert '<div class="text-danger small" data-error-for="reason">请说明谢绝的原因。</div>' in body
    assert Claim.objects.get().status == ClaimStatus.PROPOSED
    assert client.post(url, {"reason": "场地维修"}).status_code == 302
    client.force_login(world.users["community"])
    page = client.get(reverse("cobuild:matches")).content.decode()
    assert "单位已谢绝" in page and "场地维修" in page
    need_page = client.get(reverse("cobuild:need", args=[proposal.need_id])).content.decode()
    assert "谢绝原因:场地维修" in need_page


def test_the_liaison_confirms_on_the_page(client, world, proposal):
    client.force_login(world.users["unit"])
    needs = client.get(reverse("cobuild:needs")).content.decode()
    assert 'id="proposals-waiting"' in needs  # the needs page points to it too
    response = client.post(reverse("cobuild:proposal_act", args=[proposal.pk, "confirm"]))
    assert response.status_code == 302
    assert Claim.objects.get().status == ClaimStatus.APPROVED
    again = client.post(reverse("cobuild:proposal_act", args=[proposal.pk, "confirm"]))
    assert again.status_code == 400
    assert "该认领已处理过。" in again.content.decode()


# Rejecting a claim: the reason is asked for, and the unit reads it ---------------------------


def test_rejecting_a_claim_asks_why_and_tells_the_unit(client, world, need):
    claim = services.claim_create(
        actor=world.users["unit"], need=need, unit=world.objs["unit_a"], quantity=2, note="周六"
    )
    client.force_login(world.users["community"])
    page = client.get(reverse("cobuild:need", args=[need.pk])).content.decode()
    assert "社区已另行安排" not in page and 'name="reason"' in page
    url = reverse("cobuild:claim_act", args=[claim.pk, "reject"])
    refused = client.post(url, {"reason": ""})
    assert refused.status_code == 400
    assert 'data-error-for="reason">请说明不通过的原因。' in refused.content.decode()
    assert client.post(url, {"reason": "时间与活动冲突"}).status_code == 302
    claim.refresh_from_db()
    assert (claim.status, claim.reason, claim.note) == ("rejected", "时间与活动冲突", "周六")
    ((verb, text),) = _inbox(world.users["unit"])
    assert verb == "claim_rejected" and "时间与活动冲突" in text
    client.force_login(world.users["unit"])
    unit_page = client.get(reverse("cobuild:need", args=[need.pk])).content.decode()
    assert "不通过的原因:时间与活动冲突" in unit_page
    # Also on the unit's page of matches, where it stays when the need is no longer open.
    need.status = "closed"
    need.save()
    matches = client.get(reverse("cobuild:matches")).content.decode()
    assert 'id="rejected"' in matches and "不通过的原因:时间与活动冲突" in matches


def test_delivery_counts_say_what_they_count(client, world, need):
    claim = services.claim_create(
        actor=world.users["unit"], need=need, unit=world.objs["unit_a"], quantity=5
    )
    services.claim_approve(actor=world.users["community"], claim=claim)
    services.claim_deliver(actor=world.users["unit"], claim=claim, amount=4, beneficiaries=15)
    client.force_login(world.users["community"])
    page = client.get(reverse("cobuild:need", args=[need.pk])).content.decode()
    assert "已交付 4 志愿小时,认领 5 志愿小时" in page and "服务 15 人次" in page
    assert "已认领 5 志愿小时,共需 10 志愿小时" in page
    unit = client.get(reverse("cobuild:unit", args=[world.objs["unit_a"].pk])).content.decode()
    assert "已交付 4 志愿小时" in unit and "4 / 15" not in unit
