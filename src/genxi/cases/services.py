"""Writes of the request loop: intake, every transition, corrections, notifications."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Model, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from genxi.core import audit, ratelimit
from genxi.core.db import atomic_unless_one, insert_together, insert_with_children
from genxi.core.memo import Memo
from genxi.core.photos import clean_photo
from genxi.core.pii import mask_free_text
from genxi.core.roles import STAFF_ROLES, Role
from genxi.core.scope import scope_for
from genxi.core.text import strip_control
from genxi.people.models import Resident, User
from genxi.regions.models import Region

from . import notify, rollups, routing, selectors, suggestions, tasks
from .domain import sla, split
from .domain.rollup import Steps
from .domain.states import (
    HANDOVERS,
    Actor,
    Facts,
    Level,
    State,
    TransitionError,
    check,
    level_after,
)
from .messages import transition_message
from .models import (
    AssignmentOutcome,
    AssignmentRole,
    CalendarDay,
    Case,
    CaseAssignment,
    CaseEvent,
    CasePhoto,
    CaseState,
    CaseSuggestion,
    Category,
    Channel,
    PhotoKind,
    TrainingExample,
    Urgency,
)

CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, 1/I: read over the phone
SUPERVISOR_ROLES = frozenset({Role.STREET_ADMIN})
DEFAULT_RESPONSE_HOURS = 4
DEFAULT_RESOLVE_DAYS = 5


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(10))


SECRET_LENGTH = 12  # 60 bits; wrong guesses are rate-limited besides (core/ratelimit.py)


def new_secret() -> str:
    """The reporter's secret: shown once at submission, then kept only as a digest."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(SECRET_LENGTH))


CALENDAR_SECONDS = 60.0
# Holidays change a few times a year: read them at most once a minute per process.
calendar_memo = Memo("cases.calendar", seconds=CALENDAR_SECONDS)


def _read_calendar() -> sla.WorkCalendar:
    days = list(CalendarDay.objects.values_list("date", "is_workday"))
    return sla.WorkCalendar(
        holidays=frozenset(d for d, work in days if not work),
        workdays=frozenset(d for d, work in days if work),
    )


def work_calendar() -> sla.WorkCalendar:
    """The working-time calendar, read at most once a minute per process."""
    calendar: sla.WorkCalendar = calendar_memo.get_or_build(_read_calendar)
    return calendar


def _deadlines(case: Case, start: datetime) -> sla.Deadlines:
    category = case.category
    return sla.deadlines(
        work_calendar(),
        start,
        response_hours=category.response_hours if category else DEFAULT_RESPONSE_HOURS,
        resolve_days=category.resolve_days if category else DEFAULT_RESOLVE_DAYS,
        urgency=case.urgency,
    )


def actors_for(user: Any, case: Case) -> set[Actor]:
    """The parts `user` plays for this case."""
    actors: set[Actor] = set()
    if user is None or not getattr(user, "is_authenticated", False):
        return actors
    scope = scope_for(user)
    path = case.region.path
    # A case escalated to the street is the street's to dispatch: the community sees it
    # and no longer acts on it (until the street sends it back down).
    dispatchers = SUPERVISOR_ROLES if case.level == Level.STREET else STAFF_ROLES
    if scope.role_covers(dispatchers, path):
        actors.add(Actor.DISPATCHER)
    if scope.role_covers(SUPERVISOR_ROLES, path):
        actors.add(Actor.SUPERVISOR)
    if case.handler_id and case.handler_id == user.pk:
        actors.add(Actor.HANDLER)
    if open_assignments(case).filter(person=user, role=AssignmentRole.ASSIST).exists():
        actors.add(Actor.ASSISTANT)
    return actors


def facts_for(case: Case, now: datetime) -> Facts:
    """What the loop's guards know about the case."""
    return Facts(
        rating=case.rating,
        closed_at=case.closed_at,
        pending_extension=case.pending_extension_days is not None,
        now=now,
        level=case.level,
    )


def open_assignments(case: Case) -> QuerySet[CaseAssignment]:
    return CaseAssignment.objects.filter(case=case, ended_at__isnull=True)


def _label(user: Any) -> str:
    if user is None or not getattr(user, "is_authenticated", False):
        return "system"
    return str(user)


def _event(
    case: Case,
    *,
    action: str,
    before: str,
    actor: Any,
    note: str = "",
    data: dict[str, Any] | None = None,
    seq: int | None = None,
    level: str = "",
    held: timedelta | None = None,
    system: bool = False,
) -> CaseEvent:
    """The history entry of a step, not yet saved (it goes in with the audit event)."""
    if seq is None:
        seq = (case.events.order_by("-seq").values_list("seq", flat=True).first() or 0) + 1
    return CaseEvent(
        case=case,
        seq=seq,
        action=action,
        from_state=before,
        to_state=case.state,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        actor_label=_label(actor) if actor is not None or system else _("居民"),
        note=note,
        data=data or {},
        level=level,
        held=held,
    )


# Free text that may hold numbers people typed: masked in the audit log, kept for years.
_FREE_TEXT_FIELDS = ("title", "text", "result", "rating_comment")


def _audit_view(case: Case) -> dict[str, Any]:
    view = audit.snapshot(case)
    for name in _FREE_TEXT_FIELDS:
        view[name] = mask_free_text(view.get(name))
    return view


# Intake -----------------------------------------------------------------------------------


# Channels whose cases their creating service routes itself (an overdue rectification notice
# goes up to the street and to its round's department): intake's own routing stays out.
SELF_ROUTED_CHANNELS = frozenset({Channel.INSPECTION})


def case_create(
    *,
    actor: Any,
    channel: str,
    text: str,
    category: Category | None = None,
    lat: float | None = None,
    lon: float | None = None,
    address: str = "",
    region: Region | None = None,
    reporter: Resident | None = None,
    reporter_name: str = "",
    reporter_contact: str = "",
    urgency: str = Urgency.NORMAL,
    tags: list[str] | None = None,
    photos: list[UploadedFile[Any]] | None = None,
    split_from: Case | None = None,
) -> Case:
    """Record a request and place it: by point, by address, by the reporter, or as given.

    A case no person categorised whose category the model is sure enough of
    (`suggestions.auto_route`) gets that category and is routed by the system: accepted and
    dispatched to the handler the routing names (`routing.suggest_handler`), if any.

    Control characters are stripped from every text typed at intake, whatever the path.
    The new case carries `reporter_secret`, its only plain copy: give it to the reporter."""
    text = strip_control(text or "").strip()
    address = strip_control(address or "")
    reporter_name = strip_control(reporter_name or "")
    reporter_contact = strip_control(reporter_contact or "")
    tags = [strip_control(str(t)) for t in tags or []]
    errors: dict[str, str] = {}
    if len(text) < 5:
        errors["text"] = _("请把问题说清楚(至少 5 个字)。")
    if channel not in Channel.values:
        errors["channel"] = _("未知的来源渠道。")
    if urgency not in Urgency.values:
        errors["urgency"] = _("紧急程度应为 normal、urgent 或 emergency。")
    if (lat is None) != (lon is None):
        errors["lat"] = _("经纬度须同时提供。")
    elif lat is not None and lon is not None and not (-90 <= lat <= 90 and -180 <= lon <= 180):
        errors["lat"] = _("经纬度超出范围。")
    if errors:
        raise ValidationError(errors)
    place = routing.find_place(lat=lat, lon=lon, address=address, reporter=reporter)
    target = place.region or region
    if target is None:
        raise ValidationError({"address": _unplaced(address)})
    cleaned = [clean_photo(p) for p in photos or []]  # fail before writing anything
    routed = None
    if category is None and channel not in SELF_ROUTED_CHANNELS:
        routed = suggestions.auto_route(text)
    if routed is not None:
        category = routed.category
    now = timezone.now()
    secret = new_secret()
    case = Case(
        code=new_code(),
        secret_digest=Case.digest_of_secret(secret),
        channel=channel,
        reporter=reporter,
        reporter_name=reporter_name or (reporter.name if reporter else ""),
        reporter_contact=reporter_contact,
        title=text.splitlines()[0][:60],
        text=text,
        category=category,
        lat=lat,
        lon=lon,
        address=address,
        place_key=place.place_key,
        region=target,
        urgency=urgency,
        tags=tags or [],
        state=CaseState.SUBMITTED,
        split_from=split_from,
    )
    deadlines = _deadlines(case, now)
    case.respond_by, case.resolve_by = deadlines.respond_by, deadlines.resolve_by
    submitted = _event(
        case,
        action="submit",
        before="",
        actor=actor,
        seq=1,
        data={"channel": channel, "placed_by": place.how or "given"},
    )
    # The audit event names the case by its target id (filled from the insert's own
    # RETURNING row); its view of the new case leaves out the id not yet given.
    view = {k: v for k, v in _audit_view(case).items() if k != "id"}
    audited = audit.build(actor=actor, verb="case.create", target=case, after=view)
    counted = rollups.statements([rollups.state_of(case, Steps())])
    counted += rollups.due_statements(None, rollups.due_of(case))
    counted += rollups.bin_statements(None, rollups.bin_of(case))
    children: list[tuple[Model, str]] = [(submitted, "case"), (audited, "target_id")]
    handler = None
    if routed is not None:  # the model's choice, recorded as auto-routed
        children.append((_auto_routed(routed), "case"))
        handler = _system_handler(case, routed)
    told = notify.submit_notices(case)  # the community's inbox, written with the case
    children += [(notice, "subject_id") for notice in told or []]
    # One statement for the case, its first history entry, its audit event, its roll-ups,
    # an auto-routed case's suggestion and the inbox messages (PostgreSQL). When nothing
    # else is written (no photo, no outside channel, no handler to dispatch to) it is the
    # whole write and needs no transaction around it (core.db.atomic_unless_one). 32^10
    # codes: a clash is vanishingly rare, so no savepoint on the hot path; the unique index
    # still guarantees it, and the caller may retry (Idempotency-Key).
    with atomic_unless_one(not cleaned and told is not None and handler is None, Case):
        insert_with_children(case, children, counted)
        for image, thumb, width, height in cleaned:
            CasePhoto.objects.create(
                case=case,
                kind=PhotoKind.REPORT,
                image=image,
                thumbnail=thumb,
                width=width,
                height=height,
            )
        if told is None:
            notify.case_changed(case, "submit")
        if routed is not None and handler is not None:
            case = _route_by_system(case, routed, handler)
    if routed is None or case.state == CaseState.SUBMITTED:
        case.history = [submitted]  # known: the API answers with it without reading it back
    else:
        case.history = list(case.events.all())
    case.known_assignments = []  # a new case has none (routing dispatches in a community)
    case.reporter_secret = secret
    return case


def _auto_routed(routed: suggestions.AutoRoute) -> CaseSuggestion:
    """The suggestion intake followed (marked auto-routed, with the model version), written
    with the case by `case_create`'s one statement."""
    return CaseSuggestion(
        suggested=routed.suggestion.code,
        confidence=routed.suggestion.confidence,
        model_version=routed.version,
        chosen=routed.category,
        auto_routed=True,
    )


def _system_handler(case: Case, routed: suggestions.AutoRoute) -> User | None:
    """Whom intake's own routing dispatches a case the model is sure of to: the handler the
    routing names for its category and place, if any (it knows the community's only)."""
    if case.level == Level.STREET:
        return None
    handler: User | None = routing.suggest_handler(routed.category.code, case.region)
    return handler


def _route_by_system(case: Case, routed: suggestions.AutoRoute, handler: User) -> Case:
    """Intake's own routing (its suggestion is already recorded, `_auto_routed`): the new
    case accepted and dispatched to `handler` (`_system_handler`) as the system."""
    note = _("按类别建议自动派遣(%(category)s,置信度 %(percent)d%%)。") % {
        "category": routed.category.name,
        "percent": round(routed.suggestion.confidence * 100),
    }
    case = case_act(actor=None, case=case, action="accept", system=True, note=note)
    return case_act(
        actor=None, case=case, action="dispatch", system=True, handler=handler, note=note
    )


def _unplaced(address: str) -> str:
    """Why an address placed nothing, with what the gazetteer would offer instead."""
    lookup = routing.address_index().lookup(address) if address else None
    if lookup is not None and lookup.choices:
        places = "、".join(c.label for c in lookup.choices[:5])
        if lookup.status == "suggest":
            return _("没有找到这个地址。您要找的是不是:%(places)s?") % {"places": places}
        return _("这个地址对应多个网格,请写明小区和楼栋,如:%(places)s。") % {"places": places}
    return _("无法确定问题所在的网格:请在地图上选点,或填写更完整的地址。")


# Transitions ------------------------------------------------------------------------------


def case_act(
    *,
    actor: Any,
    case: Case,
    action: str,
    reporter: bool = False,
    system: bool = False,
    **fields: Any,
) -> Case:
    """Apply one transition of the loop to a case, with the fields it requires.

    `reporter=True` acts as the resident (through the tracking code); `system=True` as a
    rule of the street's (actor None: an overdue rectification notice sent up and to its
    round's department), allowed only the steps the loop gives `Actor.SYSTEM`.

    The row is locked for the whole step, so two people acting at once are serialised:
    the second sees the first one's result and is refused if its action no longer fits.
    """
    with transaction.atomic():
        if action == "merge" and isinstance(fields.get("master"), Case):
            # The master is decided on as it is now: both rows locked, in id order, so two
            # merges crossing each other (A into B, B into A) wait instead of deadlocking.
            pks = sorted({case.pk, fields["master"].pk})
            locked = Case.objects.select_for_update().filter(pk__in=pks).order_by("pk").in_bulk()
            fields["master"] = locked[fields["master"].pk]
        # of=self: the case's row only, not its grid's (which would queue every transition
        # in the grid behind one another).
        case = Case.objects.select_for_update(of=("self",)).select_related("region").get(pk=case.pk)
        if system:
            actors = {Actor.SYSTEM}
        else:
            actors = {Actor.REPORTER} if reporter else actors_for(actor, case)
        now = timezone.now()
        facts = facts_for(case, now)
        before_state, before_level = case.state, case.level
        try:
            new_state = check(State(case.state), action, actors, fields, facts)
        except TransitionError as exc:
            if exc.code == "not_allowed":
                raise PermissionDenied(transition_message(exc)) from exc
            raise ValidationError({_field_of(exc): transition_message(exc)}) from exc
        before = _audit_view(case)
        steps = rollups.steps_for(case)
        counted = rollups.state_of(case, steps)
        due = rollups.due_of(case)
        binned = rollups.bin_of(case)
        note, data = _apply(case, action, actor, fields, now)
        case.state = str(new_state)
        held = None
        if action in HANDOVERS:
            # Every hand-over is timed: how long the one handing on had held the case.
            held = now - (case.handed_at or case.created_at)
            case.handed_at = now
        if case.level != before_level:
            data = {**data, "from_level": before_level, "to_level": case.level}
        case.save()
        # The roll-ups move with the case, in its transaction (the event's level and to_level
        # as written below).
        steps = steps.after(action, before_level, data.get("to_level"))
        rollups.move(counted, rollups.state_of(case, steps))
        rollups.move_due(due, rollups.due_of(case))
        rollups.move_bins(binned, rollups.bin_of(case))
        b, a = audit.diff(before, _audit_view(case))
        event = _event(
            case,
            action=action,
            before=before_state,
            actor=actor,
            note=note,
            data=data,
            level=before_level,
            held=held,
            system=system,
        )
        insert_together(
            event,
            audit.build(
                actor=actor,
                verb=f"case.{action}",
                target=case,
                before=b,
                after=a,
                reason=mask_free_text(note),
            ),
        )
        notify.case_changed(case, action, before_level=before_level, data=data)
    return case


# Splitting a request with two problems --------------------------------------------------

# Before dispatch a case is still the dispatcher's to shape (later it is someone's work).
SPLITTABLE = frozenset({CaseState.SUBMITTED, CaseState.ACCEPTED})


def may_split(user: Any, case: Case) -> bool:
    """Whether `user` may split `case` now: a dispatcher over it, before it is dispatched."""
    return case.state in SPLITTABLE and Actor.DISPATCHER in actors_for(user, case)


def case_split(*, actor: Any, case: Case, end: int, start: int) -> Case:
    """Split a request with two problems where the detector cut it (`domain.split`: the
    first part ends at `end`, the second starts at `start` of the case's text): the case
    keeps the first part, a new case is created from the second (same reporter, place,
    channel, urgency and tags; `split_from` names the original) and routed as any new case.
    Only a dispatcher over the case, before dispatch; the caller fetched `case` through
    `visible_to(actor)`. The parts are cut from the text as saved (a form never carries the
    text: it may hold numbers the page masks). Answers the new case."""
    with transaction.atomic():
        case = Case.objects.select_for_update(of=("self",)).select_related("region").get(pk=case.pk)
        if Actor.DISPATCHER not in actors_for(actor, case):
            raise PermissionDenied(_("只有负责这件诉求的派遣人员可以拆分它。"))
        if case.state not in SPLITTABLE:
            raise ValidationError({"action": _("这件诉求已派遣或已办结,不能再拆分。")})
        first, second = ("", "")
        if 0 < end <= start < len(case.text):
            first, second = split.parts_at(case.text, end, start)
        if len(first) < split.MIN_PART or len(second) < split.MIN_PART:
            raise ValidationError({"end": _("拆分位置不对:拆分后每一部分至少 5 个字。")})
        new = case_create(
            actor=actor,
            channel=case.channel,
            text=second,
            lat=case.lat,
            lon=case.lon,
            address=case.address,
            region=case.region,
            reporter=case.reporter,
            reporter_name=case.reporter_name,
            reporter_contact=case.reporter_contact,
            urgency=case.urgency,
            tags=list(case.tags or []),
            split_from=case,
        )
        before = _audit_view(case)
        case.text = first
        case.title = first.splitlines()[0][:60]
        case.save(update_fields=["text", "title", "updated_at"])
        b, a = audit.diff(before, _audit_view(case))
        note = _("拆分出新诉求 %(code)s:%(text)s") % {"code": new.code, "text": second}
        event = _event(
            case,
            action="split",
            before=case.state,
            actor=actor,
            note=note,
            data={"split_to": new.code},
            level=case.level,
        )
        insert_together(
            event,
            audit.build(
                actor=actor,
                verb="case.split",
                target=case,
                before=b,
                after={**a, "split_to": new.code},
                reason=mask_free_text(note),
            ),
        )
    return new


def _field_of(exc: TransitionError) -> str:
    if exc.code == "missing_fields":
        return exc.params["fields"].split(",")[0]
    return {"bad_rating": "rating"}.get(exc.code, "action")


def _apply(
    case: Case, action: str, actor: Any, fields: dict[str, Any], now: datetime
) -> tuple[str, dict[str, Any]]:
    """The effects of `action` beyond the state change; returns the history note and data."""
    reason = str(fields.get("reason", "") or "")
    if action == "accept":
        case.responded_at = case.responded_at or now
        if fields.get("category"):
            _recategorise(case, fields["category"], actor)
        return fields.get("note", ""), {}
    if action == "reject":
        return reason, {}
    if action == "merge":
        master = fields["master"]
        if master.pk == case.pk or master.state in (CaseState.MERGED, CaseState.REJECTED):
            raise ValidationError({"master": _("只能合并到另一件未结的诉求。")})
        case.master = master
        return reason, {"master": master.code}
    if action in ("dispatch", "transfer"):
        handler = _check_handler(fields["handler"])
        if fields.get("category"):
            _recategorise(case, fields["category"], actor)
        previous = case.handler
        data: dict[str, Any] = {"handler": handler.username, "handler_name": str(handler)}
        if previous and action == "transfer":
            data["from"] = previous.username
        note = str(fields.get("note", reason) or "")
        if case.level == Level.STREET:
            data |= _assign(case, actor, handler, fields.get("assistants") or [], now)
            # The history says who leads and who assists (names, not logins).
            parts = [_("主办:%(org)s") % {"org": data["lead"]}]
            if data["assist"]:
                parts.append(_("协办:%(orgs)s") % {"orgs": "、".join(data["assist"])})
            note = ";".join([*parts, note] if note else parts)
        elif fields.get("assistants"):
            raise ValidationError({"assistants": _("只有街道派遣时可以指定协办单位。")})
        case.handler = handler
        case.responded_at = case.responded_at or now
        case.level = level_after(action, Level(case.level), to_grid=_works_a_grid(handler, case))
        return note, data
    if action == "take":
        return "", {}
    if action == "return":
        case.returns += 1
        case.handler = None
        _end_assignments(case, now, AssignmentOutcome.RETURNED, reason)
        case.level = level_after(action, Level(case.level))
        return reason, {}
    if action == "escalate":
        case.responded_at = case.responded_at or now
        case.handler = None
        case.pending_extension_days = None  # the street's handler asks again if it must
        case.level = Level.STREET
        return reason, {}
    if action == "send_down":
        case.level = Level.COMMUNITY
        return reason, {}
    if action == "assist_done":
        mine = open_assignments(case).filter(person=actor, role=AssignmentRole.ASSIST).first()
        assert mine is not None  # the ASSISTANT part is exactly this
        mine.ended_at, mine.outcome = now, AssignmentOutcome.DONE
        mine.note = str(fields["note"]).strip()
        mine.save(update_fields=["ended_at", "outcome", "note"])
        return mine.note, {"org": mine.org_name}
    if action == "request_extension":
        days = int(fields["days"])
        if not 1 <= days <= 30:
            raise ValidationError({"days": _("延期天数应在 1 到 30 之间。")})
        case.pending_extension_days = days
        return reason, {"days": days}
    if action == "approve_extension":
        assert case.pending_extension_days is not None  # the transition's guard
        days = case.pending_extension_days
        base = max(case.resolve_by or now, now)
        case.resolve_by = work_calendar().add_days(base, days)
        case.pending_extension_days = None
        case.extensions += 1
        case.overdue_notified_at = None
        return fields.get("note", ""), {"days": days, "resolve_by": case.resolve_by.isoformat()}
    if action == "resolve":
        case.result = str(fields["result"]).strip()
        case.resolved_at = now
        _end_assignments(case, now, AssignmentOutcome.RESOLVED, case.result)
        for image, thumb, width, height in [clean_photo(p) for p in fields.get("photos") or []]:
            CasePhoto.objects.create(
                case=case,
                kind=PhotoKind.EVIDENCE,
                image=image,
                thumbnail=thumb,
                width=width,
                height=height,
            )
        data = {}
        if fields.get("lat") is not None:
            data = {"lat": fields["lat"], "lon": fields.get("lon")}
        return case.result, data
    if action == "verify":
        return fields.get("note", ""), {}
    if action == "send_back":
        case.reworks += 1
        case.resolved_at = None
        _reassign_lead(case, actor, now)
        return reason, {}
    if action == "rate":
        case.rating = fields["rating"]
        case.rating_comment = str(fields.get("comment", ""))[:300]
        return case.rating_comment, {
            "rating": case.rating,
            "by": "reporter" if actor is None else "staff",
        }
    if action == "close":
        case.closed_at = now
        return fields.get("note", ""), {}
    if action == "reopen":
        case.closed_at = None
        case.rating = ""
        case.reworks += 1
        case.resolved_at = None
        case.resolve_by = _deadlines(case, now).resolve_by
        _reassign_lead(case, actor, now)
        return reason, {}
    if action == "flag":
        case.flagged = not case.flagged
        return reason, {"flagged": case.flagged}
    raise ValidationError({"action": _("未知操作。")})  # pragma: no cover


def _works_a_grid(handler: User, case: Case) -> bool:
    """Whether `handler` is a grid worker over the case's place (the grid then holds it)."""
    return scope_for(handler).role_covers({Role.GRID_WORKER}, case.region.path)


def _assign(
    case: Case, actor: Any, lead: User, assistants: list[User], now: datetime
) -> dict[str, Any]:
    """The street's dispatch: the lead handler (主办) and the assisting ones (协办), each a
    person of a department or unit of the case's street. Open assignments end (re-
    dispatched). Returns what the history keeps."""
    reachable = selectors.street_handlers(actor, case)
    orgs = selectors.org_names(reachable)
    if lead.pk not in orgs:
        raise ValidationError({"handler": _("请选择本街道的职能部门或共建单位人员作为主办。")})
    helpers = list({u.pk: u for u in assistants if u.pk != lead.pk}.values())
    if any(u.pk not in orgs for u in helpers):
        raise ValidationError({"assistants": _("协办只能选择本街道的职能部门或共建单位人员。")})
    _end_assignments(case, now, AssignmentOutcome.WITHDRAWN, "")
    units = selectors.units_of([lead, *helpers])
    CaseAssignment.objects.bulk_create(
        CaseAssignment(
            case=case,
            role=role,
            person=person,
            unit=units.get(person.pk),
            org_name=orgs[person.pk],
            assigned_by=actor if getattr(actor, "is_authenticated", False) else None,
            assigned_at=now,
        )
        for role, person in [
            (AssignmentRole.LEAD, lead),
            *((AssignmentRole.ASSIST, u) for u in helpers),
        ]
    )
    return {
        "lead": orgs[lead.pk],
        "assist": [f"{orgs[u.pk]} · {u}" for u in helpers],
        "assist_ids": [u.pk for u in helpers],
    }


def _end_assignments(case: Case, now: datetime, outcome: str, note: str) -> None:
    """End the case's open assignments: the lead's with `outcome`; an assistant that had not
    reported its part ends with the lead's work (withdrawn)."""
    for row in open_assignments(case):
        row.ended_at = now
        row.outcome = outcome if row.role == AssignmentRole.LEAD else AssignmentOutcome.WITHDRAWN
        if row.role == AssignmentRole.LEAD and note:
            row.note = note
        row.save(update_fields=["ended_at", "outcome", "note"])


def _reassign_lead(case: Case, actor: Any, now: datetime) -> None:
    """A street case sent back (核查退回) or reopened goes to its lead again: a new hand-over."""
    if case.level != Level.STREET or case.handler is None:
        return
    last = CaseAssignment.objects.filter(case=case, role=AssignmentRole.LEAD).last()
    CaseAssignment.objects.create(
        case=case,
        role=AssignmentRole.LEAD,
        person=case.handler,
        unit=last.unit if last else None,
        org_name=last.org_name if last else str(case.handler),
        assigned_by=actor if getattr(actor, "is_authenticated", False) else None,
        assigned_at=now,
    )


def _check_handler(handler: Any) -> User:
    if not isinstance(handler, User) or not handler.is_active:
        raise ValidationError({"handler": _("请选择一位有效的处置人。")})
    if not handler.memberships.filter(active=True).exists():
        raise ValidationError({"handler": _("该处置人没有任何角色,无法接收派遣。")})
    return handler


def _recategorise(case: Case, category: Category, actor: Any) -> None:
    """Set the category; a dispatcher's choice is a training example for the router."""
    if case.category_id != category.pk:
        case.category = category
        deadlines = _deadlines(case, case.created_at)
        case.respond_by, case.resolve_by = deadlines.respond_by, deadlines.resolve_by
    TrainingExample.objects.create(
        text=case.text, category=category, source="dispatcher", case=case
    )
    suggestions.record(case, category)  # what the model in use said, with its version
    retrain_soon()  # the background worker trains, never this request


def retrain_soon() -> None:
    """After the transaction: ask the worker to retrain if enough examples have arrived."""

    def enqueue() -> None:
        if suggestions.due():
            tasks.retrain_suggestions.enqueue()

    transaction.on_commit(enqueue)


def case_rate_by_reporter(*, code: str, secret: str, rating: str, comment: str = "") -> Case:
    """The resident rates the outcome on the tracking page. No login: the reporter's secret,
    given at submission, is the key — the public code alone is not. Callers limit guesses."""
    case = Case.objects.select_related("split_from").filter(code=code.strip().upper()).first()
    if case is None:
        raise ValidationError({"code": _("查询码不存在。")})
    # A part split off a request is rated with the key given for the request.
    keys = [case] + ([case.split_from] if case.split_from is not None else [])
    if not any(c.secret_matches(secret) for c in keys):
        raise PermissionDenied(_("评价码不正确。"))
    if case.state == CaseState.MERGED and case.master is not None:
        case = case.master  # the reporter of a merged case rates the case it joined
    return case_act(
        actor=None,
        case=case,
        action="rate",
        reporter=True,
        rating=rating,
        comment=strip_control(comment),
    )


def notify_overdue(*, now: datetime | None = None) -> int:
    """Tell supervisors about cases whose resolution deadline has passed (once per deadline)."""
    now = now or timezone.now()
    count = 0
    for case in (
        Case.objects.overdue(now)
        .filter(overdue_notified_at__isnull=True)
        .select_related("region")[:500]
    ):
        with transaction.atomic():
            locked = Case.objects.select_for_update().get(pk=case.pk)
            if locked.overdue_notified_at is not None:
                continue
            locked.overdue_notified_at = now
            locked.save(update_fields=["overdue_notified_at"])
            notify.case_overdue(locked)
            count += 1
    return count


# Reaching the reporter ---------------------------------------------------------------------

CONTACT_REASON_LENGTH = 4
CONTACT_LIMIT = 20  # reveals a person may make in CONTACT_WINDOW: a day's calls, not a harvest
CONTACT_WINDOW = 3600


def may_contact(user: Any, case: Case) -> bool:
    """The case's current handler and the dispatchers over its place may call its reporter."""
    return bool(actors_for(user, case) & {Actor.HANDLER, Actor.DISPATCHER})


def contact_reveal(*, actor: Any, case: Case, reason: str) -> str:
    """The reporter's number in plain text, for a call; recorded with the reason. Only the
    case's current handler and the dispatchers over its place may, at most CONTACT_LIMIT
    times an hour each (core/ratelimit.py); the caller fetched `case` through
    `visible_to(actor)`."""
    if not may_contact(actor, case):
        raise PermissionDenied(_("只有本件诉求的处置人和派遣人员可以联系反映人。"))
    reason = strip_control(reason or "").strip()
    if len(reason) < CONTACT_REASON_LENGTH:
        raise ValidationError(
            {"reason": _("请填写联系理由(至少 %(n)d 个字)。") % {"n": CONTACT_REASON_LENGTH}}
        )
    if not case.reporter_contact:
        raise ValidationError({"reason": _("反映人没有留下联系电话。")})
    if not ratelimit.hit("case-contact", str(actor.pk), CONTACT_LIMIT, CONTACT_WINDOW):
        raise ValidationError({"reason": _("查看次数过多,请一小时后再试。")})
    with transaction.atomic():
        audit.record(
            actor=actor,
            verb="case.contact_reveal",
            target=case,
            after={"field": "reporter_contact"},
            reason=reason,
        )
    value: str = case.reporter_contact
    return value
