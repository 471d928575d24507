"""Co-building writes are whole or nothing, and decide on the locked row, not on the copy
the caller read earlier: a refused match accept leaves no claim and no audit event; the
agenda, invitations and minutes of a meeting that was cancelled meanwhile are refused; two
people adding agenda items at once get consecutive numbers (PostgreSQL races)."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from genxi.cobuild import services
from genxi.cobuild.models import (
    ActionKind,
    AgendaItem,
    Claim,
    ClaimStatus,
    Invitee,
    Meeting,
    Need,
    Project,
    Resource,
)
from genxi.core.models import AuditEvent
from genxi.core.testing.race import needs_postgres, race


def _need(world, quantity=10):
    return services.need_create(
        actor=world.users["community"],
        community=world.a1,
        title="周末助老志愿服务",
        kind="volunteers",
        quantity=quantity,
        unit_label="志愿小时",
    )


def _resource(world):
    return Resource.objects.create(
        unit=world.objs["unit_a"],
        kind="volunteers",
        description="助老志愿者服务队",
        capacity=20,
        unit_label="次",
    )


def _meeting(world, **kw):
    return services.meeting_create(
        actor=world.users["street"],
        host=world.a1,
        title="共建联席会",
        starts_at=kw.pop("starts_at", timezone.now() + timedelta(days=3)),
        place="社区会议室",
        agenda=["听取居民意见"],
        **kw,
    )


# Match accept -------------------------------------------------------------------------


@pytest.mark.parametrize("quantity", [11, 0])
def test_a_refused_accept_leaves_no_claim_and_no_event(world, quantity):
    need, resource = _need(world, quantity=10), _resource(world)
    with pytest.raises(ValidationError) as exc:
        services.match_accept(
            actor=world.users["street"], need=need, resource=resource, quantity=quantity
        )
    assert "quantity" in exc.value.message_dict
    assert not Claim.objects.exists()
    assert not AuditEvent.objects.filter(verb__in=["match.accept", "claim.approve"]).exists()
    need.refresh_from_db()
    assert need.filled == 0


def test_an_accept_is_one_proposal_and_a_confirm_one_approval(world):
    need, resource = _need(world, quantity=10), _resource(world)
    claim = services.match_accept(
        actor=world.users["street"], need=need, resource=resource, quantity=6
    )
    assert Claim.objects.get().pk == claim.pk and claim.status == ClaimStatus.PROPOSED
    need.refresh_from_db()
    assert need.filled == 0  # nothing is counted until the unit agrees
    claim = services.proposal_confirm(actor=world.users["unit"], claim=claim)
    need.refresh_from_db()
    assert claim.status == ClaimStatus.APPROVED and need.filled == 6
    for verb in ("match.accept", "match.confirm"):
        assert AuditEvent.objects.filter(verb=verb, target_id=str(claim.pk)).count() == 1


def test_a_confirm_past_the_need_s_room_approves_nothing(world):
    need, resource = _need(world, quantity=10), _resource(world)
    claim = services.match_accept(
        actor=world.users["street"], need=need, resource=resource, quantity=6
    )
    Need.objects.filter(pk=need.pk).update(filled=8)  # others' claims approved meanwhile
    with pytest.raises(ValidationError) as exc:
        services.proposal_confirm(actor=world.users["unit"], claim=claim)
    assert "quantity" in exc.value.message_dict
    claim.refresh_from_db()
    assert claim.status == ClaimStatus.PROPOSED
    assert not AuditEvent.objects.filter(verb="match.confirm").exists()


@pytest.mark.django_db(transaction=True)
def test_accepts_side_by_side_make_one_proposal(world):
    needs_postgres()
    need, resource = _need(world, quantity=10), _resource(world)
    accept = lambda: services.match_accept(  # noqa: E731
        actor=world.users["street"], need=need, resource=resource, quantity=4
    )
    outcome = race([accept] * 5)
    assert not outcome.errors, outcome.errors
    assert len(outcome.done) == 1 and len(outcome.refused) == 4
    assert list(Claim.objects.values_list("status", flat=True)) == [ClaimStatus.PROPOSED]
    assert AuditEvent.objects.filter(verb="match.accept").count() == 1


# Meetings: decided on the locked row ---------------------------------------------------


def _cancelled_behind_the_callers_back(world):
    stale = _meeting(world, units=[])
    services.meeting_cancel(
        actor=world.users["street"], meeting=Meeting.objects.get(pk=stale.pk), reason="改期"
    )
    return stale  # still says "scheduled"


def test_no_agenda_item_for_a_meeting_cancelled_meanwhile(world):
    stale = _cancelled_behind_the_callers_back(world)
    with pytest.raises(ValidationError) as exc:
        services.agenda_add(actor=world.users["street"], meeting=stale, title="加一个议题")
    assert "status" in exc.value.message_dict
    assert not AgendaItem.objects.filter(title="加一个议题").exists()


def test_no_invitation_to_a_meeting_cancelled_meanwhile(world):
    stale = _cancelled_behind_the_callers_back(world)
    with pytest.raises(ValidationError) as exc:
        services.meeting_invite(
            actor=world.users["street"], meeting=stale, unit=world.objs["unit_a"]
        )
    assert "status" in exc.value.message_dict
    assert not Invitee.objects.filter(meeting=stale).exists()


def test_no_minutes_for_a_meeting_cancelled_meanwhile(world):
    stale = _cancelled_behind_the_callers_back(world)
    stale.starts_at = timezone.now() - timedelta(hours=1)
    Meeting.objects.filter(pk=stale.pk).update(starts_at=stale.starts_at)
    with pytest.raises(ValidationError) as exc:
        services.meeting_record(actor=world.users["street"], meeting=stale, minutes="会议纪要")
    assert "status" in exc.value.message_dict
    assert Meeting.objects.get(pk=stale.pk).status == "cancelled"


def test_no_opinion_nor_resolution_for_a_meeting_cancelled_meanwhile(world):
    stale = _cancelled_behind_the_callers_back(world)
    with pytest.raises(ValidationError) as exc:
        services.opinion_add(actor=world.users["street"], meeting=stale, note="希望增设充电桩")
    assert "status" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.resolution_add(
            actor=world.users["street"],
            meeting=stale,
            text="建设口袋公园",
            kind=ActionKind.PROJECT,
            owner=world.users["community"],
            deadline=timezone.localdate() + timedelta(days=30),
            community=world.a1,
            budget=80000,
        )
    assert "status" in exc.value.message_dict
    assert not stale.opinions.exists() and not stale.resolutions.exists()
    assert not Project.objects.exists()


def test_an_agenda_position_is_taken_once(world):
    meeting = _meeting(world)
    with pytest.raises(IntegrityError), transaction.atomic():
        AgendaItem.objects.create(meeting=meeting, position=1, title="重号议题")


@pytest.mark.django_db(transaction=True)
def test_agenda_items_added_side_by_side_are_numbered_in_turn(world):
    needs_postgres()
    meeting = _meeting(world)  # opens with one item
    calls = [
        lambda n=n: services.agenda_add(
            actor=world.users["street"], meeting=meeting, title=f"议题{n}"
        )
        for n in range(6)
    ]
    outcome = race(calls)
    assert not outcome.errors, outcome.errors
    assert not outcome.refused
    positions = sorted(meeting.agenda.values_list("position", flat=True))
    assert positions == list(range(1, 8))


@pytest.mark.django_db(transaction=True)
def test_invitations_side_by_side_invite_once(world):
    needs_postgres()
    meeting = _meeting(world)
    invite = lambda: services.meeting_invite(  # noqa: E731
        actor=world.users["street"], meeting=meeting, unit=world.objs["unit_a"]
    )
    outcome = race([invite] * 4)
    assert not outcome.errors, outcome.errors
    assert len({i.pk for i in outcome.done}) == 1
    assert Invitee.objects.filter(meeting=meeting).count() == 1
    assert AuditEvent.objects.filter(verb="meeting.invite").count() == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("write", ["invite", "agenda", "opinion"])
def test_a_write_waits_for_a_cancellation_in_flight_and_is_refused(world, write):
    """A cancellation is being committed while someone invites, adds an agenda item or an
    opinion, from the page they opened before: the write waits on the meeting's lock and
    then sees the meeting cancelled."""
    import threading
    import time

    from django.db import connection

    needs_postgres()
    meeting = _meeting(world)
    street = world.users["street"]
    cancelling = threading.Event()

    def cancel():
        try:
            with transaction.atomic():
                services.meeting_cancel(actor=street, meeting=meeting, reason="台风改期")
                cancelling.set()
                time.sleep(0.5)  # still uncommitted while the other write arrives
        finally:
            connection.close()

    writes = {
        "invite": lambda: services.meeting_invite(
            actor=street, meeting=meeting, unit=world.objs["unit_a"]
        ),
        "agenda": lambda: services.agenda_add(actor=street, meeting=meeting, title="再加一项"),
        "opinion": lambda: services.opinion_add(actor=street, meeting=meeting, note="充电桩"),
    }
    thread = threading.Thread(target=cancel)
    thread.start()
    try:
        assert cancelling.wait(10)
        with pytest.raises(ValidationError) as exc:
            writes[write]()
    finally:
        thread.join()
    assert "status" in exc.value.message_dict
    assert not Invitee.objects.filter(meeting=meeting).exists()
    assert not meeting.opinions.exists() and meeting.agenda.count() == 1
