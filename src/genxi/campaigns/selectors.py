"""Reads of the campaigns: the list a viewer may see (filtered by topic, status, period and
place), a campaign with its roll-up by community and for the street, the places a viewer
may plan for, the events a campaign may link, and the headline count per street."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from genxi.core.roles import Role
from genxi.core.scope import get_visible_or_404, path_q, scope_for
from genxi.core.stats import count_by_street
from genxi.events.models import Event, EventStatus
from genxi.regions.models import Region

from .models import REACHED, Campaign, Channel, Handout, Part


def campaign_list(
    *,
    user: Any,
    topic: str = "",
    status: str = "",
    since: date | None = None,
    until: date | None = None,
    place: Region | None = None,
) -> QuerySet[Campaign]:
    """The campaigns the user sees, newest first; `since`/`until` keep those whose period
    meets the days; `place` (a street or community) those of the street or the community."""
    qs = Campaign.objects.visible_to(user).select_related("street")
    if topic:
        qs = qs.filter(topic=topic)
    if status:
        qs = qs.filter(status=status)
    if since is not None:
        qs = qs.filter(ends_on__gte=since)
    if until is not None:
        qs = qs.filter(starts_on__lte=until)
    if place is not None:
        qs = qs.filter(
            Q(street__path__startswith=place.path)
            | Q(
                pk__in=Part.objects.filter(community__path__startswith=place.path).values(
                    "campaign"
                )
            )
        )
    return qs.annotate(communities=Count("parts", distinct=True)).order_by("-starts_on", "-id")


def campaign_detail(*, user: Any, pk: int) -> Campaign:
    return get_visible_or_404(Campaign.objects.select_related("street", "created_by"), user, pk=pk)


def parts(*, user: Any, campaign: Campaign) -> list[Part]:
    """The communities' rows the user may see (the street's staff: all; a community's
    staff: its own), with their materials."""
    return list(
        Part.objects.visible_to(user)
        .filter(campaign=campaign)
        .select_related("community", "recorded_by")
        .prefetch_related(Prefetch("handouts", queryset=Handout.objects.order_by("kind")))
        .order_by("community__code")
    )


@dataclass
class Totals:
    """A roll-up: the materials by kind, consultations, people reached per channel."""

    communities: int = 0
    recorded: int = 0
    consultations: int = 0
    reached: dict[str, int] = field(default_factory=dict)
    materials: list[dict[str, Any]] = field(default_factory=list)

    @property
    def reached_total(self) -> int:
        return sum(self.reached.values())

    @property
    def handed_out(self) -> int:
        return sum(m["quantity"] for m in self.materials)

    @property
    def channels(self) -> list[tuple[str, int]]:
        labels = dict(Channel.choices)
        return [(str(labels[c]), self.reached.get(c, 0)) for c in Channel.values]


def totals(parts_qs: QuerySet[Part]) -> Totals:
    """Sum the outputs of the given communities' rows (two queries)."""
    agg = parts_qs.order_by().aggregate(
        n=Count("pk"),
        recorded=Count("pk", filter=Q(recorded_at__isnull=False)),
        consultations=Coalesce(Sum("consultations"), 0),
        **{c: Coalesce(Sum(col), 0) for c, col in REACHED.items()},
    )
    materials = list(
        Handout.objects.filter(part__in=parts_qs.values("pk"))
        .values("kind", "unit")
        .annotate(quantity=Sum("quantity"))
        .order_by("-quantity", "kind")
    )
    return Totals(
        communities=agg["n"],
        recorded=agg["recorded"],
        consultations=agg["consultations"],
        reached={c: agg[c] for c in REACHED},
        materials=[dict(m) for m in materials],
    )


def campaign_totals(*, user: Any, campaign: Campaign) -> Totals:
    """The roll-up over the communities the user may see of the campaign."""
    return totals(Part.objects.visible_to(user).filter(campaign=campaign))


def managed_streets(user: Any) -> QuerySet[Region]:
    """The streets the user may plan campaigns for (a street admin's own)."""
    scope = scope_for(user)
    paths = tuple(p for r, p in scope.role_paths if r == Role.STREET_ADMIN)
    if not paths:
        return Region.objects.none()
    return Region.objects.streets().filter(path_q("path", paths)).order_by("path")


def street_communities(streets: QuerySet[Region]) -> QuerySet[Region]:
    return (
        Region.objects.communities()
        .filter(parent__in=streets)
        .select_related("parent")
        .order_by("path")
    )


def linkable_events(*, user: Any, campaign: Campaign) -> QuerySet[Event]:
    """Events of the campaign's communities during its period (a week either side), not
    cancelled and not yet linked."""
    return (
        Event.objects.visible_to(user)
        .filter(
            community__in=campaign.parts.values("community"),
            starts_at__date__gte=campaign.starts_on.replace(day=1),
            starts_at__date__lte=campaign.ends_on,
        )
        .exclude(status=EventStatus.CANCELLED)
        .exclude(pk__in=campaign.events.values("pk"))
        .select_related("community")
        .order_by("starts_at", "id")
    )


def linked_events(*, user: Any, campaign: Campaign) -> list[Event]:
    return list(
        campaign.events.filter(pk__in=Event.objects.visible_to(user).values("pk"))
        .select_related("community")
        .annotate(handed_out=Coalesce(Sum("materials__quantity"), 0))
        .order_by("starts_at", "id")
    )


def export_rows(*, user: Any, campaign: Campaign) -> tuple[list[str], list[list[Any]]]:
    """The per-community figures for the Excel export: one row per community, then the
    total (the materials as one column per kind)."""
    rows = parts(user=user, campaign=campaign)
    kinds = sorted({h.kind for p in rows for h in p.handouts.all()})
    labels = dict(Channel.choices)
    header = [
        _("社区"),
        _("咨询人次"),
        *[_("%(channel)s覆盖人数") % {"channel": labels[c]} for c in Channel.values],
        _("覆盖人数合计"),
        *kinds,
        _("备注"),
    ]
    body: list[list[Any]] = []
    for p in rows:
        have = {h.kind: h.quantity for h in p.handouts.all()}
        body.append(
            [
                p.community.name,
                p.consultations,
                *[getattr(p, REACHED[c]) for c in Channel.values],
                p.reached,
                *[have.get(k, 0) for k in kinds],
                p.notes,
            ]
        )
    if body:
        sums = [sum(r[i] for r in body) for i in range(1, len(header) - 1)]
        body.append([_("合计"), *sums, ""])
    return header, body


# Headline counts --------------------------------------------------------------------------


def stats_by_street(streets) -> dict[int, dict[str, int]]:
    """`campaigns` per street for `genxi stats --json`: every campaign of the street, planned,
    running or ended (one query)."""
    return count_by_street(Campaign.objects.all(), streets, "street__path", campaigns=Q())
