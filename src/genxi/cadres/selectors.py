"""Reads of cadre development: the organisation office's lists, a cadre's record (with the
cases handled and meetings held from the rest of genxi), a round's scoring sheet and
ranking, the headline counts and the workbench."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.urls import reverse
from django.utils.translation import gettext as _

from genxi.cases.selectors import cases_handled_by
from genxi.cobuild.models import Project
from genxi.cobuild.selectors import meetings_held_by
from genxi.core.roles import Role
from genxi.core.scope import path_q, scope_for
from genxi.core.workbench import WorkCount
from genxi.regions.models import Level, Region

from .domain import assessment
from .models import (
    AssessmentRound,
    Attendance,
    Cadre,
    Certificate,
    Commendation,
    Course,
    Posting,
    Programme,
    Result,
    RoundStatus,
    Score,
    ScorerKind,
)
from .services import compute_results, round_scheme

RECORD_ROWS = 10  # the cases and meetings shown on a record


def office_paths(user: Any) -> tuple[str, ...]:
    return tuple(p for r, p in scope_for(user).role_paths if r == Role.ORG_OFFICE)


def office_streets(user: Any) -> QuerySet[Region]:
    """The streets the user is the organisation office of."""
    paths = office_paths(user)
    return Region.objects.streets().filter(path_q("path", paths)).order_by("path")


def office_units(user: Any) -> QuerySet[Region]:
    """The streets and communities whose cadres the user keeps."""
    paths = office_paths(user)
    return (
        Region.objects.filter(level__in=[Level.STREET, Level.COMMUNITY])
        .filter(path_q("path", paths))
        .order_by("path")
    )


def office_places(user: Any) -> QuerySet[Region]:
    """Communities and grids under the office's streets (postings go there)."""
    return (
        Region.objects.filter(level__in=[Level.COMMUNITY, Level.GRID])
        .filter(path_q("path", office_paths(user)))
        .select_related("parent")
        .order_by("path")
    )


def office_projects(user: Any) -> QuerySet[Project]:
    return (
        Project.objects.filter(path_q("community__path", office_paths(user)))
        .select_related("community")
        .order_by("-id")
    )


def is_office(user: Any) -> bool:
    return bool(office_paths(user))


def cadre_list(*, user: Any, unit: str = "", q: str = "", active: str = "") -> QuerySet[Cadre]:
    qs = (
        Cadre.objects.visible_to(user)
        .filter(path_q("unit__path", office_paths(user)))
        .select_related("unit", "unit__parent")
        .annotate(
            training_hours=Sum("attendances__course__hours"),
        )
    )
    if unit:
        qs = qs.filter(unit__code=unit)
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(post__icontains=q))
    if active in ("1", "0"):
        qs = qs.filter(active=active == "1")
    return qs.order_by("unit__path", "name", "id")


def training_hours(cadre: Cadre) -> Decimal:
    total = Attendance.objects.filter(cadre=cadre).aggregate(h=Sum("course__hours"))["h"]
    return total or Decimal(0)


@dataclass
class Record:
    """Everything on a cadre's record page."""

    posts: list[Any]
    attended: list[Any]
    hours: Decimal
    certificates: list[Any]
    postings: list[Any]
    results: list[Any]
    commendations: list[Any]
    cases: list[Any]
    cases_count: int
    meetings: list[Any]
    meetings_count: int


def cadre_record(cadre: Cadre) -> Record:
    """The cadre's record. Cases and meetings come from the cadre's linked account: the
    cases he handled (主办) and the co-building meetings he convened that were held."""
    attended = list(
        Attendance.objects.filter(cadre=cadre)
        .select_related("course", "course__programme")
        .order_by("-course__day")
    )
    cases, cases_count, meetings, meetings_count = [], 0, [], 0
    if cadre.user_id is not None:
        handled = cases_handled_by(cadre.user_id)
        cases_count = handled.count()
        cases = list(handled[:RECORD_ROWS])
        held = meetings_held_by(cadre.user_id)
        meetings_count = held.count()
        meetings = list(held[:RECORD_ROWS])
    return Record(
        posts=list(cadre.posts.select_related("unit").all()),
        attended=attended,
        hours=sum((a.course.hours for a in attended), Decimal(0)),
        certificates=list(Certificate.objects.filter(cadre=cadre).select_related("programme")),
        postings=list(
            Posting.objects.filter(cadre=cadre).select_related(
                "place", "place__parent", "project", "case"
            )
        ),
        results=list(
            Result.objects.filter(cadre=cadre).select_related("round").order_by("-round__id")
        ),
        commendations=list(Commendation.objects.filter(cadre=cadre)),
        cases=cases,
        cases_count=cases_count,
        meetings=meetings,
        meetings_count=meetings_count,
    )


def programme_list(*, user: Any) -> QuerySet[Programme]:
    return (
        Programme.objects.visible_to(user)
        .select_related("street")
        .annotate(
            course_count=Count("courses", distinct=True),
            hours=Sum("courses__hours"),
        )
        .order_by("-starts", "-id")
    )


def programme_courses(programme: Programme) -> list[Course]:
    return list(
        programme.courses.prefetch_related(
            Prefetch("attendances", queryset=Attendance.objects.select_related("cadre"))
        ).order_by("day", "id")
    )


def street_cadres(street: Region) -> QuerySet[Cadre]:
    return (
        Cadre.objects.filter(unit__path__startswith=street.path, active=True)
        .select_related("unit")
        .order_by("unit__path", "name")
    )


def round_list(*, user: Any) -> QuerySet[AssessmentRound]:
    return (
        AssessmentRound.objects.visible_to(user)
        .select_related("street")
        .annotate(participants=Count("cadres", distinct=True))
        .order_by("-created_at", "-id")
    )


@dataclass
class SheetRow:
    cadre: Cadre
    scored: int
    total: Decimal | None
    complete: bool


def round_sheet(round_: AssessmentRound) -> tuple[assessment.Scheme, list[SheetRow], int]:
    """The participants with how many scores each has and (while open) the provisional
    result; and the number of scores a cadre needs to be complete."""
    scheme = round_scheme(round_)
    cadres = list(round_.cadres.select_related("unit").order_by("unit__path", "name", "id"))
    counts = dict(
        Score.objects.filter(round=round_)
        .values_list("cadre_id")
        .annotate(n=Count("id"))
        .values_list("cadre_id", "n")
    )
    results = dict(compute_results(round_)) if round_.status == RoundStatus.OPEN else {}
    needed = len(scheme.dimensions) * sum(1 for w in scheme.scorers.values() if w > 0)
    rows = [
        SheetRow(
            cadre=c,
            scored=counts.get(c.pk, 0),
            total=results[c.pk].total if c.pk in results else None,
            complete=results[c.pk].complete if c.pk in results else False,
        )
        for c in cadres
    ]
    return scheme, rows, needed


def ranking(round_: AssessmentRound) -> QuerySet[Result]:
    return (
        Result.objects.filter(round=round_)
        .select_related("cadre", "cadre__unit")
        .order_by("rank", "cadre__name", "cadre_id")
    )


def cadre_scores(round_: AssessmentRound, cadre: Cadre) -> dict[tuple[str, str], Score]:
    return {(s.scorer, s.dimension): s for s in Score.objects.filter(round=round_, cadre=cadre)}


SCORER_LABELS = dict(ScorerKind.choices)


def stats_by_street(streets) -> dict[int, dict[str, Any]]:
    """`cadres` (in post), `training_hours` (attended, all time) and `assessment_rounds`
    per street: one query for each of the three, whatever the number of streets."""
    streets = list(streets)
    if not streets:
        return {}
    cadre_cols = {
        f"c{i}": Count("pk", filter=Q(unit__path__startswith=s.path, active=True))
        for i, s in enumerate(streets)
    }
    hour_cols = {
        f"h{i}": Sum("course__hours", filter=Q(cadre__unit__path__startswith=s.path))
        for i, s in enumerate(streets)
    }
    round_cols = {
        f"r{i}": Count("pk", filter=Q(street__path__startswith=s.path))
        for i, s in enumerate(streets)
    }
    cadres = Cadre.objects.order_by().aggregate(**cadre_cols)
    hours = Attendance.objects.order_by().aggregate(**hour_cols)
    rounds = AssessmentRound.objects.order_by().aggregate(**round_cols)
    return {
        s.pk: {
            "cadres": cadres[f"c{i}"],
            "training_hours": float(hours[f"h{i}"] or 0),
            "assessment_rounds": rounds[f"r{i}"],
        }
        for i, s in enumerate(streets)
    }


def work_counts(user: Any) -> list[WorkCount]:
    """For the organisation office: the rounds open for scoring, linked to the rounds."""
    if not is_office(user):
        return []
    open_rounds = AssessmentRound.objects.visible_to(user).filter(status=RoundStatus.OPEN).count()
    url = reverse("cadres:rounds") + "?status=open"
    return [WorkCount("cadres.rounds_open", _("评分中的考核"), open_rounds, url)]


def street_cadres_of(streets: QuerySet[Region]) -> QuerySet[Cadre]:
    """The cadres in post in any of these streets."""
    paths = tuple(streets.values_list("path", flat=True))
    return (
        Cadre.objects.filter(path_q("unit__path", paths), active=True)
        .select_related("unit")
        .order_by("unit__path", "name")
    )
