"""Roll-ups up the party tree equal direct counts in the database (a property test over
random attendance): each organisation's rolled-up figures are what a direct query over its
subtree's members, sessions and entries answers."""

from datetime import timedelta

from django.db.models import Sum
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from genxi.core.testing.world import build_world
from genxi.orgs.models import PartyMember
from genxi.partylife import selectors, services
from genxi.partylife.models import Attendance, StudyEntry, TrainingSession

from .helpers import at, tree

STATUSES = st.sampled_from(["present", "absent", "leave"])


class RollupsEqualDirectCounts(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = build_world()
        cls.t = tree(cls.world)

    @settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(
        sizes=st.lists(st.integers(0, 3), min_size=4, max_size=4),
        marks=st.lists(STATUSES, min_size=12, max_size=12),
        minutes=st.integers(30, 180),
        self_study=st.integers(0, 120),
    )
    def test_each_org_rolls_up_its_subtree(self, sizes, marks, minutes, self_study):
        w, t = self.world, self.t
        street = w.users["street"]
        orgs = [t["branch"], t["a1"], t["a2"], t["street"]]
        marks_iter = iter(marks)
        for org, size in zip(orgs, sizes, strict=True):
            ms = [
                services.member_create(actor=street, org=org, name=f"党员{i}") for i in range(size)
            ]
            if not ms:
                continue
            plan = services.plan_create(actor=street, org=org, year=2026, title="冬训")
            session = services.session_create(
                actor=street,
                plan=plan,
                topic="学习",
                kind="study",
                starts_at=at(-1),
                minutes=minutes,
            )
            services.attendance_record(
                actor=street, session=session, marks={m.pk: next(marks_iter) for m in ms}
            )
            if self_study:
                services.study_entry_create(
                    actor=street,
                    member=ms[0],
                    day=timezone.localdate() - timedelta(days=1),
                    minutes=self_study,
                    note="自学",
                )
        rows = {o.pk: f for o, f, _ in selectors.rollups(street)}
        for org in [*orgs, t["regional"]]:
            subtree = [o.pk for o in type(org).objects.all() if _under(o, org)]
            got = rows[org.pk]
            assert got.members == PartyMember.objects.filter(org_id__in=subtree).count()
            held = TrainingSession.objects.filter(plan__org_id__in=subtree, held_at__isnull=False)
            assert got.sessions_held == held.count()
            attended = Attendance.objects.filter(session__plan__org_id__in=subtree)
            assert got.recorded == attended.count()
            assert got.present == attended.filter(status="present").count()
            direct_minutes = (
                attended.filter(status="present").aggregate(m=Sum("session__minutes"))["m"] or 0
            ) + (
                StudyEntry.objects.filter(member__org_id__in=subtree).aggregate(m=Sum("minutes"))[
                    "m"
                ]
                or 0
            )
            assert got.study_minutes == direct_minutes


def _under(org, top) -> bool:
    cursor = org
    while cursor is not None:
        if cursor.pk == top.pk:
            return True
        cursor = cursor.parent
    return False
