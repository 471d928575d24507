"""Related links: what upper apps say about an object of a lower app, shown on its page.

A lower app's page (an inspection round, an event, a visit) may not import the apps above
it. An upper app registers a provider in its `AppConfig.ready()`:

    related.register(links.practice_sessions_for)

`provider(user, obj) -> list[RelatedLink]` answers the links to show for `obj` to `user`
(reading through its own scoped selectors, so the user sees only what is in scope; an
empty list for objects it knows nothing of). The lower page shows them with
`{% load related %}{% related_links obj %}`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django_stubs_ext import StrOrPromise


@dataclass(frozen=True)
class RelatedLink:
    label: StrOrPromise  # what the link is ("冬训实践课堂")
    title: str  # the object linked to (the session's topic)
    url: str


Provider = Callable[[Any, Any], list[RelatedLink]]
_PROVIDERS: list[Provider] = []


def register(provider: Provider) -> None:
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)


def links_for(user: Any, obj: Any) -> list[RelatedLink]:
    found: list[RelatedLink] = []
    for provider in _PROVIDERS:
        found.extend(provider(user, obj))
    return found
