"""Service projects: one Project with tiers; micro-projects from proposal to summary
(the state machine, checked with hypothesis), spending, milestones, progress."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from hypothesis import given
from hypothesis import strategies as st

from genxi.cobuild import services
from genxi.cobuild.domain import projects as steps
from genxi.cobuild.models import Project, ProjectStatus, Tier
from genxi.core.models import AuditEvent, Notification


@given(st.lists(st.sampled_from(sorted(steps.STEPS)), max_size=12), st.booleans())
def test_any_walk_stays_in_the_machine(actions, with_reasons):
    """Whatever is tried, a project is always in a known state; a final state stays
    final; a refused step names what was missing or says the state does not allow it."""
    state = steps.first_state(steps.MICRO, proposed=True)
    for action in actions:
        kw = {"budget": 500, "reason": "x", "summary": "y"} if with_reasons else {}
        try:
            new = steps.check(state, action, **kw)
        except steps.StepError as exc:
            assert exc.field in ("status", "budget", "reason", "summary")
            assert action not in steps.available(state) or not with_reasons
            continue
        assert action in steps.available(state)
        assert state not in steps.FINAL
        if state == steps.PROPOSED:
            assert new in (steps.PLANNING, steps.DECLINED)
        state = new
    assert state in steps.STATES


def test_decline_and_approve_need_their_fields():
    with pytest.raises(steps.StepError) as exc:
        steps.check(steps.PROPOSED, "decline", reason="  ")
    assert exc.value.field == "reason"
    with pytest.raises(steps.StepError) as exc:
        steps.check(steps.PROPOSED, "approve")
    assert exc.value.field == "budget"
    with pytest.raises(steps.StepError) as exc:
        steps.check(steps.ACTIVE, "finish")
    assert exc.value.field == "summary"
    assert steps.first_state(steps.STREET, proposed=True) == steps.PLANNING


def _street_project(world):
    return services.project_create(
        actor=world.users["street"],
        community=world.street_a,
        tier=Tier.STREET,
        title="海棠连心千家万户",
        goal="为民服务",
        budget=100000,
    )


def test_tiers_and_parents(world):
    street = _street_project(world)
    sub = services.project_create(
        actor=world.users["community"],
        community=world.a1,
        tier=Tier.COMMUNITY,
        parent=street,
        title="彩香一村助老",
        goal="助老",
    )
    assert (sub.parent, sub.status) == (street, ProjectStatus.PLANNING)
    with pytest.raises(ValidationError) as exc:  # a street project has no parent
        services.project_create(
            actor=world.users["street"],
            community=world.street_a,
            tier=Tier.STREET,
            parent=street,
            title="x",
            goal="y",
        )
    assert "parent" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:  # a street project is led by a street
        services.project_create(
            actor=world.users["street"], community=world.a1, tier=Tier.STREET, title="x", goal="y"
        )
    assert "community" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:  # the parent lies over the community
        services.project_create(
            actor=world.users["outsider"],
            community=world.b1,
            tier=Tier.COMMUNITY,
            parent=street,
            title="x",
            goal="y",
        )
    assert "parent" in exc.value.message_dict
    with pytest.raises(PermissionDenied):  # a community worker does not run the street's
        services.project_create(
            actor=world.users["community"],
            community=world.street_a,
            tier=Tier.STREET,
            title="x",
            goal="y",
        )


def test_micro_project_from_resident_to_summary(world):
    project = services.micro_propose(
        actor=None,
        community=world.a1,
        title="楼道扶手",
        goal="给老人装楼道扶手",
        proposer_name="王阿姨",
        proposer_phone="13912345678",
    )
    assert (project.tier, project.status) == (Tier.MICRO, ProjectStatus.PROPOSED)
    with connection.cursor() as cursor:
        cursor.execute("SELECT proposer_phone FROM cobuild_project")
        (stored,) = cursor.fetchone()
    assert "13912345678" not in stored  # encrypted at rest
    assert "13912345678" not in str(list(AuditEvent.objects.values_list("after", flat=True)))
    assert project.masked("proposer_phone") != "13912345678"
    assert Notification.objects.filter(user=world.users["community"]).exists()
    with pytest.raises(ValidationError) as exc:
        services.project_step(actor=world.users["community"], project=project, action="decline")
    assert exc.value.message_dict.keys() == {"reason"}
    project = services.project_step(
        actor=world.users["community"], project=project, action="approve", budget=3000
    )
    assert (project.status, project.budget) == (ProjectStatus.PLANNING, 3000)
    m1 = services.milestone_add(
        actor=world.users["community"], project=project, title="采购", due=date(2026, 3, 1)
    )
    services.milestone_add(
        actor=world.users["community"], project=project, title="安装", due=date(2026, 4, 1)
    )
    services.spending_add(
        actor=world.users["community"],
        project=project,
        day=date(2026, 3, 2),
        item="扶手",
        amount=1200,
    )
    services.project_step(actor=world.users["community"], project=project, action="start")
    services.milestone_done(actor=world.users["community"], milestone=m1, day=date(2026, 3, 2))
    project.refresh_from_db()
    assert project.progress == 50
    with pytest.raises(ValidationError):
        services.project_step(actor=world.users["community"], project=project, action="finish")
    project = services.project_step(
        actor=world.users["community"], project=project, action="finish", summary="装好 12 处"
    )
    assert (project.status, project.progress, project.summary) == (
        ProjectStatus.DONE,
        100,
        "装好 12 处",
    )
    verbs = set(AuditEvent.objects.values_list("verb", flat=True))
    assert {"project.propose", "project.approve", "project.finish", "project.spend"} <= verbs


def test_pioneer_proposes_and_is_told_of_decline(world):
    project = services.micro_propose(
        actor=world.users["grid"], community=world.a1, title="共享雨伞", goal="雨天借伞"
    )
    assert project.proposed_by == world.users["grid"]
    services.project_step(
        actor=world.users["community"], project=project, action="decline", reason="已有同类服务"
    )
    project.refresh_from_db()
    assert (project.status, project.decline_reason) == (ProjectStatus.DECLINED, "已有同类服务")
    assert Notification.objects.filter(user=world.users["grid"]).exists()
    with pytest.raises(PermissionDenied):
        services.micro_propose(actor=world.users["grid"], community=world.a2, title="x", goal="y")
    with pytest.raises(PermissionDenied):  # a grid worker does not decide
        services.project_step(
            actor=world.users["grid"], project=project, action="approve", budget=1
        )


def test_public_proposal_needs_name_and_phone(world):
    with pytest.raises(ValidationError) as exc:
        services.micro_propose(
            actor=None, community=world.a1, title="x", goal="y", proposer_phone="123"
        )
    assert exc.value.message_dict.keys() == {"proposer_name", "proposer_phone"}
    assert not Project.objects.exists()


def test_status_form_keeps_to_running_states(world):
    project = services.micro_propose(
        actor=world.users["grid"], community=world.a1, title="共享雨伞", goal="雨天借伞"
    )
    with pytest.raises(ValidationError):
        services.project_set_status(actor=world.users["community"], project=project, status="done")
