"""Events for the tests: a weekend morning in 彩香一村 (street A), a week ahead."""

from datetime import timedelta

from django.utils import timezone

from genxi.events import services


def event(world, *, capacity=3, community=None, days=7, actor=None, **kw):
    community = community or world.a1
    starts = (timezone.now() + timedelta(days=days)).replace(microsecond=0)
    return services.event_create(
        actor=actor or world.users["outsider" if community == world.b1 else "street"],
        community=community,
        title=kw.pop("title", "敬老助餐"),
        starts_at=kw.pop("starts_at", starts),
        ends_at=kw.pop("ends_at", starts + timedelta(hours=2)),
        capacity=capacity,
        place=kw.pop("place", "彩香一村社区活动室"),
        audience=kw.pop("audience", ["elderly"]),
        **kw,
    )


def phone(n: int) -> str:
    return f"139{n:08d}"


def register(ev, n: int, actor=None):
    return services.register(actor=actor, event=ev, name=f"居民{n}", phone=phone(n))
