"""Stations for the tests: one in 彩香一村 (street A) with everyday hours, and a pioneer
who logs in and takes duty there."""

from genxi.core.roles import Role
from genxi.core.testing.world import make_user
from genxi.stations import services
from genxi.stations.domain.hours import parse_day

EVERY_DAY = {d: parse_day("08:00-20:00") for d in range(7)}


def station(world, name="彩香驿站", community=None, grid=None, **kw):
    community = community or world.a1
    return services.station_create(
        actor=kw.pop("actor", None)
        or world.users["outsider" if community == world.b1 else "street"],
        community=community,
        grid=grid if grid is not None else world.grid_a1,
        name=name,
        lat=31.321,
        lon=120.591,
        address="彩香路1号",
        weekly=kw.pop("weekly", EVERY_DAY),
        amenities=kw.pop("amenities", ["microwave", "kettle", "charging"]),
        serves=kw.pop("serves", ["courier", "rider", "sanitation"]),
        **kw,
    )


def volunteer(world, station, username="duty", grid=None):
    """A pioneer with a login (a grid worker's role on the grid), on duty at `station`."""
    grid = grid or world.grid_a1b
    user = make_user(username, Role.GRID_WORKER, region=grid)
    pioneer = world.pioneer(grid, f"P-{username}", "值守先锋", user=user)
    services.volunteer_add(actor=world.users["community"], station=station, pioneer=pioneer)
    return user
