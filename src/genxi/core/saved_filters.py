"""Which lists keep saved filters, and the form that checks each one's (core.SavedFilter).

A list registers its page's URL name with the form that reads its GET filters (in its
app's `AppConfig.ready()`): `saved_filters.register("cases:queue", QueueFilterForm)`. A
saved filter is stored only as that form cleaned it — known parameters, valid values — so
a link built from it is one the page itself would make.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django import forms
from django.http import QueryDict

FORMS: dict[str, type[forms.Form]] = {}


def register(page: str, form: type[forms.Form]) -> None:
    FORMS[page] = form


def is_registered(page: str) -> bool:
    return page in FORMS


def clean_query(page: str, query: str) -> str | None:
    """The query string as the page's filter form reads it (empty values and unknown
    parameters left out), or None when the form refuses it or the page keeps no filters."""
    form_class = FORMS.get(page)
    if form_class is None:
        return None
    form = form_class(QueryDict(query.lstrip("?")))
    if not form.is_valid():
        return None
    kept = [(name, str(form.cleaned_data[name])) for name in form.fields]
    return urlencode([(name, value) for name, value in kept if value not in ("", "None")])
