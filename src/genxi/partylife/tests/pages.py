"""The readable routes of party members' life (core/testing/page_matrix.py): the roll-up
list, an organisation's page, a plan, a session and a contact day. Members are personal
data: only the roles that see residents read them (street admin and community worker over
a community's 大党委; a grid worker only a branch on its grid)."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from genxi.core.testing.page_matrix import Page
from genxi.orgs.models import PartyLevel, PartyOrg
from genxi.partylife import services

LIST_READERS = ("street", "community", "grid", "outsider")
READERS = ("street", "community")
POST_ONLY = {"*": 405}


def seed(side):
    """A community 大党委 with two members, its plan with a practice class held (attendance
    recorded), a reflection, and a contact day with a note, on the side's community."""
    staff = side.staff
    org = PartyOrg.objects.create(
        level=PartyLevel.COMMUNITY_COMMITTEE, name=f"{side.tag}大党委", region=side.community
    )
    members = [
        services.member_create(
            actor=staff, org=org, name=f"{side.tag}党员{i}", phone=f"1360000{i:04d}"
        )
        for i in range(2)
    ]
    plan = services.plan_create(actor=staff, org=org, year=2026, title=f"{side.tag}冬训计划")
    session = services.session_create(
        actor=staff,
        plan=plan,
        topic=f"{side.tag}实践课堂",
        kind="practice",
        starts_at=timezone.now() - timedelta(days=1),
        minutes=90,
        place=f"{side.tag}党群服务中心",
    )
    services.attendance_record(
        actor=staff, session=session, marks={members[0].pk: "present", members[1].pk: "leave"}
    )
    services.reflection_create(actor=staff, member=members[0], text=f"{side.tag}学习感悟")
    day = services.contact_day_create(
        actor=staff, org=org, community=side.community, member=members[0], day=timezone.localdate()
    )
    services.contact_note_create(actor=staff, day=day, text=f"{side.tag}居民反映路灯不亮")
    return {
        "party_org": org,
        "training_plan": plan,
        "training_session": session,
        "contact_day": day,
    }


PAGES = {
    "partylife:home": Page(lambda s: reverse("partylife:home"), LIST_READERS),
    "partylife:org": Page(lambda s: reverse("partylife:org", args=[s.party_org.pk]), READERS),
    "partylife:plan": Page(lambda s: reverse("partylife:plan", args=[s.training_plan.pk]), READERS),
    "partylife:session": Page(
        lambda s: reverse("partylife:session", args=[s.training_session.pk]), READERS
    ),
    "partylife:contact_day": Page(
        lambda s: reverse("partylife:contact_day", args=[s.contact_day.pk]), READERS
    ),
    "partylife:plan_new": Page(
        lambda s: reverse("partylife:plan_new", args=[s.party_org.pk]), answers=POST_ONLY
    ),
    "partylife:study_new": Page(
        lambda s: reverse("partylife:study_new", args=[s.party_org.pk]), answers=POST_ONLY
    ),
    "partylife:contact_day_new": Page(
        lambda s: reverse("partylife:contact_day_new", args=[s.party_org.pk]), answers=POST_ONLY
    ),
    "partylife:session_new": Page(
        lambda s: reverse("partylife:session_new", args=[s.training_plan.pk]), answers=POST_ONLY
    ),
    "partylife:attendance": Page(
        lambda s: reverse("partylife:attendance", args=[s.training_session.pk]), answers=POST_ONLY
    ),
    "partylife:practice": Page(
        lambda s: reverse("partylife:practice", args=[s.training_session.pk]), answers=POST_ONLY
    ),
    "partylife:books": Page(
        lambda s: reverse("partylife:books", args=[s.training_session.pk]), answers=POST_ONLY
    ),
    "partylife:reflection_new": Page(
        lambda s: reverse("partylife:reflection_new", args=[s.training_session.pk]),
        answers=POST_ONLY,
    ),
    "partylife:reflection_act": Page(
        lambda s: reverse("partylife:reflection_act", args=[s.training_session.pk]),
        answers=POST_ONLY,
    ),
    "partylife:contact_note": Page(
        lambda s: reverse("partylife:contact_note", args=[s.contact_day.pk]), answers=POST_ONLY
    ),
}
