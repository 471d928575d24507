"""Query ceilings of cadre development: the office's lists (cadres, programmes, rounds), a
cadre's record (posts, training, postings, commendations, results), a programme's page
(courses with their attendance) and a round's sheet and ranking. Each answers with the
same number of queries for 3 rows and for 9 (no N+1)."""

from datetime import date
from decimal import Decimal
from itertools import count

import pytest
from django.urls import reverse

from genxi.cadres import services
from genxi.core.testing.queries import Listing, listing_id

from .helpers import cadre, full_scores, office


def _office(world):
    if "orgoffice" not in world.users:
        world.users["orgoffice"] = office(world)
    return world.users["orgoffice"]


def cadres_page(world):
    org, seq = _office(world), count(1)

    def rows(k):
        names = [f"干部{next(seq)}号" for _ in range(k)]
        for name in names:
            c = cadre(org, world.a1, name=name)
            p = services.programme_create(
                actor=org, street=world.street_a, title="班", organiser="",
                starts=date(2026, 3, 1), ends=date(2026, 3, 2),
            )  # fmt: skip
            course = services.course_add(
                actor=org, programme=p, title="课", day=date(2026, 3, 1), hours=Decimal(2)
            )
            services.attendance_set(actor=org, course=course, cadres=[c])
        return names

    return reverse("cadres:cadres"), rows


def programmes_page(world):
    org, seq = _office(world), count(1)

    def rows(k):
        titles = [f"培训班{next(seq)}期" for _ in range(k)]
        for title in titles:
            p = services.programme_create(
                actor=org, street=world.street_a, title=title, organiser="",
                starts=date(2026, 3, 1), ends=date(2026, 3, 9),
            )  # fmt: skip
            services.course_add(
                actor=org, programme=p, title="课", day=date(2026, 3, 1), hours=Decimal(2)
            )
        return titles

    return reverse("cadres:programmes"), rows


def rounds_page(world):
    org, seq = _office(world), count(1)
    c = cadre(org, world.a1)

    def rows(k):
        titles = [f"考核{next(seq)}轮" for _ in range(k)]
        for title in titles:
            services.round_plan(
                actor=org, street=world.street_a, title=title, period="2026年", cadres=[c]
            )
        return titles

    return reverse("cadres:rounds"), rows


def record_page(world):
    org, seq = _office(world), count(1)
    c = cadre(org, world.a1, user=world.users["grid"])
    p = services.programme_create(
        actor=org, street=world.street_a, title="班", organiser="",
        starts=date(2026, 3, 1), ends=date(2026, 3, 31),
    )  # fmt: skip

    def rows(k):
        labels = []
        for _ in range(k):
            n = next(seq)
            course = services.course_add(
                actor=org, programme=p, title=f"课程{n}", day=date(2026, 3, n % 28 + 1),
                hours=Decimal(1),
            )  # fmt: skip
            services.attendance_set(actor=org, course=course, cadres=[c])
            services.posting_add(
                actor=org, cadre=c, kind="grid", place=world.grid_a1b, starts=date(2025, 1, n),
                role=f"指导员{n}",
            )  # fmt: skip
            services.commendation_add(
                actor=org, cadre=c, title=f"表彰{n}", level="street", awarded_on=date(2025, 1, n)
            )
            labels += [f"课程{n}", f"指导员{n}", f"表彰{n}"]
        return labels

    return reverse("cadres:cadre", args=[c.pk]), rows


def programme_page(world):
    org, seq = _office(world), count(1)
    p = services.programme_create(
        actor=org, street=world.street_a, title="班", organiser="",
        starts=date(2026, 3, 1), ends=date(2026, 3, 31),
    )  # fmt: skip
    people = [cadre(org, world.a1, name=f"学员{i}") for i in range(3)]

    def rows(k):
        titles = []
        for _ in range(k):
            n = next(seq)
            course = services.course_add(
                actor=org, programme=p, title=f"课程{n}", day=date(2026, 3, n % 28 + 1),
                hours=Decimal(1),
            )  # fmt: skip
            services.attendance_set(actor=org, course=course, cadres=people)
            titles.append(f"课程{n}")
        return titles

    return reverse("cadres:programme", args=[p.pk]), rows


def _round(world, close):
    org, seq = _office(world), count(1)
    r = services.round_plan(
        actor=org, street=world.street_a, title="考核", period="2026年",
        cadres=[cadre(org, world.a1, name="首位")],
    )  # fmt: skip
    r = services.round_open(actor=org, round_=r)
    scheme = services.round_scheme(r)

    def rows(k):
        names = [f"参评{next(seq)}号" for _ in range(k)]
        for name in names:
            c = cadre(org, world.a2, name=name)
            r.cadres.add(c)
            services.scores_enter(
                actor=org, round_=r, cadre=c, values=full_scores(scheme, lambda s, d: 80)
            )
        if close:  # a fresh closed round with everyone so far
            closed = services.round_plan(
                actor=org, street=world.street_a, title="考核", period="2026年",
                cadres=list(r.cadres.all()),
            )  # fmt: skip
            closed = services.round_open(actor=org, round_=closed)
            for c in r.cadres.all():
                services.scores_enter(
                    actor=org, round_=closed, cadre=c, values=full_scores(scheme, lambda s, d: 70)
                )
            services.round_close(actor=org, round_=closed)
            state["url"] = reverse("cadres:round", args=[closed.pk])
        return names

    state = {"url": reverse("cadres:round", args=[r.pk])}
    return state, rows


def round_sheet(world):
    state, rows = _round(world, close=False)
    return state["url"], rows


LISTINGS = [
    Listing("cadres-page", "orgoffice", 12, cadres_page),
    Listing("programmes-page", "orgoffice", 11, programmes_page),
    Listing("rounds-page", "orgoffice", 11, rounds_page),
    Listing("cadre-record", "orgoffice", 25, record_page),
    Listing("programme-courses-attendance", "orgoffice", 14, programme_page),
    Listing("round-sheet", "orgoffice", 14, round_sheet),
]


@pytest.mark.parametrize("listing", LISTINGS, ids=listing_id)
def test_query_count_is_flat_and_bounded(client, world, listing):
    listing.check(client, world)
