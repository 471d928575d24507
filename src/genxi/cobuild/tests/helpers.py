"""Shared set-up for co-building tests."""

from datetime import time, timedelta

from django.utils import timezone

from genxi.cobuild import services


def weekly_service(world, *, weeks=1, actor=None, community=None, title="免费法律咨询", **kw):
    """A weekly service starting tomorrow, with `weeks` slots (Tuesday-style afternoons)."""
    first = timezone.localdate() + timedelta(days=1)
    fields = {
        "kind": "legal",
        "place": "社区服务中心",
        "start_time": time(14),
        "end_time": time(17),
        **kw,
    }
    return services.service_create(
        actor=actor or world.users["community"],
        community=community or world.a1,
        title=title,
        weekday=first.weekday(),
        first=first,
        last=first + timedelta(weeks=weeks - 1),
        **fields,
    )
