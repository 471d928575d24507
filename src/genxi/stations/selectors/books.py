"""Reads of the station's books: the catalogue with copies and loans counted, the copies on
the shelf, the open and overdue loans, and the counts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from ..models import Book, BookCopy, BookLoan, Station


def catalogue(*, station: Station, q: str = "") -> QuerySet[Book]:
    qs = station.books.annotate(
        n_copies=Count("copies", filter=Q(copies__active=True), distinct=True),
        n_out=Count(
            "copies__loans", filter=Q(copies__loans__returned_at__isnull=True), distinct=True
        ),
    )
    if q:
        qs = qs.filter(Q(title__icontains=q) | Q(author__icontains=q) | Q(isbn__contains=q))
    return qs.order_by("title", "id")


def shelf_copies(*, station: Station) -> QuerySet[BookCopy]:
    """The copies that may be lent now: active and not out."""
    return (
        BookCopy.objects.filter(book__station=station, active=True)
        .exclude(pk__in=BookLoan.objects.filter(returned_at__isnull=True).values("copy"))
        .select_related("book")
        .order_by("book__title", "number")
    )


def open_loans(*, station: Station | None = None, stations=None) -> QuerySet[BookLoan]:
    qs = BookLoan.objects.filter(returned_at__isnull=True).select_related(
        "copy__book__station", "lent_by"
    )
    if station is not None:
        qs = qs.filter(copy__book__station=station)
    if stations is not None:
        qs = qs.filter(copy__book__station__in=stations)
    return qs.order_by("due", "id")


def overdue_loans(*, stations, today: date | None = None) -> QuerySet[BookLoan]:
    today = today or timezone.localdate()
    return open_loans(stations=stations).filter(due__lt=today)


@dataclass(frozen=True)
class BookCounts:
    titles: int
    copies: int
    on_loan: int
    overdue: int
    lent_30d: int
    returned_30d: int


def book_counts(*, station: Station, today: date | None = None) -> BookCounts:
    """The shelf's figures in two queries."""
    today = today or timezone.localdate()
    since = today - timedelta(days=30)
    shelf = station.books.aggregate(
        titles=Count("pk", distinct=True),
        copies=Count("copies", filter=Q(copies__active=True), distinct=True),
    )
    loans = BookLoan.objects.filter(copy__book__station=station).aggregate(
        on_loan=Count("pk", filter=Q(returned_at__isnull=True)),
        overdue=Count("pk", filter=Q(returned_at__isnull=True, due__lt=today)),
        lent_30d=Count("pk", filter=Q(lent_at__date__gte=since)),
        returned_30d=Count("pk", filter=Q(returned_at__date__gte=since)),
    )
    return BookCounts(**shelf, **loans)
