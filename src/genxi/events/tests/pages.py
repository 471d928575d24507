"""The readable routes of the weekend community (core/testing/page_matrix.py): the staff's
calendar, plan form, event page, check-in page and summaries list; the public calendar,
event page, ticket, QR code and iCalendar feed (public by design: a community's calendar
is for every resident; a ticket is reached only by its code); and the API."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from genxi.core.testing.page_matrix import API, PUBLIC, Page
from genxi.events import services

READERS = ("system_admin", "street", "community", "grid", "outsider", "department")
ALL_STAFF = ("system_admin", "street", "community", "grid", "unit", "outsider", "department")
EVENT_READERS = ("system_admin", "street", "community", "grid", "department")
RUNNERS = ("street", "community")
# Those who see the event or the community but do not run it are refused; elsewhere unseen.
REFUSED = {"system_admin": 403, "grid": 403, "department": 403}
POST_ONLY = {"*": 405}
PUBLIC_ALL = {"*": 200}
PUBLIC_SHOWS = {"*": "the community's public calendar, its events and tickets are public by design"}
LIST = {"*": 200}


def seed(side):
    """A published month plan with a theme, an event with a registration (checked in), a
    roster place and a material, on the side's community."""
    today = timezone.localdate()
    services.plan_save(
        actor=side.staff,
        community=side.community,
        month=today,
        title=f"{side.tag}月度计划",
        themes={today: f"{side.tag}主题"},
    )
    starts = timezone.now() + timedelta(hours=1)
    event = services.event_create(
        actor=side.staff,
        community=side.community,
        title=f"{side.tag}周末活动",
        place=f"{side.tag}活动室",
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        capacity=1,
        organiser=side.worker,
    )
    reg = services.register(actor=None, event=event, name=f"{side.tag}居民", phone="13700001111")
    services.register(actor=None, event=event, name="候补居民", phone="13700002222")
    services.check_in(actor=side.staff, event=event, code=reg.code)
    services.material_set(actor=side.staff, event=event, name="围巾", unit="条", quantity=10)
    return {"event": event, "registration": reg}


def _month(s) -> str:
    return f"{timezone.localdate():%Y-%m}"


PAGES = {
    "events:calendar": Page(lambda s: reverse("events:calendar"), READERS),
    "events:summaries": Page(lambda s: reverse("events:summaries"), ALL_STAFF),
    "events:new": Page(lambda s: reverse("events:new"), ("street", "community", "outsider")),
    "events:plan_edit": Page(
        lambda s: reverse("events:plan_edit", args=[s.community.code, _month(s)]),
        RUNNERS,
        answers=REFUSED,
        near={"grid": 404},
        outside={"department": 404, "grid": 404},
    ),
    "events:plan_publish": Page(
        lambda s: reverse("events:plan_publish", args=[1]), answers=POST_ONLY
    ),
    "events:event": Page(lambda s: reverse("events:event", args=[s.event.pk]), EVENT_READERS),
    "events:checkin": Page(
        lambda s: reverse("events:checkin", args=[s.event.pk]),
        RUNNERS,
        answers=REFUSED,
        near={"grid": 404},
        outside={"department": 404, "grid": 404},
    ),
    "events:act": Page(
        lambda s: reverse("events:act", args=[s.event.pk, "cancel"]), answers=POST_ONLY
    ),
    "events:public_calendar": Page(
        lambda s: reverse("events:public_calendar", args=[s.community.code]),
        kind=PUBLIC,
        answers=PUBLIC_ALL,
        shows=PUBLIC_SHOWS,
    ),
    "events:feed": Page(
        lambda s: reverse("events:feed", args=[s.community.code]),
        kind=PUBLIC,
        answers=PUBLIC_ALL,
        shows=PUBLIC_SHOWS,
    ),
    "events:public_event": Page(
        lambda s: reverse("events:public_event", args=[s.event.pk]),
        kind=PUBLIC,
        answers=PUBLIC_ALL,
        shows=PUBLIC_SHOWS,
    ),
    "events:ticket": Page(
        lambda s: reverse("events:ticket", args=[s.registration.code]),
        kind=PUBLIC,
        answers=PUBLIC_ALL,
        shows=PUBLIC_SHOWS,
    ),
    "events:ticket_qr": Page(
        lambda s: reverse("events:ticket_qr", args=[s.registration.code]),
        kind=PUBLIC,
        answers=PUBLIC_ALL,
        shows=PUBLIC_SHOWS,
    ),
    "events:ticket_cancel": Page(
        lambda s: reverse("events:ticket_cancel", args=[s.registration.code]),
        kind=PUBLIC,
        answers=POST_ONLY,
    ),
    "GET /api/v1/events": Page(lambda s: "/api/v1/events", answers=LIST, kind=API),
    "GET /api/v1/events/{event_id}": Page(
        lambda s: f"/api/v1/events/{s.event.pk}", EVENT_READERS, kind=API
    ),
}
