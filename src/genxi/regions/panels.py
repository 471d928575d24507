"""Sections that the apps above regions add to a region's page (people: a grid's pioneers),
so that regions imports none of them.

An app registers its panel in its AppConfig.ready():

    panels.register(panels.Panel("people/region_pioneers.html", grid_pioneers))

`context(user, region)` answers the template's context, or None to leave the panel out;
it reads through the app's selectors, so the user sees only what is in scope.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from .models import Region


@dataclass(frozen=True)
class Panel:
    template: str
    context: Callable[[Any, Region], dict[str, Any] | None]


_PANELS: list[Panel] = []


def register(panel: Panel) -> None:
    if panel not in _PANELS:
        _PANELS.append(panel)


def render_panels(request: HttpRequest, region: Region) -> list[SafeString]:
    """Each registered panel that has something to show for this region, rendered."""
    rendered = []
    for panel in _PANELS:
        context = panel.context(request.user, region)
        if context is not None:
            rendered.append(
                render_to_string(panel.template, {"region": region, **context}, request)
            )
    return rendered
