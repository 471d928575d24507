"""Query ceilings of the request loop: the queues, my tasks, the case page with its history,
merged and nearby cases, the duplicates panel, metrics, the cases API, the Open311 feed, the
public tracking page and the public map's grids. Each answers with the same number of
queries for 3 rows and for 9 (no N+1)."""

from itertools import count, cycle

import pytest
from django.urls import reverse

from genxi.cases import services
from genxi.cases.models import Case, CaseEvent, CaseState, CaseSuggestion, Category
from genxi.core.testing.queries import Listing, listing_id, more_grids

LAT, LON = 31.321, 120.591  # inside grid_a1
TEXT = "彩香新村5幢楼道里堆满了杂物"


def _new_case(world, text=TEXT, **kw):
    kw.setdefault("region", world.grid_a1)
    return services.case_create(actor=None, channel="phone", text=text, **kw)


def _cases(world, **update):
    """Cases in grid_a1 (with `update` applied, e.g. dispatched to a handler)."""
    seq = count(1)

    def rows(k):
        codes = []
        for _ in range(k):
            case = _new_case(world, text=f"第{next(seq)}件:{TEXT}", lat=LAT, lon=LON)
            if update:
                Case.objects.filter(pk=case.pk).update(**update)
            codes.append(case.code)
        return codes

    return rows


def _history(case, world):
    """More steps in a case's history, each by a named staff member."""
    seq = count(case.events.count() + 1)

    def add(k):
        CaseEvent.objects.bulk_create(
            CaseEvent(
                case=case,
                seq=next(seq),
                action="note",
                from_state=case.state,
                to_state=case.state,
                actor=world.users["community"],
                actor_label="社区甲",
                note="再次电话联系反映人",
            )
            for _ in range(k)
        )

    return add


def queue_page(world):
    return reverse("cases:queue"), _cases(world)


def queue_filtered(world):
    """A queue with a filter."""
    return reverse("cases:queue") + "?queue=dispatch&q=杂物", _cases(world)


def my_queue(world):
    handler = {"handler": world.users["grid"], "state": CaseState.DISPATCHED}
    return reverse("cases:queue") + "?queue=mine", _cases(world, **handler)


def tasks_page(world):
    handler = {"handler": world.users["grid"], "state": CaseState.DISPATCHED}
    return reverse("cases:tasks"), _cases(world, **handler)


def cases_api(world):
    return "/api/v1/cases", _cases(world)


def case_page(world):
    """A submitted case (the dispatcher may merge it): its history grows, more cases are
    merged into it, and more similar open cases nearby are offered to merge with."""
    case = _new_case(world, lat=LAT, lon=LON)
    more_history = _history(case, world)
    nearby = _cases(world)
    merged = _cases(world, master=case, state=CaseState.MERGED)

    def rows(k):
        more_history(k)
        nearby(k)  # the page offers the five most similar
        return merged(k)

    return reverse("cases:detail", args=[case.code]), rows


def case_api(world):
    case = _new_case(world)
    more_history = _history(case, world)
    return f"/api/v1/cases/{case.code}", lambda k: more_history(k) or []


def duplicates_panel(world):
    url = reverse("cases:duplicates") + f"?lat={LAT}&lon={LON}&text={TEXT}"
    more = _cases(world)
    return url, lambda k: more(k)[:0]  # the panel shows the five most similar


def metrics_page(world):
    """Cases counted (not listed), each with a recorded suggestion: the 类别建议准确率 rows
    grow with the categories chosen (names come from the memoised category table)."""
    more = _cases(world)
    codes = cycle(["ENV.02", "FAC.02", "PROP.01", "SAFE", "TRAF"])

    def rows(k):
        for code in more(k):
            CaseSuggestion.objects.create(
                case=Case.objects.get(code=code),
                suggested="ENV",
                chosen=Category.objects.get(code=next(codes)),
            )
        return []

    return reverse("cases:metrics"), rows


def open311_feed(world):
    """The public GeoReport feed: each request with its history (for the updated time)."""
    seq = count(1)

    def rows(k):
        codes = []
        for _ in range(k):
            case = _new_case(world, text=f"第{next(seq)}件:{TEXT}")
            _history(case, world)(2)
            codes.append(case.code)
        return codes

    return reverse("open311:requests", kwargs={"fmt": "json"}), rows


def track_page(world):
    case = _new_case(world)
    more_history = _history(case, world)
    return reverse("public:track_case", args=[case.code]), lambda k: more_history(k) or []


def public_grids(world):
    """The public map's grids (names only)."""
    return reverse("public:grids"), more_grids(world.a1)


# The queue, measured 13 for a dispatcher and 12 for a grid worker: the place picker
# (regions.selectors.area_choices), the person's saved filters (core.selectors.
# saved_filter_list) and, for a dispatcher, the handler picker (visible_handlers) added three.
LISTINGS = [
    Listing("queue-page", "community", 15, queue_page),
    Listing("queue-dispatch-filtered", "community", 15, queue_filtered),
    Listing("queue-mine", "grid", 14, my_queue),
    Listing("tasks-page", "grid", 9, tasks_page),
    Listing("cases-api", "community", 10, cases_api),
    # +2: whether the viewer assists (协办), and the case's assignments (主办/协办)
    Listing("case-page-history-merged-nearby", "community", 19, case_page),
    Listing("case-api-history", "community", 10, case_api),
    Listing("duplicates-panel", "community", 9, duplicates_panel),
    # +2: the levels' counts from the history, and the hand-overs' times (吹哨报到)
    # 11 + the suggestions' one (#16) + the scope as lists (its places, decision 0039)
    Listing("metrics-page", "community", 14, metrics_page),
    Listing("open311-requests", "community", 9, open311_feed),
    Listing("public-track-page", "community", 10, track_page),
    Listing("public-grids-geojson", "community", 8, public_grids),
]


@pytest.mark.parametrize("listing", LISTINGS, ids=listing_id)
def test_query_count_is_flat_and_bounded(client, loop, listing):
    listing.check(client, loop)
