"""The demo's address gazetteer (地址库) and service phones: every community's estates, their
buildings in its grids, and an office number for each community and the grids of 彩香一村.

彩香一村社区 holds two estates whose buildings share numbers in different grids
(彩香一村花园 and 彩香新村), so `4幢` alone is a question, as it is in real life."""

from __future__ import annotations

from genxi.regions.models import Building, Estate, Level, Region

from . import geography as geo

HOURS = "工作日 8:30-17:30"
# Communities with more than one estate: (estate, other names, buildings) each.
ESTATES = {
    "彩香一村": [
        ("彩香一村花园", ["彩香一村", "彩香一村小区"], 40),
        ("彩香新村", ["彩香小区"], 30),
    ],
    "彩香二村": [("彩香二村", ["彩香二村小区", "彩香二村新村"], 40), ("彩香坊", [], 12)],
    "三元一村": [("三元一村", ["三元一村小区", "三元新村"], 40), ("三元坊", [], 10)],
}


def estates_of(short: str) -> list[tuple[str, list[str], int]]:
    """A community's estates; by default one named after it, as the residents' addresses
    (`{community}新村/花园/小区`) name it."""
    if short in ESTATES:
        return ESTATES[short]
    name = f"{short}花园" if short.endswith("村") else f"{short}新村"
    return [(name, [f"{short}小区", f"{short}新村", f"{short}花园"], 40)]


def spread(count: int, grids: list[Region], reverse: bool = False) -> list[tuple[int, Region]]:
    """Buildings 1..count in contiguous runs over the grids (the last estate's runs go the
    other way, so one number lies in different grids in different estates)."""
    order = list(reversed(grids)) if reverse else grids
    per = -(-count // len(order))
    return [(n, order[(n - 1) // per]) for n in range(1, count + 1)]


def load_gazetteer() -> dict[str, int]:
    created = {"estates": 0, "buildings": 0}
    for index, (_district, code, _name, _centre, communities, _grids) in enumerate(geo.STREETS):
        street = Region.objects.get(code=code)
        for number, short in enumerate(communities, 1):
            community = Region.objects.get(parent=street, name=geo.community_name(short))
            grids = list(community.children.filter(level=Level.GRID).order_by("code"))
            if not community.service_phone:
                community.service_phone = f"0512-65{index + 1}{number:02d}{number * 37 % 1000:03d}"
                community.service_hours = HOURS
                community.save(update_fields=["service_phone", "service_hours", "updated_at"])
            if code == "320508012000" and number == 1:
                for grid in grids:
                    if not grid.service_phone:
                        grid.service_phone = f"0512-6531{int(grid.code[-3:]):04d}"
                        grid.service_hours = HOURS
                        grid.save(update_fields=["service_phone", "service_hours", "updated_at"])
            if Estate.objects.filter(community=community).exists() or not grids:
                continue
            estates = estates_of(short)
            for position, (name, aliases, count) in enumerate(estates):
                estate = Estate.objects.create(community=community, name=name, aliases=aliases)
                runs = spread(count, grids, reverse=position % 2 == 1)
                Building.objects.bulk_create(
                    [Building(estate=estate, number=str(n), grid=grid) for n, grid in runs]
                )
                created["estates"] += 1
                created["buildings"] += count
    return created
