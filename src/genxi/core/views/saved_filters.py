"""Saved filters (保存的筛选) of any registered list: save the current one, delete one's own.
Both answer the list's saved-filters panel to htmx, and without script go back to the list
(a refusal: the panel on a page of its own, with the error beside the field)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import selectors, services
from ..forms import SavedFilterForm, submit
from ..models import SavedFilter
from ..saved_filters import is_registered


def panel(request, *, page: str, query: str, form=None, status: int = 200):
    """The saved-filters panel of the list `page` (core/_saved_filters.html)."""
    context = {
        "page_key": page,
        "query": query,
        "saved": selectors.saved_filter_list(user=request.user, page=page),
        "saved_form": form,
    }
    template = "core/_saved_filters.html" if request.htmx else "core/saved_filters.html"
    return render(request, template, context, status=status)


@login_required
@require_POST
def saved_filter_new(request):
    form = SavedFilterForm(request.POST)
    saved = submit(
        form,
        lambda d: services.saved_filter_create(
            actor=request.user, page=d["page"], name=d["name"], query=d["query"]
        ),
    )
    page = request.POST.get("page", "")
    if saved is None:
        if not is_registered(page):
            page = ""
        return panel(
            request,
            page=page,
            query=request.POST.get("query", ""),
            form=form,
            status=form.status,
        )
    if request.htmx:
        return panel(request, page=saved.page, query=saved.query)
    messages.success(request, _("已保存筛选“%(name)s”。") % {"name": saved.name})
    return redirect(f"{reverse(saved.page)}?{saved.query}")


@login_required
@require_POST
def saved_filter_delete(request, pk: int):
    """Another person's saved filter does not exist for this one (404)."""
    saved = get_object_or_404(SavedFilter, pk=pk, owner=request.user)
    services.saved_filter_delete(actor=request.user, saved=saved)
    query = request.POST.get("query", "")
    if request.htmx:
        return panel(request, page=saved.page, query=query)
    return redirect(reverse(saved.page))
