"""Links from an object's page to what upper apps keep about it (a case's rectification
notice, an inspection round's practice class, …).

A lower app's page cannot import the apps above it (the layers, docs/architecture.md). An
upper app registers a provider for a model in its `AppConfig.ready()`:

    related.register("cases.Case", notices_of_case)

A provider is `fn(user, obj) -> list[Link]`, answering only what `user` may open (scoped
like any selector). The page shows them with `{% related_links obj %}` (core's `genxi`
tags), a list headed 关联 under the object's summary; nothing when there are none.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Model
from django_stubs_ext import StrOrPromise


@dataclass(frozen=True)
class Link:
    kind: StrOrPromise  # what the other object is: 整改通知单, 冬训实践课堂
    text: str  # its name or number
    url: str
    note: StrOrPromise = ""  # its state, a date


Provider = Callable[[Any, Model], list[Link]]

_PROVIDERS: dict[str, list[Provider]] = {}


def register(model: str, provider: Provider) -> None:
    """Add `provider` for the model labelled `app_label.ModelName` (once per provider)."""
    found = _PROVIDERS.setdefault(model.lower(), [])
    if provider not in found:
        found.append(provider)


def links_for(user: Any, obj: Model) -> list[Link]:
    """Every registered provider's links for `obj`, in registration order."""
    label = obj._meta.label_lower
    return [link for provider in _PROVIDERS.get(label, []) for link in provider(user, obj)]
