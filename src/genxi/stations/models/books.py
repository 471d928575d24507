"""The station's books: a catalogue of titles, the copies on the shelf, and loans to named
borrowers (their contact encrypted)."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from genxi.core.pii import EncryptedTextField, PIIMixin
from genxi.core.scope import ScopedQuerySet

from .stations import Station, through_station


class Book(models.Model):
    """A title in the station's catalogue."""

    station = models.ForeignKey(
        Station, verbose_name=_("驿站"), on_delete=models.CASCADE, related_name="books"
    )
    title = models.CharField(_("书名"), max_length=120)
    author = models.CharField(_("作者"), max_length=80, blank=True)
    isbn = models.CharField(_("ISBN"), max_length=13, blank=True)  # ISBN-13 digits, checked
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("图书")
        verbose_name_plural = _("图书")
        ordering = ["title", "id"]

    def __str__(self) -> str:
        return self.title

    @classmethod
    def scope_q(cls, scope) -> Q:
        return through_station(scope)


class BookCopy(models.Model):
    """One copy on the shelf, with its label number (书签号)."""

    book = models.ForeignKey(
        Book, verbose_name=_("图书"), on_delete=models.CASCADE, related_name="copies"
    )
    number = models.PositiveSmallIntegerField(_("册号"))
    active = models.BooleanField(_("在架"), default=True)  # off: lost or withdrawn

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("藏书")
        verbose_name_plural = _("藏书")
        ordering = ["book__title", "number"]
        constraints = [
            models.UniqueConstraint(fields=["book", "number"], name="unique_copy_number")
        ]

    def __str__(self) -> str:
        return f"{self.book.title} #{self.number}"

    @classmethod
    def scope_q(cls, scope) -> Q:
        return through_station(scope, "book__station")


class BookLoan(PIIMixin, models.Model):
    """A copy lent to a named borrower until a due date; open until it comes back."""

    copy = models.ForeignKey(
        BookCopy, verbose_name=_("藏书"), on_delete=models.CASCADE, related_name="loans"
    )
    borrower = models.CharField(_("借阅人"), max_length=30)
    contact = EncryptedTextField(_("联系电话"), kind="phone")
    lent_at = models.DateTimeField(_("借出时间"))
    due = models.DateField(_("应还日期"))
    returned_at = models.DateTimeField(_("归还时间"), null=True, blank=True)
    lent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("借出经办人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    returned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("归还经办人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("借阅")
        verbose_name_plural = _("借阅")
        ordering = ["-lent_at", "-id"]
        constraints = [
            # A copy is out to one borrower at a time, whatever the race.
            models.UniqueConstraint(
                fields=["copy"], condition=Q(returned_at__isnull=True), name="one_open_loan"
            )
        ]

    def __str__(self) -> str:
        return f"{self.copy} · {self.borrower}"

    def masked_contact(self) -> str:
        return self.masked("contact")

    def overdue(self, today: date) -> bool:
        return self.returned_at is None and self.due < today

    @classmethod
    def scope_q(cls, scope) -> Q:
        return through_station(scope, "copy__book__station")
