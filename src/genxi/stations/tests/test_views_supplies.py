"""The roster's, the medicine box's and the books' pages: a refused post is the page again
with the message on its field and nothing written; a swap through the pages; the headline
counts per street."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from genxi.core.stats import headline_counts
from genxi.regions.models import Region
from genxi.stations import services
from genxi.stations.domain.hours import parse_day
from genxi.stations.models import Book, BookLoan, DutyShift, MedicineItem, MedicineMove

from .helpers import station, volunteer


def _error(body: str, field: str) -> bool:
    return f'data-error-for="{field}"' in body


def test_a_bad_isbn_is_refused_on_its_field(client, world):
    s = station(world)
    duty = volunteer(world, s)
    client.force_login(duty)
    url = reverse("stations:book_act", args=[s.pk, "add"])
    answer = client.post(url, {"title": "活着", "isbn": "978-7-5302-1678-2", "copies": 1})
    assert answer.status_code == 400 and _error(answer.content.decode(), "isbn")
    assert not Book.objects.exists()
    answer = client.post(url, {"title": "活着", "isbn": "978-7-5302-1678-1", "copies": 2})
    assert answer.status_code == 302
    book = Book.objects.get()
    assert book.isbn == "9787530216781" and book.copies.count() == 2


def test_an_expired_batch_is_refused_and_not_offered(client, world):
    s = station(world)
    duty = volunteer(world, s)
    item = services.medicine_add(
        actor=duty,
        station=s,
        name="风油精",
        unit="瓶",
        expiry=timezone.localdate() + timedelta(days=3),
        quantity=2,
    )
    MedicineItem.objects.filter(pk=item.pk).update(expiry=timezone.localdate() - timedelta(days=1))
    client.force_login(duty)
    page = client.get(reverse("stations:medicine", args=[s.pk])).content.decode()
    assert 'data-state="expired"' in page
    assert f'<option value="{item.pk}"' not in page  # not offered to issue
    answer = client.post(
        reverse("stations:medicine_act", args=[s.pk, "issue"]), {"item": item.pk, "quantity": 1}
    )
    assert answer.status_code == 400 and _error(answer.content.decode(), "quantity")
    assert MedicineMove.objects.filter(kind="out").count() == 0
    item.refresh_from_db()
    assert item.quantity == 2


def test_a_swap_through_the_pages(client, world):
    s = station(world)
    services.duty_pattern_set(
        actor=world.users["community"],
        station=s,
        weekly={d: parse_day("08:00-12:00") for d in range(7)},
    )
    s.refresh_from_db()
    duty = volunteer(world, s, username="duty")
    other = volunteer(world, s, username="other")
    day = timezone.localdate() + timedelta(days=3)
    client.force_login(duty)
    roster = reverse("stations:roster", args=[s.pk])
    act = reverse("stations:roster_act", args=[s.pk, "take"])
    assert client.post(act, {"day": day.isoformat(), "start": 480}).status_code == 302
    shift = DutyShift.objects.get()
    answer = client.post(act, {"day": day.isoformat(), "start": 500})
    assert answer.status_code == 400 and "排班表里没有这个班次" in answer.content.decode()
    to = services.own_pioneer(other, s)
    swap = reverse("stations:roster_act", args=[s.pk, "swap"])
    assert client.post(swap, {"shift": shift.pk, "to": to.pk}).status_code == 302
    client.force_login(other)
    page = client.get(roster).content.decode()
    assert 'id="swaps"' in page and "请您接替" in page
    swap_row = shift.swaps.get()
    accept = reverse("stations:swap_act", args=[swap_row.pk, "accept"])
    assert f'action="{accept}"' in page and client.post(accept).status_code == 302
    shift.refresh_from_db()
    assert shift.pioneer == to
    # The grid worker who sees the station may not sign anyone up: 403, nothing written.
    client.force_login(world.users["grid"])
    answer = client.post(act, {"day": (day + timedelta(1)).isoformat(), "start": 480})
    assert answer.status_code == 403 and DutyShift.objects.count() == 1


def test_lend_on_the_page_and_headline_counts(client, world):
    s = station(world)
    duty = volunteer(world, s)
    book = services.book_add(actor=duty, station=s, title="活着", copies=1)
    client.force_login(duty)
    url = reverse("stations:book_act", args=[s.pk, "lend"])
    copy = book.copies.get()
    answer = client.post(url, {"copy": copy.pk, "borrower": "", "contact": ""})
    assert answer.status_code == 400 and _error(answer.content.decode(), "borrower")
    assert client.post(url, {"copy": copy.pk, "borrower": "王师傅"}).status_code == 302
    answer = client.post(url, {"copy": copy.pk, "borrower": "李阿姨"})
    assert answer.status_code == 400 and "已经借出" in answer.content.decode()
    assert BookLoan.objects.count() == 1
    services.medicine_add(
        actor=duty,
        station=s,
        name="创可贴",
        unit="片",
        expiry=timezone.localdate() + timedelta(days=30),
        quantity=5,
    )
    services.medicine_add(
        actor=duty,
        station=s,
        name="纱布",
        unit="卷",
        expiry=timezone.localdate() + timedelta(days=31),
        quantity=5,
    )
    counts = headline_counts(Region.objects.streets())
    assert counts["金阊街道"]["books_on_loan"] == 1
    assert counts["金阊街道"]["medicine_items_expiring_30d"] == 1
    assert counts["虎丘街道"]["books_on_loan"] == 0
