"""The books' page: the counts, the catalogue (search; add a title, its ISBN typed or
scanned), lending a copy on the shelf, the loans out with their due dates, and returns."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from genxi.core.forms import ConfirmForm, submit
from genxi.core.pagination import paginate
from genxi.core.scope import get_visible_or_404

from .. import selectors, services
from ..forms import BookForm, LendForm
from ..models import Book, BookLoan, Station
from ._common import visible_station


def books_page(request, station: Station, *, status: int = 200, **forms):
    user = request.user
    q = request.GET.get("q", "").strip()[:50]
    page, query = paginate(request, selectors.catalogue(station=station, q=q))
    lend = forms.get("lend_form")
    if lend is None:
        initial = {"copy": request.GET.get("copy", "")} if request.GET.get("copy") else {}
        lend = LendForm(station=station, initial=initial)
    return render(
        request,
        "stations/books.html",
        {
            "station": station,
            "tends": services.can_tend(user, station),
            "q": q,
            "page": page,
            "query": query,
            "counts": selectors.book_counts(station=station),
            "shelf": selectors.shelf_copies(station=station),
            "loans": selectors.open_loans(station=station),
            "today": timezone.localdate(),
            "book_form": forms.get("book_form") or BookForm(),
            "lend_form": lend,
            "refusal": forms.get("refusal"),
        },
        status=status,
    )


@login_required
def books(request, pk: int):
    return books_page(request, visible_station(request, pk))


@login_required
@require_POST
def book_act(request, pk: int, action: str):
    station = visible_station(request, pk)
    user = request.user
    form: BookForm | LendForm | ConfirmForm
    name = "refusal"
    if action == "add":
        form = BookForm(request.POST)
        name = "book_form"
        done = submit(
            form,
            lambda d: services.book_add(
                actor=user,
                station=station,
                title=d["title"],
                author=d["author"],
                isbn=d["isbn"],
                copies=d["copies"],
            ),
        )
    elif action == "copy":
        book = get_visible_or_404(
            Book.objects.select_related("station__community"),
            user,
            pk=request.POST.get("book"),
            station=station,
        )
        form = ConfirmForm(request.POST)
        done = submit(form, lambda d: services.copy_add(actor=user, book=book))
    elif action == "lend":
        form = LendForm(request.POST, station=station)
        name = "lend_form"
        done = submit(
            form,
            lambda d: services.book_lend(
                actor=user,
                copy=d["copy"],
                borrower=d["borrower"],
                contact=d["contact"],
                due=d["due"],
            ),
        )
    elif action == "return":
        loan = get_visible_or_404(
            BookLoan.objects.select_related("copy__book__station__community"),
            user,
            pk=request.POST.get("loan"),
            copy__book__station=station,
        )
        form = ConfirmForm(request.POST)
        done = submit(form, lambda d: services.book_return(actor=user, loan=loan))
    else:
        raise Http404
    if done is None:
        return books_page(request, station, status=form.status, **{name: form})
    messages.success(request, _("已保存。"))
    return redirect("stations:books", pk=station.pk)
