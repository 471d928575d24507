"""Points for volunteer hours (志愿服务积分), pure Python.

A rule set says how many points an hour of each kind of service earns, and the bonuses:
a percentage on top for a weekend day, a percentage on top for a kind of pioneer (e.g. the
new-employment groups, whose time is scarce), and a fixed bonus for a pioneer's first
confirmed service of the year. Points are computed once, when an hours record is
confirmed, and kept with the rule set's version: a later version does not change them.

`tally()` adds records up by month and by source; every total is the sum of its parts.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

SOURCES = ("event", "duty", "case", "manual")
KINDS = ("party_member", "grid_worker", "property_staff", "resident_leader", "new_employment")
TENTH = Decimal("0.1")
MAX_HOURS = Decimal("24")


def tenth(value: Decimal) -> Decimal:
    return value.quantize(TENTH, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Rules:
    """One version of a street's points rules."""

    per_hour: Mapping[str, Decimal]  # source -> points per hour
    weekend_percent: int = 0  # extra points, as a percentage of the base, on Sat/Sun
    kind_percent: Mapping[str, int] = field(default_factory=dict)  # pioneer kind -> extra %
    first_of_year: Decimal = Decimal(0)  # fixed bonus for the first service of the year

    def as_json(self) -> dict[str, object]:
        return {
            "per_hour": {k: str(v) for k, v in self.per_hour.items()},
            "weekend_percent": self.weekend_percent,
            "kind_percent": dict(self.kind_percent),
            "first_of_year": str(self.first_of_year),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, object]) -> Rules:
        per_hour = data.get("per_hour", {})
        kinds = data.get("kind_percent", {})
        assert isinstance(per_hour, Mapping) and isinstance(kinds, Mapping)
        return cls(
            per_hour={str(k): Decimal(str(v)) for k, v in per_hour.items()},
            weekend_percent=int(str(data.get("weekend_percent", 0))),
            kind_percent={str(k): int(str(v)) for k, v in kinds.items()},
            first_of_year=Decimal(str(data.get("first_of_year", "0"))),
        )


DEFAULT_RULES = Rules(
    per_hour={
        "event": Decimal(10),
        "duty": Decimal(10),
        "case": Decimal(12),
        "manual": Decimal(8),
    },
    weekend_percent=20,
    kind_percent={"new_employment": 20},
    first_of_year=Decimal(20),
)


@dataclass(frozen=True)
class Service:
    """What a confirmed record is worth points for."""

    hours: Decimal
    source: str
    kind: str
    day: date
    first_of_year: bool = False


@dataclass(frozen=True)
class Points:
    base: Decimal
    weekend: Decimal
    kind: Decimal
    first: Decimal

    @property
    def total(self) -> Decimal:
        return self.base + self.weekend + self.kind + self.first

    def as_json(self) -> dict[str, str]:
        return {
            "base": str(self.base),
            "weekend": str(self.weekend),
            "kind": str(self.kind),
            "first": str(self.first),
        }


def points_for(service: Service, rules: Rules) -> Points:
    """The points `service` earns under `rules`, each part rounded to a tenth."""
    if service.hours < 0:
        raise ValueError("hours must not be negative")
    base = tenth(service.hours * rules.per_hour.get(service.source, Decimal(0)))
    weekend = (
        tenth(base * rules.weekend_percent / 100) if service.day.weekday() >= 5 else Decimal(0)
    )
    kind = tenth(base * rules.kind_percent.get(service.kind, 0) / 100)
    first = rules.first_of_year if service.first_of_year else Decimal(0)
    return Points(base, weekend, kind, tenth(first))


@dataclass(frozen=True)
class Item:
    """A confirmed record, as `tally()` reads it."""

    day: date
    source: str
    hours: Decimal
    points: Decimal


@dataclass
class Tally:
    hours: Decimal = Decimal(0)
    points: Decimal = Decimal(0)
    count: int = 0
    by_month: dict[str, tuple[Decimal, Decimal]] = field(default_factory=dict)
    by_source: dict[str, tuple[Decimal, Decimal]] = field(default_factory=dict)


def _add(table: dict[str, tuple[Decimal, Decimal]], key: str, item: Item) -> None:
    hours, points = table.get(key, (Decimal(0), Decimal(0)))
    table[key] = (hours + item.hours, points + item.points)


def tally(items: Iterable[Item]) -> Tally:
    """Hours and points in all, by month ("2026-03") and by source, in order."""
    found = Tally()
    for item in sorted(items, key=lambda i: (i.day, i.source)):
        found.hours += item.hours
        found.points += item.points
        found.count += 1
        _add(found.by_month, f"{item.day:%Y-%m}", item)
        _add(found.by_source, item.source, item)
    return found
