"""Reads of co-building."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Avg, Count, Min, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from genxi.cases.models import Case
from genxi.core.models import AuditEvent
from genxi.core.pii import mask_text
from genxi.core.roles import INTAKE_ROLES, STAFF_ROLES
from genxi.core.scope import scope_for
from genxi.core.stats import count_by_street
from genxi.core.workbench import WorkCount
from genxi.orgs.models import PartnerUnit
from genxi.people.models import Resident
from genxi.regions.domain.codes import ancestor_paths
from genxi.regions.models import Level, Region

from .domain.scoring import NeedInfo, ResourceInfo, score_matrix
from .models import (
    Claim,
    ClaimStatus,
    Evaluation,
    Kind,
    MatchRejection,
    Meeting,
    MeetingStatus,
    Need,
    NeedStatus,
    Project,
    ProjectStatus,
    Resolution,
    Resource,
    ServiceOffer,
    Stage,
    Tier,
)

# A unit's claim waiting for the community, or a proposal waiting for the unit: both hold
# part of the need.
WAITING = (ClaimStatus.PENDING, ClaimStatus.PROPOSED)


def need_list(
    *, user: Any, status: str = "", kind: str = "", q: str = "", claims: str = ""
) -> QuerySet[Need]:
    """Needs the user may see; `claims="pending"` keeps those with a claim to review."""
    qs = Need.objects.visible_to(user).select_related("community", "community__parent")
    if claims == ClaimStatus.PENDING:
        qs = qs.filter(pk__in=Claim.objects.filter(status=ClaimStatus.PENDING).values("need_id"))
    if status:
        qs = qs.filter(status=status)
    if kind:
        qs = qs.filter(kind=kind)
    if q:
        qs = qs.filter(title__icontains=q)
    return qs.order_by("-created_at", "-id")


def resource_list(*, user: Any, kind: str = "") -> QuerySet[Resource]:
    qs = Resource.objects.visible_to(user).filter(active=True).select_related("unit")
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("unit__name", "kind", "id")


def unit_resources(*, user: Any, unit_ids) -> QuerySet[Resource]:
    """The active resources of these units; each names its unit (`str(resource)`)."""
    return (
        Resource.objects.visible_to(user)
        .filter(unit_id__in=unit_ids, active=True)
        .select_related("unit")
    )


def suggested_matches(*, user: Any, unit_ids=None) -> list[dict]:
    """The optimal assignment of the visible open needs to the visible resources, each with
    the parts of its score. With `unit_ids`, only those units' resources take part."""
    needs = list(
        Need.objects.visible_to(user)
        .filter(status=NeedStatus.OPEN)
        .select_related("community")
        .annotate(pending=Sum("claims__quantity", filter=Q(claims__status__in=WAITING)))
    )
    visible = Resource.objects.visible_to(user).filter(active=True).select_related("unit")
    if unit_ids is not None:
        visible = visible.filter(unit_id__in=unit_ids)
    resources = list(visible)
    need_infos = [
        NeedInfo(
            str(n.pk),
            max(n.quantity - n.filled - (n.pending or 0), 0),
            n.kind,
            f"{n.title} {n.description}",
            n.community.center_lat,
            n.community.center_lon,
            n.start,
            n.end,
        )
        for n in needs
    ]
    resource_infos = [
        ResourceInfo(
            str(r.pk),
            r.capacity,
            frozenset([r.kind]),
            r.description,
            r.lat,
            r.lon,
            r.radius_m,
            r.start,
            r.end,
        )
        for r in resources
    ]
    # Turned down by the staff or declined by the unit, or proposed and waiting: not again.
    waiting = (
        Claim.objects.filter(status=ClaimStatus.PROPOSED, need__isnull=False)
        .exclude(resource=None)
        .order_by()
        .values_list("need_id", "resource_id")
    )
    pairs = MatchRejection.objects.order_by().values_list("need_id", "resource_id")
    turned_down = {(str(a), str(b)) for a, b in pairs.union(waiting)}
    result = score_matrix(need_infos, resource_infos).without(turned_down).solve()
    need_by_id = {str(n.pk): n for n in needs}
    resource_by_id = {str(r.pk): r for r in resources}
    return sorted(
        (
            {
                "need": need_by_id[a.need],
                "resource": resource_by_id[a.resource],
                "quantity": a.quantity,
                "score": a.score,
                "parts": a.parts,
            }
            for a in result.assignments
        ),
        key=lambda m: -m["score"],
    )


def proposals(*, user: Any, statuses: tuple[str, ...] = (ClaimStatus.PROPOSED,)) -> QuerySet[Claim]:
    """Matches proposed to units: to a liaison, those to its units; to the staff, those
    made to their communities; waiting for the unit (by default) or in `statuses`."""
    return (
        Claim.objects.visible_to(user)
        .filter(status__in=statuses, proposed_by__isnull=False)
        .select_related("need", "community", "unit", "resource", "proposed_by")
        .order_by("-updated_at", "-id")
    )


def turned_down(*, user: Any, unit_ids) -> QuerySet[Claim]:
    """These units' claims the communities did not approve, with their reasons, newest
    first: what the liaison reads on its page of matches."""
    return (
        Claim.objects.visible_to(user)
        .filter(unit_id__in=unit_ids, status=ClaimStatus.REJECTED)
        .select_related("need", "project", "slot__service", "community")
        .order_by("-updated_at", "-id")
    )


def unit_liaisons(unit) -> QuerySet:
    """The active accounts that act for a partner unit (its liaisons)."""
    return (
        get_user_model()
        .objects.filter(memberships__unit=unit, memberships__active=True, is_active=True)
        .distinct()
        .order_by("pk")
    )


def contributions(*, user: Any, unit=None, community=None) -> QuerySet[Claim]:
    """Approved and delivered claims of a unit, or received by a community, newest first."""
    qs = Claim.objects.visible_to(user).filter(
        status__in=[ClaimStatus.APPROVED, ClaimStatus.DELIVERED]
    )
    if unit is not None:
        qs = qs.filter(unit=unit)
    if community is not None:
        qs = qs.filter(community=community)
    return qs.select_related("need", "project", "slot__service", "community", "unit").order_by(
        "-created_at", "-id"
    )


def monthly(claims, months: int = 12) -> tuple[list[dict], list[dict]]:
    """What was delivered month by month (the last `months` months with any delivery):
    columns are (kind, unit of measure); each row a month with its amounts and people."""
    rows = (
        claims.filter(status=ClaimStatus.DELIVERED, delivered_at__isnull=False)
        .order_by()
        .annotate(month=TruncMonth("delivered_at"))
        .values("month", "kind", "unit_label")
        .annotate(amount=Sum("delivered_amount"), served=Sum("beneficiaries_served"))
        .order_by("-month")
    )
    labels = dict(Kind.choices)
    columns: dict[tuple[str, str], dict] = {}
    by_month: dict = {}
    for r in rows:
        key = (r["kind"], r["unit_label"])
        columns.setdefault(
            key, {"key": key, "label": labels.get(r["kind"], r["kind"]), "unit": r["unit_label"]}
        )
        month = by_month.setdefault(r["month"], {"month": r["month"], "amounts": {}, "served": 0})
        month["amounts"][key] = r["amount"] or 0
        month["served"] += r["served"] or 0
    ordered = sorted(columns.values(), key=lambda c: (c["label"], c["unit"]))
    months_list = sorted(by_month.values(), key=lambda m: m["month"], reverse=True)[:months]
    for m in months_list:
        m["cells"] = [m["amounts"].get(c["key"], 0) for c in ordered]
    return ordered, months_list


def totals(claims) -> list[dict]:
    """Delivered amounts summed by kind and unit of measure, with the people served."""
    rows = (
        claims.order_by()
        .values("kind", "unit_label")
        .annotate(
            delivered=Sum("delivered_amount"),
            served=Sum("beneficiaries_served"),
            claims=Count("id"),
        )
        .order_by("kind", "unit_label")
    )
    labels = dict(Kind.choices)
    return [dict(r, kind_label=labels.get(r["kind"], r["kind"])) for r in rows]


# Projects, services, meetings -------------------------------------------------------------


def project_list(*, user: Any, status: str = "", q: str = "", tier: str = "") -> QuerySet:
    live = Q(claims__status__in=[ClaimStatus.APPROVED, ClaimStatus.DELIVERED])
    qs = (
        Project.objects.visible_to(user)
        .select_related("community", "parent")
        .annotate(
            units=Count("claims__unit", filter=live, distinct=True),
            delivered=Sum("claims__delivered_amount", filter=live),
        )
    )
    if status:
        qs = qs.filter(status=status)
    if tier:
        qs = qs.filter(tier=tier)
    if q:
        qs = qs.filter(title__icontains=q)
    return qs.order_by("-created_at", "-id")


def project_parts(project: Project) -> dict[str, Any]:
    """What a project's page shows besides its claims: sub-projects, milestones, spending
    (with the total) and photos."""
    spendings = list(project.spendings.all())
    return {
        "children": list(project.children.select_related("community").order_by("title")),
        "milestones": list(project.milestones.all()),
        "spendings": spendings,
        "spent": sum(s.amount for s in spendings),
        "photos": list(project.photos.all()),
    }


def street_projects(user: Any) -> QuerySet:
    """The street projects a sub-project may be put under."""
    return Project.objects.visible_to(user).filter(tier=Tier.STREET).order_by("title")


def proposal_communities(user: Any) -> QuerySet:
    """The communities a signed-in pioneer (grid worker) or staff member may propose a
    micro-project for: those over its grids, and those under its places."""
    scope = scope_for(user)
    paths = [p for role, p in scope.role_paths if role in INTAKE_ROLES]
    if not paths:
        return Region.objects.none()
    q = Q(pk__in=[])
    for path in paths:
        q |= Q(path__startswith=path) | Q(path__in=ancestor_paths(path))
    return Region.objects.filter(q, level=Level.COMMUNITY).order_by("code")


def staff_places(user: Any):
    """The streets and communities a staff member may lead a project in."""
    if not scope_for(user).roles & STAFF_ROLES:
        return []
    return (
        Region.objects.visible_to(user)
        .filter(level__in=[Level.STREET, Level.COMMUNITY])
        .order_by("code")
    )


def target_claims(*, user: Any, **target: Any) -> QuerySet[Claim]:
    """The claims on one need, project or slot (by keyword) that the user may see."""
    return (
        Claim.objects.visible_to(user)
        .filter(**target)
        .select_related("unit", "resource", "community", "slot")
        .prefetch_related("photos")
        .order_by("created_at", "id")
    )


def service_list(*, user: Any, kind: str = "") -> QuerySet:
    today = timezone.localdate()
    upcoming = Q(slots__date__gte=today, slots__cancelled=False)
    qs = (
        ServiceOffer.objects.visible_to(user)
        .filter(active=True)
        .select_related("community", "unit")
        .annotate(
            next_date=Min("slots__date", filter=upcoming),
            open_slots=Count("slots", filter=upcoming & Q(slots__unit__isnull=True)),
        )
    )
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("community__code", "weekday", "start_time")


def service_slots(*, service, days_back: int = 30) -> QuerySet:
    since = timezone.localdate() - timedelta(days=days_back)
    return service.slots.filter(date__gte=since).select_related("unit").order_by("date")


def meeting_list(*, user: Any, status: str = "") -> QuerySet:
    qs = (
        Meeting.objects.visible_to(user)
        .select_related("host")
        .annotate(n_resolutions=Count("resolutions", distinct=True))
    )
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("-starts_at", "-id")


def meeting_cases(*, user: Any, meeting, days: int = 60) -> QuerySet:
    """Recent open cases in the host's area, to link as residents' opinions."""
    since = meeting.starts_at - timedelta(days=days)
    return (
        Case.objects.visible_to(user)
        .filter(region__path__startswith=meeting.host.path, created_at__gte=since)
        .exclude(state__in=["merged", "rejected"])
        .order_by("-created_at")[:50]
    )


def meeting_invitees(*, user: Any, meeting) -> list:
    """The meeting's invitees, each resident representative's name (`resident_name`) in
    full only for a viewer who may see that resident; an invited unit's liaison, a
    department officer or the system admin sees it masked ("王**"), not who it is."""
    invitees = list(meeting.invitees.select_related("unit", "resident").order_by("id"))
    ids = [i.resident_id for i in invitees if i.resident_id]
    seen = set(
        Resident.objects.visible_to(user).filter(pk__in=ids).values_list("pk", flat=True)
        if ids
        else ()
    )
    for i in invitees:
        if i.resident_id is not None:
            name = i.resident.name
            i.resident_name = name if i.resident_id in seen else mask_text(name)
    return invitees


def meeting_opinions(*, user: Any, meeting) -> list[dict]:
    """The residents' opinions heard for a meeting, for the page and the API.

    The staff over the host see who said it (the case, its reporter). Anyone else who sees
    the meeting — an invited unit's liaison — gets the substance only: no case code (it
    opens the case and identifies the report), no reporter, and the reporter's name masked
    where the case's title repeats it (docs/security.md, "Opinions at joint meetings").
    """
    staff = scope_for(user).role_covers(STAFF_ROLES, meeting.host.path)
    rows = []
    for opinion in meeting.opinions.select_related("case", "case__reporter"):
        case = opinion.case
        text, names = (case.title, {case.reporter_name}) if case else ("", set())
        if case and case.reporter_id:
            names.add(case.reporter.name)
        names.discard("")
        if staff:
            code = case.code if case else None
            reporter = (case.reporter_name or case.reporter.name) if names else None
        else:
            code = reporter = None
            for name in (n for n in names if len(n) >= 2):
                text = text.replace(name, mask_text(name))
        rows.append(
            {"id": opinion.pk, "text": text, "note": opinion.note, "case_code": code,
             "reporter": reporter}
        )  # fmt: skip
    return rows


def unfinished_items(*, user: Any = None, host=None, before=None) -> QuerySet:
    """Action items not finished yet — of the meetings `user` may see, of one `host`'s
    meetings, of meetings before a moment (for the next agenda); cancelled meetings'
    items do not count (they have none to carry)."""
    qs = Resolution.objects.unfinished().exclude(meeting__status=MeetingStatus.CANCELLED)
    if user is not None:
        qs = qs.visible_to(user)
    if host is not None:
        qs = qs.filter(meeting__host=host)
    if before is not None:
        qs = qs.filter(meeting__starts_at__lt=before)
    return qs.select_related("meeting", "owner", "community", "need", "project", "case").order_by(
        "deadline", "id"
    )


def staff_over(region) -> QuerySet:
    """The staff (community workers, street admins) who act for `region`: who may own a
    meeting's action item there."""
    return (
        get_user_model()
        .objects.filter(
            memberships__active=True,
            memberships__role__in=STAFF_ROLES,
            memberships__region__path__startswith=region.path,
        )
        .distinct()
        .order_by("username")
    )


def units_paired_under(*, user: Any, region) -> QuerySet:
    """The units paired with the communities under `region`: a meeting's default guests."""
    return (
        PartnerUnit.objects.visible_to(user)
        .filter(pairings__community__path__startswith=region.path)
        .distinct()
        .order_by("name")
    )


def residents_under(*, user: Any, region, limit: int = 30) -> QuerySet:
    """Residents of `region` the user may see, to invite as representatives."""
    return (
        Resident.objects.visible_to(user)
        .filter(grid__path__startswith=region.path)
        .order_by("id")[:limit]
    )


def staff_communities(user: Any):
    """The communities a staff member may post needs, projects and services for."""
    if not scope_for(user).roles & STAFF_ROLES:
        return []
    return Region.objects.visible_to(user).communities().order_by("code")


def work_counts(user: Any) -> list[WorkCount]:
    """The co-building part of the workbench (`core.workbench`): for a place's staff, the
    needs with claims to review, unfinished action items and meetings to hold; for a
    partner unit's liaison, the needs open to claim and its meetings."""
    scope = scope_for(user)
    staff = bool(scope.roles & STAFF_ROLES)
    liaison = bool(scope.unit_ids)
    if not (staff or liaison):
        return []
    needs, meetings = reverse("cobuild:needs"), reverse("cobuild:meetings")
    items = []
    if staff:
        pending = need_list(user=user, claims=ClaimStatus.PENDING).count()
        items.append(
            WorkCount("cobuild.claims", _("认领待审核"), pending, f"{needs}?claims=pending")
        )
        unfinished = unfinished_items(user=user).count()
        items.append(
            WorkCount(
                "cobuild.resolutions", _("未完成的决议事项"), unfinished, f"{meetings}#open-items"
            )
        )
    if liaison:
        proposed = proposals(user=user).filter(unit_id__in=scope.unit_ids).count()
        items.append(
            WorkCount(
                "cobuild.proposals",
                _("待确认的对接"),
                proposed,
                reverse("cobuild:matches") + "#proposals",
            )
        )
        open_needs = need_list(user=user, status=NeedStatus.OPEN).count()
        items.append(
            WorkCount("cobuild.open_needs", _("可认领的需求"), open_needs, f"{needs}?status=open")
        )
    scheduled = meeting_list(user=user, status=MeetingStatus.SCHEDULED).count()
    items.append(
        WorkCount("cobuild.meetings", _("待召开的会议"), scheduled, f"{meetings}?status=scheduled")
    )
    return items


def meetings_held_by(user_id: int) -> QuerySet[Meeting]:
    """The co-building meetings a person convened (scheduled) or recorded that were held,
    newest first: the record of their work that cadre development shows on a cadre's page
    (cadres.selectors). No scope applies: the caller decided the viewer may see it."""
    ids = AuditEvent.objects.filter(
        actor_id=user_id, verb__in=("meeting.create", "meeting.record")
    ).values_list("target_id", flat=True)
    keys = sorted({int(i) for i in ids if i.isdigit()})
    return (
        Meeting.objects.filter(pk__in=keys, status=MeetingStatus.HELD)
        .select_related("host")
        .order_by("-starts_at", "-id")
    )


def ranking(*, user: Any, period: str, tier: str = "", community: Any = None) -> QuerySet:
    """The evaluations of a round that the street has reviewed (已评定), best first: the
    ranking per tier (`tier`) and per community (`community`)."""
    qs = (
        Evaluation.objects.visible_to(user)
        .filter(period=period, stage=Stage.DONE)
        .select_related("project__community", "version__standard")
    )
    if tier:
        qs = qs.filter(project__tier=tier)
    if community is not None:
        qs = qs.filter(project__community__path__startswith=community.path)
    return qs.order_by("-total", "project__title")


def ranking_by_community(*, user: Any, period: str) -> list[dict[str, Any]]:
    """Per community: how many of its projects were rated in the round and their average
    total, best average first (street projects have no community and are left out)."""
    rows = (
        ranking(user=user, period=period)
        .exclude(project__tier=Tier.STREET)
        .values("project__community__name", "project__community__code")
        .annotate(projects=Count("pk"), average=Avg("total"))
        .order_by("-average", "project__community__code")
    )
    return [
        {
            "community": r["project__community__name"],
            "projects": r["projects"],
            "average": round(r["average"], 1),
        }
        for r in rows
    ]


def periods(user: Any) -> list[str]:
    """The evaluation rounds the user can see, newest first."""
    return list(
        Evaluation.objects.visible_to(user)
        .order_by("-period")
        .values_list("period", flat=True)
        .distinct()
    )


STAGES = (Stage.SELF, Stage.COMMUNITY, Stage.STREET)


def scorecard(evaluation: Evaluation) -> list[dict[str, Any]]:
    """One row per criterion of the evaluation's standard version, with each stage's
    score and evidence, and the evidence photos."""
    criteria = list(evaluation.version.criteria.all())
    scores: dict[tuple[int, str], Any] = {
        (s.criterion_id, s.stage): s for s in evaluation.scores.select_related("by")
    }
    photos: dict[int, list] = {}
    for p in evaluation.photos.all():
        photos.setdefault(p.criterion_id, []).append(p)
    return [
        {
            "criterion": c,
            "stages": [
                scores.get((c.pk, stage)) for stage in (Stage.SELF, Stage.COMMUNITY, Stage.STREET)
            ],
            "photos": photos.get(c.pk, []),
        }
        for c in criteria
    ]


def stats_by_street(streets) -> dict[int, dict[str, Any]]:
    """`service_projects` per street for `genxi stats --json`: the projects of each tier
    under the street (`{"street": n, "community": n, "micro": n}`), counting those that
    run or ran — not proposals still waiting for a decision, nor declined ones. One query
    for all the streets (core.stats.count_by_street)."""
    counted = Project.objects.exclude(status__in=[ProjectStatus.PROPOSED, ProjectStatus.DECLINED])
    per_tier = count_by_street(
        counted, streets, "community__path", **{t: Q(tier=t) for t in Tier.values}
    )
    return {pk: {"service_projects": tiers} for pk, tiers in per_tier.items()}
