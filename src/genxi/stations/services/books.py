"""Writes of the station's books: a title (its ISBN checked) and its copies, lending a copy
to a named borrower until a due date — one open loan a copy, under the copy's lock and a
unique constraint — and its return."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from genxi.core import audit
from genxi.core.domain.phones import is_valid_mobile

from ..domain.hours import TZ
from ..domain.isbn import IsbnError, normalize
from ..models import Book, BookCopy, BookLoan, Station
from .stations import require_tend

LOAN_DAYS = 30
LOAN_DAYS_MAX = 120


def clean_isbn(text: str) -> str:
    if not text.strip():
        return ""
    try:
        return normalize(text)
    except IsbnError as exc:
        raise ValidationError({"isbn": _("ISBN 不正确,请核对后重新输入或扫码。")}) from exc


def book_add(
    *,
    actor: Any,
    station: Station,
    title: str,
    author: str = "",
    isbn: str = "",
    copies: int = 1,
) -> Book:
    """A title in the catalogue with `copies` copies on the shelf."""
    title, author = title.strip(), author.strip()
    errors: dict[str, str] = {}
    if not title:
        errors["title"] = _("请填写书名。")
    if not 1 <= copies <= 50:
        errors["copies"] = _("册数须在 1 到 50 之间。")
    if errors:
        raise ValidationError(errors)
    code = clean_isbn(isbn)
    require_tend(actor, station)
    with transaction.atomic():
        book = Book.objects.create(station=station, title=title, author=author, isbn=code)
        BookCopy.objects.bulk_create([BookCopy(book=book, number=n) for n in range(1, copies + 1)])
        audit.record(
            actor=actor,
            verb="book.add",
            target=book,
            after={"title": title, "isbn": code, "copies": copies},
        )
    return book


def copy_add(*, actor: Any, book: Book) -> BookCopy:
    require_tend(actor, book.station)
    with transaction.atomic():
        book = Book.objects.select_for_update().get(pk=book.pk)
        last = book.copies.order_by("-number").values_list("number", flat=True).first() or 0
        copy = BookCopy.objects.create(book=book, number=last + 1)
        audit.record(actor=actor, verb="book.copy_add", target=book, after={"number": copy.number})
    return copy


def _clean_contact(contact: str) -> str:
    contact = contact.strip()
    if not contact:
        return ""
    if not is_valid_mobile(contact):
        raise ValidationError({"contact": _("请填写正确的手机号码。")})
    return contact


def book_lend(
    *,
    actor: Any,
    copy: BookCopy,
    borrower: str,
    contact: str = "",
    due: date | None = None,
    now: datetime | None = None,
) -> BookLoan:
    """Lend a copy that is on the shelf to a named borrower (a phone number to reach them,
    kept encrypted) until `due` (30 days by default)."""
    now = now or timezone.now()
    today = now.astimezone(TZ).date()
    borrower = borrower.strip()
    errors: dict[str, str] = {}
    if not borrower:
        errors["borrower"] = _("请填写借阅人。")
    elif len(borrower) > 30:
        errors["borrower"] = _("借阅人不超过 30 字。")
    due = due or today + timedelta(days=LOAN_DAYS)
    if not today <= due <= today + timedelta(days=LOAN_DAYS_MAX):
        errors["due"] = _("应还日期须在今天到 120 天之内。")
    if errors:
        raise ValidationError(errors)
    phone = _clean_contact(contact)
    require_tend(actor, copy.book.station)
    with transaction.atomic():
        copy = BookCopy.objects.select_for_update().get(pk=copy.pk)
        if not copy.active:
            raise ValidationError({"copy": _("这本书已下架。")})
        if BookLoan.objects.filter(copy=copy, returned_at__isnull=True).exists():
            raise ValidationError({"copy": _("这本书已经借出,还没有归还。")})
        try:
            with transaction.atomic():
                loan = BookLoan.objects.create(
                    copy=copy, borrower=borrower, contact=phone, lent_at=now, due=due, lent_by=actor
                )
        except IntegrityError as exc:
            raise ValidationError({"copy": _("这本书已经借出,还没有归还。")}) from exc
        audit.record(
            actor=actor,
            verb="book.lend",
            target=loan,
            after=audit.snapshot(loan, ("copy", "borrower", "contact", "due")),
        )
    return loan


def book_return(*, actor: Any, loan: BookLoan, now: datetime | None = None) -> BookLoan:
    now = now or timezone.now()
    require_tend(actor, loan.copy.book.station)
    with transaction.atomic():
        loan = BookLoan.objects.select_for_update().get(pk=loan.pk)
        if loan.returned_at is not None:
            raise ValidationError({"loan": _("这本书已经归还了。")})
        loan.returned_at = now
        loan.returned_to = actor
        loan.save(update_fields=["returned_at", "returned_to"])
        audit.record(
            actor=actor,
            verb="book.return",
            target=loan,
            after={"returned_at": now.isoformat()},
        )
    return loan
