"""Cadres for the tests: the organisation office of each street of the world, a cadre of
彩香一村 linked to the community worker's account, and a round with scores."""

from datetime import date
from decimal import Decimal

from genxi.cadres import services
from genxi.core.roles import Role
from genxi.core.testing.world import make_user


def office(world, street=None, username=None):
    street = street or world.street_a
    name = username or ("orgoffice" if street == world.street_a else "orgofficeb")
    return make_user(name, Role.ORG_OFFICE, region=street)


def cadre(actor, unit, name="李青", user=None, post="社区副书记", phone="13912345678"):
    return services.cadre_create(
        actor=actor,
        unit=unit,
        name=name,
        gender="female",
        birth_year=1994,
        phone=phone,
        post=post,
        starts=date(2023, 3, 1),
        user=user,
    )


def full_scores(scheme, value):
    """Every weighted scorer group's score on every dimension: `value(scorer, dim)`."""
    return {
        (s, d.key): Decimal(value(s, d.key))
        for d in scheme.dimensions
        for s, w in scheme.scorers.items()
        if w > 0
    }
