"""The stations' headline counts per street (`genxi stats --json`) and their part of the
workbench."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from genxi.core.roles import STAFF_ROLES
from genxi.core.scope import scope_for
from genxi.core.stats import count_by_street
from genxi.core.workbench import WorkCount

from ..models import BookLoan, MedicineItem, Station
from .books import overdue_loans
from .medicine import expiring_items
from .roster import unstaffed
from .stations import pending_reflections, tended_stations

EXPIRING_DAYS = 30  # the headline count's window, whatever a station's own warning


def stats_by_street(streets) -> dict[int, dict[str, int]]:
    """`stations` (active) and `station_visits` (all time), `medicine_items_expiring_30d`
    (batches in stock expiring within 30 days, not yet expired) and `books_on_loan` per
    street, in three queries."""
    streets = list(streets)
    if not streets:
        return {}
    columns: dict[str, Count] = {}
    for i, street in enumerate(streets):
        under = Q(community__path__startswith=street.path)
        columns[f"s{i}"] = Count("pk", filter=under & Q(active=True), distinct=True)
        columns[f"v{i}"] = Count("visits", filter=under)
    totals = Station.objects.order_by().aggregate(**columns)
    today = timezone.localdate()
    medicine = count_by_street(
        MedicineItem.objects.all(),
        streets,
        "station__community__path",
        medicine_items_expiring_30d=Q(
            quantity__gt=0, expiry__gte=today, expiry__lte=today + timedelta(days=EXPIRING_DAYS)
        ),
    )
    books = count_by_street(
        BookLoan.objects.all(),
        streets,
        "copy__book__station__community__path",
        books_on_loan=Q(returned_at__isnull=True),
    )
    return {
        s.pk: {
            "stations": totals[f"s{i}"],
            "station_visits": totals[f"v{i}"],
            **medicine[s.pk],
            **books[s.pk],
        }
        for i, s in enumerate(streets)
    }


def work_counts(user: Any) -> list[WorkCount]:
    """For whoever tends a station (its manager, the staff over it, its duty volunteers):
    reflections waiting, shifts nobody took in the next 48 hours, medicines expired or about
    to expire, books overdue — each linked to its list."""
    scope = scope_for(user)
    if not scope.user_id:
        return []
    if not (scope.roles & STAFF_ROLES) and not tended_stations(user).exists():
        return []
    stations = tended_stations(user).filter(active=True)
    return [
        WorkCount(
            "stations.reflections",
            _("待审核留言"),
            pending_reflections(user=user).count(),
            reverse("stations:reflections"),
        ),
        WorkCount(
            "stations.unstaffed",
            _("48小时内缺人值班"),
            len(unstaffed(stations)),
            reverse("stations:unstaffed"),
            urgent=True,
        ),
        WorkCount(
            "stations.expiring",
            _("临期及过期药品"),
            expiring_items(stations.values("pk")).count(),
            reverse("stations:expiring"),
        ),
        WorkCount(
            "stations.overdue",
            _("逾期未还图书"),
            overdue_loans(stations=stations.values("pk")).count(),
            reverse("stations:overdue"),
        ),
    ]
