"""Writes of volunteer hours and points: every one checks who may, runs in one transaction
and is audited.

- `collect()` pulls proposals from the layers below (it is never called by them): each
  pioneer on the roster of a finished event (summarised: 已完成), each duty shift served at
  a station, and the handler (主办 or 协办) of a resolved case who is a pioneer. One record
  per source and pioneer (a unique constraint): running it again adds nothing. The daily
  `genxi volunteering collect` command, its task and the staff's button call it.
- `hours_confirm` computes the points under the street's rules in force and keeps the
  rules' version with them; `hours_reject` keeps the reason; `hours_add` is staff's manual
  entry for other service (confirmed at once).
- `rules_save` adds a new version of a street's points rules; points already given keep
  the version they were computed under."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from genxi.cases.models import AssignmentOutcome, Case, CaseAssignment, CaseState
from genxi.core import audit
from genxi.core.roles import STAFF_ROLES, Role
from genxi.core.scope import scope_for
from genxi.events.models import EventStatus, RosterEntry
from genxi.people.models import Pioneer
from genxi.regions.models import Level, Region
from genxi.stations.models import DutyShift

from .domain.points import DEFAULT_RULES, KINDS, MAX_HOURS, SOURCES, Rules, Service, points_for
from .models import HoursRecord, HoursStatus, PointsRules, Source, staff_paths

CASE_HOURS = Decimal(2)  # a resolved case counts two hours unless the confirmer says else
TITLE_MAX = 100
REASON_MAX = 200
DONE_CASE_STATES = (CaseState.RESOLVED, CaseState.VERIFIED, CaseState.CLOSED)


# Who may ------------------------------------------------------------------------------------


def is_staff_over(actor: Any, region: Region) -> bool:
    return scope_for(actor).role_covers(STAFF_ROLES, region.path)


def can_decide(actor: Any, record: HoursRecord) -> bool:
    """The staff over the record's community, and the organiser of its event."""
    if is_staff_over(actor, record.community):
        return True
    event = record.event
    return event is not None and actor is not None and event.organiser_id == actor.pk


def can_manage_rules(actor: Any, street: Region) -> bool:
    return scope_for(actor).role_covers({Role.STREET_ADMIN}, street.path)


def street_of(community: Region) -> Region:
    region = community
    while region.level != Level.STREET and region.parent_id is not None:
        assert region.parent is not None
        region = region.parent
    return region


def community_of(region: Region) -> Region:
    if region.level == Level.GRID and region.parent is not None:
        return region.parent
    return region


# Collection ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Proposal:
    pioneer_id: int
    community_id: int
    source: str
    source_key: str
    title: str
    served_on: date
    hours: Decimal
    event_id: int | None = None
    shift_id: int | None = None
    case_id: int | None = None


def _hours(delta: timedelta) -> Decimal:
    hours = Decimal(int(delta.total_seconds()) // 360) / 10  # to the tenth, rounded down
    return max(Decimal(0), min(hours, MAX_HOURS))


def event_proposals(since: date | None = None, until: datetime | None = None) -> list[Proposal]:
    """Each roster place of a finished event (its summary written)."""
    qs = RosterEntry.objects.filter(event__status=EventStatus.DONE).select_related("event")
    if since is not None:
        qs = qs.filter(event__starts_at__date__gte=since)
    if until is not None:
        qs = qs.filter(event__starts_at__lt=until)
    return [
        Proposal(
            pioneer_id=r.pioneer_id,
            community_id=r.event.community_id,
            source=Source.EVENT,
            source_key=f"event:{r.event_id}",
            title=r.event.title[:TITLE_MAX],
            served_on=timezone.localtime(r.event.starts_at).date(),
            hours=_hours(r.event.ends_at - r.event.starts_at),
            event_id=r.event_id,
        )
        for r in qs.order_by("event_id", "id")
    ]


def duty_proposals(since: date | None = None, today: date | None = None) -> list[Proposal]:
    """Each duty shift of a station whose day is over."""
    today = today or timezone.localdate()
    qs = DutyShift.objects.filter(date__lt=today).select_related("station")
    if since is not None:
        qs = qs.filter(date__gte=since)
    return [
        Proposal(
            pioneer_id=s.pioneer_id,
            community_id=s.station.community_id,
            source=Source.DUTY,
            source_key=f"duty:{s.pk}",
            title=_("%(station)s值守") % {"station": s.station.name},
            served_on=s.date,
            hours=_hours(timedelta(minutes=s.end - s.start)),
            shift_id=s.pk,
        )
        for s in qs.order_by("date", "start", "id")
    ]


def case_proposals(since: date | None = None) -> list[Proposal]:
    """The handler of a resolved case, and its assistants whose part is done, when they are
    pioneers (a pioneer's login handles the case)."""
    cases = Case.objects.filter(state__in=DONE_CASE_STATES, resolved_at__isnull=False)
    if since is not None:
        cases = cases.filter(resolved_at__date__gte=since)
    pioneer_of = dict(Pioneer.objects.filter(user__isnull=False).values_list("user_id", "pk"))
    if not pioneer_of:
        return []
    found: list[Proposal] = []
    handlers = cases.filter(handler_id__in=pioneer_of).select_related("region")
    helpers = CaseAssignment.objects.filter(
        case__in=cases,
        person_id__in=pioneer_of,
        outcome__in=[AssignmentOutcome.DONE, AssignmentOutcome.RESOLVED],
    ).select_related("case__region")
    pairs = [(c, c.handler_id) for c in handlers] + [(a.case, a.person_id) for a in helpers]
    for case, user_id in pairs:
        assert case.resolved_at is not None and user_id is not None
        community = community_of(case.region)
        found.append(
            Proposal(
                pioneer_id=pioneer_of[user_id],
                community_id=community.pk,
                source=Source.CASE,
                source_key=f"case:{case.pk}",
                title=case.title[:TITLE_MAX],
                served_on=timezone.localtime(case.resolved_at).date(),
                hours=CASE_HOURS,
                case_id=case.pk,
            )
        )
    return found


def collect(
    *, actor: Any = None, since: date | None = None, paths: tuple[str, ...] | None = None
) -> int:
    """Propose the hours of every source not proposed yet (only in the communities under
    `paths`, when given); answers how many were added. Idempotent: a source and pioneer
    already recorded (in any state) is left alone."""
    proposals = event_proposals(since) + duty_proposals(since) + case_proposals(since)
    if paths is not None:
        under = set(
            Region.objects.filter(pk__in={p.community_id for p in proposals}).values_list(
                "pk", "path"
            )
        )
        inside = {pk for pk, path in under if any(path.startswith(p) for p in paths)}
        proposals = [p for p in proposals if p.community_id in inside]
    with transaction.atomic():
        existing = set(
            HoursRecord.objects.filter(
                source__in=[Source.EVENT, Source.DUTY, Source.CASE]
            ).values_list("pioneer_id", "source_key")
        )
        new: list[HoursRecord] = []
        seen: set[tuple[int, str]] = set()
        for p in proposals:
            key = (p.pioneer_id, p.source_key)
            if key in existing or key in seen:
                continue
            seen.add(key)
            new.append(
                HoursRecord(
                    pioneer_id=p.pioneer_id,
                    community_id=p.community_id,
                    source=p.source,
                    source_key=p.source_key,
                    title=p.title,
                    served_on=p.served_on,
                    hours=p.hours,
                    event_id=p.event_id,
                    shift_id=p.shift_id,
                    case_id=p.case_id,
                )
            )
        if new:
            HoursRecord.objects.bulk_create(new, batch_size=500, ignore_conflicts=True)
            audit.record(actor=actor, verb="hours.collect", after={"proposed": len(new)})
    return len(new)


def collect_now(*, actor: Any) -> int:
    """The staff's button: collect now the sources of the communities they work over (the
    system admin: everywhere)."""
    scope = scope_for(actor)
    if scope.is_global:
        return collect(actor=actor)
    paths = staff_paths(scope)
    if not paths:
        raise PermissionDenied(_("只有社区或街道的工作人员可以这样做。"))
    return collect(actor=actor, paths=paths)


# Rules --------------------------------------------------------------------------------------


def rules_in_force(street: Region) -> PointsRules | None:
    return PointsRules.objects.filter(street=street).order_by("-version").first()


def _check_rules(rules: Rules) -> None:
    errors: dict[str, str] = {}
    for source in SOURCES:
        value = rules.per_hour.get(source, Decimal(0))
        if value < 0 or value > 1000:
            errors[f"per_hour_{source}"] = _("每小时积分应在 0 到 1000 之间。")
    if not 0 <= rules.weekend_percent <= 300:
        errors["weekend_percent"] = _("加成比例应在 0 到 300 之间。")
    for kind in KINDS:
        if not 0 <= rules.kind_percent.get(kind, 0) <= 300:
            errors[f"kind_{kind}"] = _("加成比例应在 0 到 300 之间。")
    if not 0 <= rules.first_of_year <= 1000:
        errors["first_of_year"] = _("奖励积分应在 0 到 1000 之间。")
    if errors:
        raise ValidationError(errors)


def _new_version(actor: Any, street: Region, rules: Rules, note: str) -> PointsRules:
    last = (
        PointsRules.objects.select_for_update().filter(street=street).order_by("-version").first()
    )
    saved = PointsRules.objects.create(
        street=street,
        version=(last.version + 1) if last else 1,
        rules=rules.as_json(),
        note=note[:100],
        created_by=actor,
    )
    audit.record(
        actor=actor,
        verb="rules.save",
        target=saved,
        after={"version": saved.version, **rules.as_json()},
    )
    return saved


def rules_save(*, actor: Any, street: Region, rules: Rules, note: str = "") -> PointsRules:
    """A new version of the street's points rules (street admins)."""
    if not can_manage_rules(actor, street):
        raise PermissionDenied(_("只有街道管理员可以修改积分规则。"))
    _check_rules(rules)
    with transaction.atomic():
        Region.objects.select_for_update().get(pk=street.pk)
        return _new_version(actor, street, rules, note.strip())


def _rules_for(street: Region) -> PointsRules:
    found = rules_in_force(street)
    if found is None:
        Region.objects.select_for_update().get(pk=street.pk)
        found = rules_in_force(street)
    if found is None:  # the street has set none yet: the defaults become its version 1
        found = _new_version(None, street, DEFAULT_RULES, _("默认规则"))
    return found


# Decisions ----------------------------------------------------------------------------------


def _locked(record: HoursRecord) -> HoursRecord:
    return (
        HoursRecord.objects.select_for_update(of=("self",))
        .select_related("community", "event", "pioneer")
        .get(pk=record.pk)
    )


def _give_points(record: HoursRecord, actor: Any) -> None:
    """Points under the rules in force now, kept with their version (locks the pioneer, so
    that one first service of the year gets the bonus)."""
    pioneer = Pioneer.objects.select_for_update().get(pk=record.pioneer_id)
    street = street_of(record.community)
    rules_row = _rules_for(street)
    first = not HoursRecord.objects.filter(
        pioneer=pioneer,
        status=HoursStatus.CONFIRMED,
        served_on__year=record.served_on.year,
    ).exists()
    points = points_for(
        Service(record.hours, record.source, pioneer.kind, record.served_on, first),
        Rules.from_json(rules_row.rules),
    )
    record.points = points.total
    record.points_detail = points.as_json()
    record.rules = rules_row
    record.status = HoursStatus.CONFIRMED
    record.decided_by = actor
    record.decided_at = timezone.now()


def _check_hours(hours: Decimal, field: str = "hours") -> None:
    if hours <= 0 or hours > MAX_HOURS:
        raise ValidationError({field: _("时长应大于 0 且不超过 24 小时。")})


def hours_confirm(*, actor: Any, record: HoursRecord, hours: Decimal | None = None) -> HoursRecord:
    """Confirm a proposed record (optionally with corrected hours) and give its points."""
    with transaction.atomic():
        record = _locked(record)
        if not can_decide(actor, record):
            raise PermissionDenied(_("只有活动组织者或本社区、街道的工作人员可以确认时长。"))
        if record.status != HoursStatus.PROPOSED:
            raise ValidationError({"hours": _("这条记录已经处理过了。")})
        before = audit.snapshot(record, ("status", "hours"))
        if hours is not None:
            _check_hours(hours)
            record.hours = hours
        _give_points(record, actor)
        record.save()
        audit.record(
            actor=actor,
            verb="hours.confirm",
            target=record,
            before=before,
            after=audit.snapshot(record, ("status", "hours", "points"))
            | {"rules_version": record.rules.version if record.rules else None},
        )
    return record


def hours_reject(*, actor: Any, record: HoursRecord, reason: str) -> HoursRecord:
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("请写明不予确认的原因。")})
    if len(reason) > REASON_MAX:
        raise ValidationError({"reason": _("原因不能超过 200 个字。")})
    with transaction.atomic():
        record = _locked(record)
        if not can_decide(actor, record):
            raise PermissionDenied(_("只有活动组织者或本社区、街道的工作人员可以确认时长。"))
        if record.status != HoursStatus.PROPOSED:
            raise ValidationError({"reason": _("这条记录已经处理过了。")})
        record.status = HoursStatus.REJECTED
        record.reason = reason
        record.decided_by = actor
        record.decided_at = timezone.now()
        record.save()
        audit.record(
            actor=actor,
            verb="hours.reject",
            target=record,
            before={"status": HoursStatus.PROPOSED},
            after={"status": record.status, "reason": reason},
        )
    return record


def hours_add(
    *,
    actor: Any,
    pioneer: Pioneer,
    title: str,
    served_on: date,
    hours: Decimal,
) -> HoursRecord:
    """Staff's entry for other service (e.g. a door-to-door campaign): confirmed at once."""
    grid = pioneer.grid
    if not is_staff_over(actor, grid):
        raise PermissionDenied(_("只有本社区或街道的工作人员可以登记时长。"))
    title = title.strip()
    if not title:
        raise ValidationError({"title": _("请填写服务内容。")})
    if len(title) > TITLE_MAX:
        raise ValidationError({"title": _("服务内容不能超过 100 个字。")})
    if served_on > timezone.localdate():
        raise ValidationError({"served_on": _("服务日期不能晚于今天。")})
    _check_hours(hours)
    with transaction.atomic():
        record = HoursRecord(
            pioneer=pioneer,
            community=community_of(grid),
            source=Source.MANUAL,
            source_key=f"manual:{uuid.uuid4().hex}",
            title=title,
            served_on=served_on,
            hours=hours,
        )
        _give_points(record, actor)
        record.save()
        audit.record(
            actor=actor,
            verb="hours.add",
            target=record,
            after=audit.snapshot(record, ("title", "served_on", "hours", "points")),
        )
    return record


def rules_from_form(data: Mapping[str, Any]) -> Rules:
    """The rules a form's cleaned data describes (per_hour_<source>, kind_<kind>, …)."""
    return Rules(
        per_hour={s: Decimal(data.get(f"per_hour_{s}") or 0) for s in SOURCES},
        weekend_percent=int(data.get("weekend_percent") or 0),
        kind_percent={k: int(data.get(f"kind_{k}") or 0) for k in KINDS},
        first_of_year=Decimal(data.get("first_of_year") or 0),
    )
