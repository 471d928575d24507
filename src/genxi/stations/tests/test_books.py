"""The station's books: ISBNs checked (hypothesis), titles and copies, lending to a named
borrower (contact encrypted, masked), returns, the overdue list — loans and returns
balance, and a copy is never lent twice at once (PostgreSQL threads)."""

from datetime import date, datetime, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from hypothesis import given
from hypothesis import strategies as st

from genxi.core.models import AuditEvent
from genxi.core.testing.race import needs_postgres, race
from genxi.core.workbench import work_for
from genxi.stations import selectors, services
from genxi.stations.domain.hours import TZ
from genxi.stations.domain.isbn import (
    IsbnError,
    check_digit_10,
    check_digit_13,
    hyphenless_10,
    normalize,
)
from genxi.stations.models import BookCopy, BookLoan

from .helpers import station, volunteer

NOW = datetime(2031, 5, 6, 10, tzinfo=TZ)


def test_isbn_typed_or_scanned():
    assert normalize("978-7-02-000220-7") == "9787020002207"
    assert normalize("ISBN 7-02-000220-X") == "9787020002207"  # ISBN-10, check digit X
    assert normalize("702000220x") == "9787020002207"
    assert normalize(" 978 7 5442 4225 7 ") == "9787544242257"
    for bad in ("9787020002208", "978702000220", "1234567890123", "7020002201", "abc"):
        with pytest.raises(IsbnError):
            normalize(bad)


@given(st.text(alphabet="0123456789", min_size=9, max_size=9))
def test_isbn_10_and_13_agree(first9):
    isbn10 = first9 + check_digit_10(first9)
    isbn13 = normalize(isbn10)
    assert isbn13.startswith("978") and normalize(isbn13) == isbn13
    assert hyphenless_10(isbn13) == isbn10
    assert check_digit_13(isbn13[:12]) == isbn13[12]


@given(st.text(alphabet="0123456789", min_size=12, max_size=12), st.integers(1, 9))
def test_a_wrong_check_digit_is_refused(first12, delta):
    first12 = "978" + first12[3:]
    good = check_digit_13(first12)
    bad = str((int(good) + delta) % 10)
    with pytest.raises(IsbnError):
        normalize(first12 + bad)


@pytest.fixture
def shelf(world):
    s = station(world, manager=world.users["community"])
    duty = volunteer(world, s)
    book = services.book_add(
        actor=duty, station=s, title="平凡的世界", author="路遥", isbn="9787530216781", copies=2
    )
    return s, duty, book


def test_lend_and_return(world, shelf):
    s, duty, book = shelf
    first, second = book.copies.order_by("number")
    loan = services.book_lend(
        actor=duty, copy=first, borrower="王师傅", contact="13912345678", now=NOW
    )
    assert loan.due == date(2031, 6, 5)  # 30 days
    assert loan.masked_contact() != "13912345678" and "5678" in loan.masked_contact()
    with connection.cursor() as cursor:  # stored encrypted
        cursor.execute("SELECT contact FROM stations_bookloan WHERE id = %s", [loan.pk])
        assert "13912345678" not in cursor.fetchone()[0]
    assert "13912345678" not in str(AuditEvent.objects.get(verb="book.lend").after)
    with pytest.raises(ValidationError) as exc:  # out already
        services.book_lend(actor=duty, copy=first, borrower="李阿姨", now=NOW)
    assert "copy" in exc.value.message_dict
    assert list(selectors.shelf_copies(station=s)) == [second]
    with pytest.raises(ValidationError):
        services.book_lend(actor=duty, copy=second, borrower="李阿姨", contact="12345", now=NOW)
    with pytest.raises(ValidationError):
        services.book_lend(
            actor=duty, copy=second, borrower="李阿姨", due=date(2031, 5, 1), now=NOW
        )
    with pytest.raises(PermissionDenied):
        services.book_lend(actor=world.users["grid"], copy=second, borrower="李阿姨", now=NOW)
    services.book_return(actor=duty, loan=loan, now=NOW + timedelta(days=3))
    with pytest.raises(ValidationError):
        services.book_return(actor=duty, loan=loan)
    again = services.book_lend(actor=duty, copy=first, borrower="李阿姨", now=NOW)
    assert again.pk != loan.pk


def test_a_bad_isbn_or_title_is_refused(world, shelf):
    s, duty, _book = shelf
    with pytest.raises(ValidationError) as exc:
        services.book_add(actor=duty, station=s, title=" ", isbn="9787530216782")
    assert set(exc.value.message_dict) == {"title"}
    with pytest.raises(ValidationError) as exc:
        services.book_add(actor=duty, station=s, title="书", isbn="9787530216782")
    assert set(exc.value.message_dict) == {"isbn"}


def test_loans_and_returns_balance(world, shelf):
    """Whatever is lent and returned, on loan = lent − returned, and each copy is either on
    the shelf or out to one borrower."""
    s, duty, book = shelf
    more = services.book_add(actor=duty, station=s, title="活着", copies=3)
    copies = list(BookCopy.objects.filter(book__in=[book, more]).order_by("pk"))
    lent = returned = 0
    for step in range(12):
        copy = copies[step % len(copies)]
        open_loan = BookLoan.objects.filter(copy=copy, returned_at__isnull=True).first()
        if open_loan and step % 3:
            services.book_return(actor=duty, loan=open_loan, now=NOW)
            returned += 1
        elif not open_loan:
            services.book_lend(actor=duty, copy=copy, borrower=f"读者{step}", now=NOW)
            lent += 1
    counts = selectors.book_counts(station=s, today=NOW.date())
    assert counts.on_loan == lent - returned == selectors.open_loans(station=s).count()
    assert (
        counts.copies == len(copies) == counts.on_loan + selectors.shelf_copies(station=s).count()
    )
    assert BookLoan.objects.count() == lent


def test_the_overdue_list(world, shelf, client):
    s, duty, book = shelf
    first, second = book.copies.order_by("number")
    services.book_lend(actor=duty, copy=first, borrower="王师傅", due=date(2031, 5, 10), now=NOW)
    late = services.book_lend(
        actor=duty, copy=second, borrower="李阿姨", contact="13912345678", now=NOW
    )
    BookLoan.objects.filter(pk=late.pk).update(due=date(2020, 1, 1))
    overdue = selectors.overdue_loans(stations=[s])
    assert list(overdue) == [late]
    work = {w.key: w for w in work_for(duty)}
    assert work["stations.overdue"].count == 1
    client.force_login(duty)
    body = client.get(work["stations.overdue"].url).content.decode()
    assert "李阿姨" in body and "王师傅" not in body and "13912345678" not in body


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_copy_is_not_lent_twice_at_once(world):
    needs_postgres()
    s = station(world)
    duty = volunteer(world, s)
    book = services.book_add(actor=duty, station=s, title="平凡的世界", copies=1)
    copy = book.copies.get()
    outcome = race(
        [
            lambda n=n: services.book_lend(actor=duty, copy=copy, borrower=f"读者{n}")
            for n in range(6)
        ]
    )
    assert not outcome.errors, outcome.errors
    assert len(outcome.done) == 1 and len(outcome.refused) == 5
    assert BookLoan.objects.filter(copy=copy, returned_at__isnull=True).count() == 1
    assert AuditEvent.objects.filter(verb="book.lend").count() == 1
