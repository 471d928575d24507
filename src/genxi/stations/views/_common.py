"""What the stations' pages share: fetching a station the viewer sees."""

from __future__ import annotations

from genxi.core.scope import get_visible_or_404

from ..models import Station


def visible_station(request, pk: int) -> Station:
    return get_visible_or_404(
        Station.objects.select_related("community", "community__parent", "grid", "manager"),
        request.user,
        pk=pk,
    )
