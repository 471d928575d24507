"""Reads of party members' life, scoped to the viewer; the roll-ups through the party tree."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.http import Http404

from genxi.core.roles import STAFF_ROLES, Perm
from genxi.core.scope import ScopedQuerySet, get_visible_or_404, require_perm, scope_for
from genxi.core.stats import count_by_street
from genxi.orgs.models import PartyMember, PartyOrg
from genxi.stations.models import BookLoan, ReflectionStatus

from .domain.rollup import Figures, roll_up
from .models import (
    Attendance,
    AttendanceStatus,
    ContactDay,
    PracticeLink,
    StudyEntry,
    StudyReflection,
    TrainingPlan,
    TrainingSession,
)


def orgs(user: Any) -> ScopedQuerySet:
    """The party organisations whose members' life the user may see: members are personal
    data, so only the roles that see residents (the place's staff, a grid's worker)."""
    require_perm(user, Perm.VIEW_RESIDENTS)
    return PartyOrg.objects.visible_to(user).select_related("region", "parent")


def org_detail(*, user: Any, pk: int) -> PartyOrg:
    return get_visible_or_404(orgs(user), user, pk=pk)


def can_manage(user: Any, org: PartyOrg) -> bool:
    return scope_for(user).role_covers(STAFF_ROLES, org.region.path)


def _values(qs: Any) -> list[dict[str, Any]]:
    return list(qs)


def own_figures(org_ids: list[int]) -> dict[int, Figures]:
    """Each organisation's own figures (not its children's), a fixed number of queries."""
    acc: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in _values(
        PartyMember.objects.filter(org_id__in=org_ids).values("org_id").annotate(n=Count("pk"))
    ):
        acc[row["org_id"]]["members"] = row["n"]
    for row in _values(
        TrainingSession.objects.filter(plan__org_id__in=org_ids, held_at__isnull=False)
        .values("plan__org_id")
        .annotate(n=Count("pk"))
    ):
        acc[row["plan__org_id"]]["sessions_held"] = row["n"]
    present = Q(status=AttendanceStatus.PRESENT)
    for row in _values(
        Attendance.objects.filter(session__plan__org_id__in=org_ids)
        .values("session__plan__org_id")
        .annotate(
            recorded=Count("pk"),
            present=Count("pk", filter=present),
            minutes=Sum("session__minutes", filter=present),
        )
    ):
        a = acc[row["session__plan__org_id"]]
        a["recorded"] = row["recorded"]
        a["present"] = row["present"]
        a["study_minutes"] += row["minutes"] or 0
    for row in _values(
        StudyEntry.objects.filter(member__org_id__in=org_ids)
        .values("member__org_id")
        .annotate(m=Sum("minutes"))
    ):
        acc[row["member__org_id"]]["study_minutes"] += row["m"] or 0
    for row in _values(
        StudyReflection.objects.filter(member__org_id__in=org_ids, status=ReflectionStatus.APPROVED)
        .values("member__org_id")
        .annotate(n=Count("pk"))
    ):
        acc[row["member__org_id"]]["reflections"] = row["n"]
    for row in _values(
        PracticeLink.objects.filter(session__plan__org_id__in=org_ids)
        .values("session__plan__org_id")
        .annotate(n=Count("pk"))
    ):
        acc[row["session__plan__org_id"]]["practice_outputs"] = row["n"]
    return {pk: Figures(**acc[pk]) for pk in org_ids}


def rollups(user: Any) -> list[tuple[PartyOrg, Figures, int]]:
    """Every organisation the user sees, in tree order, with its figures rolled up from its
    descendants (that the user also sees), and its depth."""
    found = list(orgs(user))
    parents = {o.pk: o.parent_id for o in found}
    totals = roll_up(parents, own_figures(list(parents)))
    by_parent: dict[int | None, list[PartyOrg]] = defaultdict(list)
    for o in found:
        by_parent[o.parent_id if o.parent_id in parents else None].append(o)
    ordered: list[tuple[PartyOrg, Figures, int]] = []
    stack = [(o, 0) for o in reversed(by_parent[None])]
    while stack:
        o, depth = stack.pop()
        ordered.append((o, totals[o.pk], depth))
        stack.extend((c, depth + 1) for c in reversed(by_parent[o.pk]))
    return ordered


def org_rollup(*, user: Any, org: PartyOrg) -> Figures:
    for o, figures, _depth in rollups(user):
        if o.pk == org.pk:
            return figures
    raise Http404


def members(*, org: PartyOrg) -> QuerySet[PartyMember]:
    return (
        PartyMember.objects.filter(org=org)
        .select_related("org", "pioneer", "resident", "user")
        .order_by("id")
    )


def member_hours(*, org: PartyOrg) -> dict[int, int]:
    """Study minutes per member of the organisation."""
    minutes: dict[int, int] = defaultdict(int)
    for row in _values(
        Attendance.objects.filter(member__org=org, status=AttendanceStatus.PRESENT)
        .values("member_id")
        .annotate(m=Sum("session__minutes"))
    ):
        minutes[row["member_id"]] += row["m"] or 0
    for row in _values(
        StudyEntry.objects.filter(member__org=org).values("member_id").annotate(m=Sum("minutes"))
    ):
        minutes[row["member_id"]] += row["m"] or 0
    return dict(minutes)


def plans(*, user: Any, org: PartyOrg | None = None) -> QuerySet[TrainingPlan]:
    qs = (
        TrainingPlan.objects.visible_to(user)
        .select_related("org")
        .annotate(
            n_sessions=Count("sessions", distinct=True),
            n_held=Count("sessions", filter=Q(sessions__held_at__isnull=False), distinct=True),
        )
    )
    return qs.filter(org=org) if org is not None else qs


def plan_detail(*, user: Any, pk: int) -> TrainingPlan:
    return get_visible_or_404(TrainingPlan.objects.select_related("org__region"), user, pk=pk)


def sessions(*, plan: TrainingPlan) -> QuerySet[TrainingSession]:
    return plan.sessions.annotate(
        n_present=Count("attendance", filter=Q(attendance__status=AttendanceStatus.PRESENT)),
        n_recorded=Count("attendance"),
    ).order_by("starts_at", "id")


def session_detail(*, user: Any, pk: int) -> TrainingSession:
    return get_visible_or_404(
        TrainingSession.objects.select_related("plan__org__region"), user, pk=pk
    )


def attendance_marks(*, session: TrainingSession) -> dict[int, str]:
    return dict(session.attendance.values_list("member_id", "status"))


def session_loans(*, user: Any, session: TrainingSession) -> QuerySet[BookLoan]:
    """The stations' loans of the session's books (their own records, not a copy)."""
    return (
        BookLoan.objects.visible_to(user)
        .filter(copy__book__in=session.books.all())
        .select_related("copy__book")
        .order_by("-lent_at")[:20]
    )


def reflections(
    *, user: Any, org: PartyOrg | None = None, session: TrainingSession | None = None
) -> QuerySet[StudyReflection]:
    qs = StudyReflection.objects.visible_to(user).select_related("member", "session")
    if org is not None:
        qs = qs.filter(member__org=org)
    if session is not None:
        qs = qs.filter(session=session)
    return qs


def contact_days(*, user: Any, org: PartyOrg | None = None) -> QuerySet[ContactDay]:
    qs = ContactDay.objects.visible_to(user).select_related("community", "member", "org")
    return qs.filter(org=org) if org is not None else qs.annotate(n_notes=Count("notes"))


def contact_day_detail(*, user: Any, pk: int) -> ContactDay:
    return get_visible_or_404(
        ContactDay.objects.select_related("community", "member__org__region", "org"), user, pk=pk
    )


def memberships_of(
    *, user: Any, pioneer: Any = None, resident: Any = None
) -> QuerySet[PartyMember]:
    """The party memberships (that the user sees) of one person, by their pioneer or
    resident record: the pioneer's page and the resident's page show the same member."""
    qs = PartyMember.objects.visible_to(user).select_related("org")
    if pioneer is not None:
        return qs.filter(pioneer=pioneer)
    return qs.filter(resident=resident)


def stats_by_street(streets) -> dict[int, dict[str, float]]:
    """Per street: party members, training sessions held and study hours (one query each)."""
    streets = list(streets)
    counts: dict[int, dict[str, float]] = {
        pk: dict(v)
        for pk, v in count_by_street(
            PartyMember.objects.all(), streets, "org__region__path", party_members=Q()
        ).items()
    }
    for pk, v in count_by_street(
        TrainingSession.objects.all(),
        streets,
        "plan__org__region__path",
        training_sessions=Q(held_at__isnull=False),
    ).items():
        counts[pk].update(v)
    minutes = dict.fromkeys([s.pk for s in streets], 0)
    attended = Attendance.objects.filter(status=AttendanceStatus.PRESENT)
    if streets:
        agg = attended.aggregate(
            **{
                f"a{i}": Sum(
                    "session__minutes",
                    filter=Q(session__plan__org__region__path__startswith=s.path),
                )
                for i, s in enumerate(streets)
            }
        )
        own = StudyEntry.objects.aggregate(
            **{
                f"e{i}": Sum("minutes", filter=Q(member__org__region__path__startswith=s.path))
                for i, s in enumerate(streets)
            }
        )
        for i, s in enumerate(streets):
            minutes[s.pk] = (agg[f"a{i}"] or 0) + (own[f"e{i}"] or 0)
    for pk, m in minutes.items():
        counts.setdefault(pk, {})["study_hours"] = round(m / 60, 1)
    return counts
