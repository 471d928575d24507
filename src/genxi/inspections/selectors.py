"""Reads of inspections, already scoped to the viewer: lists of rounds, targets and notices,
a round's figures (its summary sentence, pass rate per item), a target's history, the
headline counts per street and the workbench's open and overdue notices."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Model, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from genxi.cases.models import Channel
from genxi.core import related
from genxi.core.roles import STAFF_ROLES, Role
from genxi.core.scope import scope_for
from genxi.core.workbench import WorkCount
from genxi.people.models import Membership, User
from genxi.regions.domain.codes import ancestor_paths
from genxi.regions.models import Region

from .domain.rules import Overall, overall, pass_rate
from .models import (
    MEASURE,
    Answer,
    ChecklistTemplate,
    Inspection,
    InspectionState,
    Notice,
    NoticeItem,
    NoticeState,
    Result,
    Round,
    RoundMember,
    Target,
    TargetKind,
)


def round_list(*, user: Any, state: str = "", q: str = "") -> QuerySet[Round]:
    rounds = Round.objects.visible_to(user).select_related("street", "version__template")
    if state:
        rounds = rounds.filter(state=state)
    if q:
        rounds = rounds.filter(title__icontains=q)
    return rounds.annotate(
        n_targets=Count("inspections", filter=Q(inspections__reinspects__isnull=True)),
        n_done=Count(
            "inspections",
            filter=Q(inspections__reinspects__isnull=True, inspections__state=InspectionState.DONE),
        ),
    ).order_by("-starts_on", "-id")


def target_list(*, user: Any, kind: str = "", community: str = "", q: str = "") -> QuerySet[Target]:
    targets = Target.objects.visible_to(user).select_related("community", "grid", "grid__parent")
    if kind:
        targets = targets.filter(kind=kind)
    if community:
        targets = targets.filter(Q(community__code=community) | Q(grid__code=community))
    if q:
        targets = targets.filter(name__icontains=q)
    return targets.annotate(
        n_notices=Count("notices", distinct=True),
    ).order_by("community__path", "name")


def notice_list(*, user: Any, state: str = "", overdue: bool = False) -> QuerySet[Notice]:
    notices = Notice.objects.visible_to(user).select_related(
        "target", "target__community", "street", "case"
    )
    if state:
        notices = notices.filter(state=state)
    if overdue:
        notices = notices.filter(state=NoticeState.OPEN, due_at__lte=timezone.now())
    return notices.order_by("-year", "-seq")


def inspections_of(round_: Round) -> QuerySet[Inspection]:
    return (
        Inspection.objects.filter(round=round_)
        .select_related("target", "target__community", "reinspects", "inspector")
        .order_by("reinspects_id", "target__name", "id")
    )


def answers_of(inspection: Inspection) -> dict[int, Answer]:
    return {
        a.item_id: a
        for a in Answer.objects.filter(inspection=inspection).prefetch_related("photos")
    }


def notice_items(notice: Notice) -> QuerySet[NoticeItem]:
    return (
        NoticeItem.objects.filter(notice=notice).select_related("item").order_by("item__position")
    )


def team_of(round_: Round) -> QuerySet[RoundMember]:
    return RoundMember.objects.filter(round=round_).select_related("user").order_by("role", "id")


def target_history(target: Target) -> tuple[QuerySet[Inspection], QuerySet[Notice]]:
    inspections = (
        Inspection.objects.filter(target=target)
        .select_related("round", "reinspects")
        .order_by("-round__starts_on", "-id")
    )
    notices = Notice.objects.filter(target=target).select_related("case").order_by("-year", "-seq")
    return inspections, notices


# A round's figures ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ItemRate:
    position: int
    text: str
    passed: int
    failed: int
    na: int

    @property
    def rate(self) -> float | None:
        return pass_rate(self.passed, self.failed)

    @property
    def percent(self) -> str:
        rate = self.rate
        return "—" if rate is None else f"{rate:.0%}"


def item_rates(round_: Round) -> list[ItemRate]:
    """Each checklist item's results over the round's first inspections (one query)."""
    rows = (
        Answer.objects.filter(inspection__round=round_, inspection__reinspects__isnull=True)
        .values("item__position", "item__text")
        .annotate(
            passed=Count("pk", filter=Q(result=Result.PASS)),
            failed=Count("pk", filter=Q(result=Result.FAIL)),
            na=Count("pk", filter=Q(result=Result.NA)),
        )
        .order_by("item__position")
    )
    return [
        ItemRate(r["item__position"], r["item__text"], r["passed"], r["failed"], r["na"])
        for r in rows
    ]


@dataclass(frozen=True)
class RoundFigures:
    targets: int
    done: int
    problems: int
    fixed_on_spot: int
    notices: int
    passed: int
    failed: int

    @property
    def pass_rate(self) -> str:
        rate = pass_rate(self.passed, self.failed)
        return "—" if rate is None else f"{rate:.0%}"


def round_figures(round_: Round) -> RoundFigures:
    first = Inspection.objects.filter(round=round_, reinspects__isnull=True)
    answers = Answer.objects.filter(inspection__in=first.filter(state=InspectionState.DONE))
    counts = answers.aggregate(
        failed=Count("pk", filter=Q(result=Result.FAIL)),
        passed=Count("pk", filter=Q(result=Result.PASS)),
        fixed=Count("pk", filter=Q(result=Result.FAIL, fixed_on_spot=True)),
    )
    return RoundFigures(
        targets=first.count(),
        done=first.filter(state=InspectionState.DONE).count(),
        problems=counts["failed"],
        fixed_on_spot=counts["fixed"],
        notices=Notice.objects.filter(inspection__round=round_).count(),
        passed=counts["passed"],
        failed=counts["failed"],
    )


VERDICT = {
    Overall.GOOD: _("较好"),
    Overall.FAIR: _("一般"),
    Overall.POOR: _("问题较多"),
}


def round_summary(round_: Round, figures: RoundFigures | None = None) -> str:
    """The round in the newspaper's words, from its data:
    "已检查5所学校食堂，总体情况较好，发现问题3处，已当场整改2处"."""
    figures = figures or round_figures(round_)
    if figures.done == 0:
        return _("尚未开始检查")
    kinds = set(
        Inspection.objects.filter(round=round_, reinspects__isnull=True).values_list(
            "target__kind", flat=True
        )
    )
    kind = kinds.pop() if len(kinds) == 1 else ""
    noun = str(TargetKind(kind).label) if kind else _("检查对象")
    if kind in {
        TargetKind.RESTAURANT,
        TargetKind.HOTEL,
        TargetKind.ESTATE_AGENCY,
        TargetKind.TRAINING,
    }:
        noun = _("商铺")
    measure = str(MEASURE.get(kind, _("家"))) if kind else _("个")
    verdict = str(VERDICT[overall(figures.done, figures.problems)])
    parts = [
        _("已检查%(n)d%(measure)s%(noun)s") % {"n": figures.done, "measure": measure, "noun": noun},
        _("总体情况%(verdict)s") % {"verdict": verdict},
    ]
    if figures.problems == 0:
        parts.append(_("未发现问题"))
    else:
        parts.append(_("发现问题%(n)d处") % {"n": figures.problems})
        if figures.fixed_on_spot:
            parts.append(_("已当场整改%(n)d处") % {"n": figures.fixed_on_spot})
        if figures.notices:
            parts.append(_("下发整改通知单%(n)d份") % {"n": figures.notices})
    return _("，").join(parts)


def template_rates(templates: QuerySet[ChecklistTemplate] | None = None) -> dict[int, str]:
    """Each checklist's pass rate over every inspection done with any of its versions."""
    rows = (
        Answer.objects.filter(inspection__reinspects__isnull=True)
        .values("item__version__template")
        .annotate(
            passed=Count("pk", filter=Q(result=Result.PASS)),
            failed=Count("pk", filter=Q(result=Result.FAIL)),
        )
    )
    out = {}
    for r in rows:
        rate = pass_rate(r["passed"], r["failed"])
        out[r["item__version__template"]] = "—" if rate is None else f"{rate:.0%}"
    return out


# Choices for forms ------------------------------------------------------------------------


def plannable_streets(user: Any) -> QuerySet[Region]:
    scope = scope_for(user)
    streets = Region.objects.streets()
    if scope.is_global:
        return streets.order_by("code")
    paths = [p for r, p in scope.role_paths if r == Role.STREET_ADMIN]
    if not paths:
        return Region.objects.none()
    q = Q()
    for p in paths:
        q |= Q(path__startswith=p)
    return streets.filter(q).order_by("code")


def team_choices(streets: QuerySet[Region], user: Any) -> QuerySet[User]:
    """The people who may join a round of these streets: the people holding a role in
    them, and the department officers over them."""
    q = Q(pk__in=[])
    for path in streets.values_list("path", flat=True):
        q |= Q(region__path__startswith=path)
        q |= Q(role=Role.DEPARTMENT_OFFICER, region__path__in=ancestor_paths(path))
    holders = Membership.objects.filter(q, active=True).values("user")
    return User.objects.filter(pk__in=holders, is_active=True).order_by("username")


# Headline counts and the workbench ------------------------------------------------------------


def stats_by_street(streets) -> dict[int, dict[str, Any]]:
    """`inspection_rounds`, `targets_inspected` and `notices` (by state) per street."""
    streets = list(streets)
    if not streets:
        return {}
    # Every round has a target, so its rounds are counted through its inspections: one
    # query for both figures.
    columns: dict[str, Count] = {}
    for i, s in enumerate(streets):
        under = Q(round__street__path__startswith=s.path)
        columns[f"r{i}"] = Count("round", distinct=True, filter=under)
        columns[f"t{i}"] = Count(
            "target", distinct=True, filter=under & Q(state=InspectionState.DONE)
        )
    totals = Inspection.objects.order_by().aggregate(**columns)
    by_state: dict[str, dict[str, Any]] = {
        row["state"]: dict(row)
        for row in Notice.objects.order_by()
        .values("state")
        .annotate(
            **{
                f"s{i}": Count("pk", filter=Q(street__path__startswith=s.path))
                for i, s in enumerate(streets)
            }
        )
    }
    return {
        s.pk: {
            "inspection_rounds": totals[f"r{i}"],
            "targets_inspected": totals[f"t{i}"],
            "notices": {st: by_state.get(st, {}).get(f"s{i}", 0) for st in NoticeState.values},
        }
        for i, s in enumerate(streets)
    }


WORK_ROLES = STAFF_ROLES | {Role.DEPARTMENT_OFFICER}


def work_counts(user: Any) -> list[WorkCount]:
    """For the staff of a place and department officers: the open rectification notices
    and, of them, the overdue ones, each linked to its list."""
    scope = scope_for(user)
    if not scope.roles & WORK_ROLES:
        return []
    notices = Notice.objects.visible_to(user).filter(state=NoticeState.OPEN)
    counts = notices.aggregate(
        open=Count("pk"), overdue=Count("pk", filter=Q(due_at__lte=timezone.now()))
    )
    url = reverse("inspections:notices")
    return [
        WorkCount("inspections.open", _("待复查的整改通知单"), counts["open"], f"{url}?state=open"),
        WorkCount(
            "inspections.overdue",
            _("逾期未整改"),
            counts["overdue"],
            f"{url}?overdue=1",
            urgent=True,
        ),
    ]


def notices_for_export() -> QuerySet[Notice]:
    return Notice.objects.select_related("street").order_by("street__code", "year", "seq")


def notices_of_case(user: Any, case: Model) -> list[related.Link]:
    """The case page's link back to the notice it was escalated from (core/related.py),
    when the viewer may open that notice."""
    if getattr(case, "channel", None) != Channel.INSPECTION:
        return []  # only an escalated notice makes a case, on this channel: no query
    notice = (
        Notice.objects.visible_to(user).filter(case_id=case.pk).select_related("target").first()
    )
    if notice is None:
        return []
    return [
        related.Link(
            kind=_("整改通知单"),
            text=f"{notice.number} · {notice.target.name}",
            url=notice.get_absolute_url(),
            note=notice.get_state_display(),
        )
    ]
