"""Query ceilings of party members' life: the roll-up list (organisations), an
organisation's page (members, reflections), a plan (sessions) and a session's attendance
checklist (members). Each answers with the same number of queries for 3 rows and for 9."""

from itertools import count

import pytest
from django.urls import reverse

from genxi.core.testing.queries import Listing, listing_id
from genxi.orgs.models import PartyLevel, PartyOrg
from genxi.partylife import services

from .helpers import at, plan_with_session, tree


def rollups(world):
    t = tree(world)
    seq = count(1)

    def rows(k):
        names = []
        for _ in range(k):
            n = next(seq)
            org = PartyOrg.objects.create(
                level=PartyLevel.GRID_BRANCH,
                name=f"第{n}党支部",
                region=world.grid_a1,
                parent=t["a1"],
            )
            services.member_create(actor=world.users["street"], org=org, name=f"党员{n}")
            names.append(f"第{n}党支部")
        return names

    return reverse("partylife:home"), rows


def org_page(world):
    t = tree(world)
    seq = count(1)
    pioneer_seq = count(1)

    def rows(k):
        names = []
        for _ in range(k):
            n = next(seq)
            pioneer = world.pioneer(world.grid_a1, f"P-PL{next(pioneer_seq)}", f"先锋{n}")
            member = services.member_create(
                actor=world.users["street"], org=t["a1"], name="", pioneer=pioneer
            )
            services.reflection_create(actor=world.users["street"], member=member, text=f"感悟{n}")
            names += [f"先锋{n}", f"感悟{n}"]
        return names

    return reverse("partylife:org", args=[t["a1"].pk]), rows


def plan_page(world):
    t = tree(world)
    plan, _ = plan_with_session(world, t["a1"])
    seq = count(1)

    def rows(k):
        names = []
        for _ in range(k):
            n = next(seq)
            services.session_create(
                actor=world.users["street"],
                plan=plan,
                topic=f"课程{n}",
                kind="study",
                starts_at=at(n),
                minutes=60,
            )
            names.append(f"课程{n}")
        return names

    return reverse("partylife:plan", args=[plan.pk]), rows


def session_page(world):
    t = tree(world)
    _plan, session = plan_with_session(world, t["a1"])
    seq = count(1)

    def rows(k):
        names = []
        for _ in range(k):
            n = next(seq)
            member = services.member_create(
                actor=world.users["street"], org=t["a1"], name=f"党员{n}"
            )
            services.reflection_create(
                actor=world.users["street"], member=member, text=f"感悟{n}", session=session
            )
            names += [f"党员{n}", f"感悟{n}"]
        return names

    return reverse("partylife:session", args=[session.pk]), rows


LISTINGS = [
    Listing("partylife-rollups", "community", 16, rollups),
    Listing("partylife-org-members-reflections", "community", 26, org_page),
    Listing("partylife-plan-sessions", "community", 11, plan_page),
    Listing("partylife-session-attendance-reflections", "community", 18, session_page),
]


@pytest.mark.parametrize("listing", LISTINGS, ids=listing_id)
def test_query_count_is_flat_and_bounded(client, world, listing):
    listing.check(client, world)
