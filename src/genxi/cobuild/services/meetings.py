"""Writes of joint meetings: schedule, invite, hear opinions, record minutes and attendance,
and turn each resolution into an action item — a need, a project or a case."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from genxi.cases.models import Case, Channel
from genxi.cases.services import case_create
from genxi.core import audit, notifications
from genxi.core.roles import STAFF_ROLES
from genxi.core.scope import scope_for
from genxi.orgs.models import PartnerUnit
from genxi.people.models import Resident
from genxi.regions.models import Level, Region

from .. import selectors
from ..domain.steps import MeetingAction, meeting_allows, meeting_started
from ..models import (
    ActionKind,
    AgendaItem,
    Invitee,
    Meeting,
    MeetingStatus,
    Opinion,
    Resolution,
)
from .lists import _require_staff_over, need_create
from .projects import project_create


def meeting_create(
    *,
    actor: Any,
    host: Region,
    title: str,
    starts_at: datetime,
    place: str,
    units: list[PartnerUnit] | None = None,
    residents: list[Resident] | None = None,
    agenda: list[str] | None = None,
) -> Meeting:
    """Schedule a meeting. Its agenda opens with the unfinished items of earlier meetings."""
    errors = {}
    if host.level not in (Level.STREET, Level.COMMUNITY):
        errors["host"] = _("联席会由街道或社区召集。")
    if not title.strip():
        errors["title"] = _("请填写会议名称。")
    if not place.strip():
        errors["place"] = _("请填写会议地点。")
    if errors:
        raise ValidationError(errors)
    _require_staff_over(actor, host)
    with transaction.atomic():
        meeting = Meeting.objects.create(
            host=host, title=title.strip(), starts_at=starts_at, place=place.strip()
        )
        Invitee.objects.bulk_create(
            [Invitee(meeting=meeting, unit=u) for u in units or []]
            + [Invitee(meeting=meeting, resident=r) for r in residents or []]
        )
        items = [
            AgendaItem(
                meeting=meeting,
                title=_("未完成事项:%(text)s(%(place)s)")
                % {"text": r.text, "place": r.community.name},
                carried=r,
            )
            for r in selectors.unfinished_items(host=host, before=starts_at)
        ]
        items += [AgendaItem(meeting=meeting, title=t.strip()) for t in agenda or [] if t.strip()]
        for position, item in enumerate(items, start=1):
            item.position = position
        AgendaItem.objects.bulk_create(items)
        audit.record(
            actor=actor,
            verb="meeting.create",
            target=meeting,
            after={
                **audit.snapshot(meeting),
                "units": [u.pk for u in units or []],
                "residents": [r.pk for r in residents or []],
                "agenda": [i.title for i in items],
            },
        )
    return meeting


# Why a step is refused (the page shows a step's button only when it is allowed).
REFUSALS = {
    MeetingAction.AGENDA: _("会议已召开或已取消,议程不能再改。"),
    MeetingAction.INVITE: _("会议已召开或已取消,不能再邀请。"),
    MeetingAction.OPINION: _("会议已召开或已取消,不再收集会前意见。"),
    MeetingAction.CANCEL: _("只能取消尚未召开的会议。"),
}
NOT_STARTED = {
    MeetingAction.RECORD: _("会议开始后才能保存纪要与签到。"),
    MeetingAction.RESOLUTION: _("会议开始后才能记录决议。"),
}


def _locked_meeting(meeting: Meeting, action: MeetingAction) -> Meeting:
    """The meeting's row, locked until the transaction ends, if `action` is one of its
    steps now (cobuild.domain.steps.meeting_allows: its status as it is now, not as the
    caller read it, and whether it has started)."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    started = meeting_started(meeting.starts_at, timezone.now())
    if action in meeting_allows(meeting.status, started):
        return meeting
    if meeting.status == MeetingStatus.CANCELLED and action not in REFUSALS:
        raise ValidationError({"status": _("会议已取消。")})
    raise ValidationError({"status": REFUSALS.get(action) or NOT_STARTED[action]})


def meeting_invite(
    *,
    actor: Any,
    meeting: Meeting,
    resident: Resident | None = None,
    unit: PartnerUnit | None = None,
) -> Invitee:
    """Invite one more residents' representative or unit (once)."""
    if (resident is None) == (unit is None):
        raise ValueError("invite a resident or a unit")
    _require_staff_over(actor, meeting.host)
    with transaction.atomic():
        meeting = _locked_meeting(meeting, MeetingAction.INVITE)
        invitee, created = Invitee.objects.get_or_create(
            meeting=meeting, resident=resident, unit=unit
        )
        if created:
            audit.record(
                actor=actor,
                verb="meeting.invite",
                target=meeting,
                after={
                    "resident": getattr(resident, "pk", None),
                    "unit": getattr(unit, "pk", None),
                },
            )
    return invitee


def agenda_add(*, actor: Any, meeting: Meeting, title: str) -> AgendaItem:
    """One more item at the end of the agenda, before the meeting is held."""
    if not title.strip():
        raise ValidationError({"title": _("请填写议题。")})
    _require_staff_over(actor, meeting.host)
    with transaction.atomic():
        # The meeting's lock numbers its items one at a time; the unique (meeting,
        # position) constraint backs it.
        meeting = _locked_meeting(meeting, MeetingAction.AGENDA)
        last = meeting.agenda.order_by("-position").values_list("position", flat=True).first()
        item = AgendaItem.objects.create(
            meeting=meeting, position=(last or 0) + 1, title=title.strip()[:200]
        )
        audit.record(
            actor=actor, verb="meeting.agenda", target=meeting, after={"title": item.title}
        )
    return item


def meeting_cancel(*, actor: Any, meeting: Meeting, reason: str) -> Meeting:
    """Call off a scheduled meeting; its unfinished items go to the next one."""
    if not reason.strip():
        raise ValidationError({"reason": _("请说明原因。")})
    _require_staff_over(actor, meeting.host)
    with transaction.atomic():
        meeting = _locked_meeting(meeting, MeetingAction.CANCEL)
        meeting.status = MeetingStatus.CANCELLED
        meeting.save(update_fields=["status", "updated_at"])
        audit.record(
            actor=actor,
            verb="meeting.cancel",
            target=meeting,
            reason=reason,
            before={"status": MeetingStatus.SCHEDULED},
            after={"status": MeetingStatus.CANCELLED},
        )
    return meeting


def opinion_add(
    *, actor: Any, meeting: Meeting, case: Case | None = None, note: str = ""
) -> Opinion:
    """A resident's opinion heard before the meeting: a case in the loop or a visit note."""
    if case is None and not note.strip():
        raise ValidationError({"note": _("请选择一件诉求或填写走访记录。")})
    _require_staff_over(actor, meeting.host)
    with transaction.atomic():
        meeting = _locked_meeting(meeting, MeetingAction.OPINION)
        opinion = Opinion.objects.create(meeting=meeting, case=case, note=note.strip())
        audit.record(
            actor=actor,
            verb="meeting.opinion",
            target=meeting,
            after={"case": case.code if case else None, "note": opinion.note},
        )
    return opinion


def meeting_record(
    *, actor: Any, meeting: Meeting, minutes: str, attended: set[int] | None = None
) -> Meeting:
    """Save the minutes and who came (invitee ids), from the meeting's start time on; the
    meeting is then held. Saved again, they are corrected."""
    if not minutes.strip():
        raise ValidationError({"minutes": _("请填写会议纪要。")})
    _require_staff_over(actor, meeting.host)
    attended = attended or set()
    with transaction.atomic():
        meeting = _locked_meeting(meeting, MeetingAction.RECORD)
        before = audit.snapshot(meeting)
        for invitee in meeting.invitees.all():
            came = invitee.pk in attended
            if invitee.attended is not came:
                invitee.attended = came
                invitee.save(update_fields=["attended"])
        meeting.minutes = minutes.strip()
        meeting.status = MeetingStatus.HELD
        meeting.save(update_fields=["minutes", "status", "updated_at"])
        audit.record(
            actor=actor,
            verb="meeting.record",
            target=meeting,
            before=before,
            after={**audit.snapshot(meeting), "attended": sorted(attended)},
        )
    return meeting


def resolution_add(
    *,
    actor: Any,
    meeting: Meeting,
    text: str,
    kind: str,
    owner: Any,
    deadline: date,
    community: Region | None = None,
    **details: Any,
) -> Resolution:
    """Record a resolution and start its action item in one transaction.

    need: `need_kind`, `quantity`, `unit_label` (and `pooled`); project: `goal`, `budget`;
    case: the text goes into the request loop as a case from the meeting, placed in the
    community (or the host), and the owner follows it up.
    """
    errors = {}
    if kind not in ActionKind.values:
        errors["kind"] = _("请选择落实方式:发布需求、立项或转诉求办理。")
    if not text.strip():
        errors["text"] = _("请填写决议事项。")
    if deadline is None:
        errors["deadline"] = _("请填写完成时限。")
    elif deadline < meeting.starts_at.date():
        errors["deadline"] = _("完成时限不能早于会议日期。")
    if owner is None or not scope_for(owner).role_covers(
        STAFF_ROLES, (community or meeting.host).path
    ):
        errors["owner"] = _("责任人须是该社区或街道的工作人员。")
    community = community or meeting.host
    if kind in (ActionKind.NEED, ActionKind.PROJECT) and community.level != Level.COMMUNITY:
        errors["community"] = _("需求和项目须落在一个社区。")
    if community.pk != meeting.host.pk and not community.path.startswith(meeting.host.path):
        errors["community"] = _("只能落在本次会议召集范围内的社区。")
    if errors:
        raise ValidationError(errors)
    _require_staff_over(actor, meeting.host)
    text = text.strip()
    with transaction.atomic():
        meeting = _locked_meeting(meeting, MeetingAction.RESOLUTION)
        resolution = Resolution(
            meeting=meeting,
            text=text,
            kind=kind,
            community=community,
            owner=owner,
            deadline=deadline,
        )
        if kind == ActionKind.NEED:
            resolution.need = need_create(
                actor=actor,
                community=community,
                title=text[:100],
                kind=details.get("need_kind", ""),
                quantity=int(details.get("quantity") or 0),
                unit_label=details.get("unit_label", ""),
                pooled=bool(details.get("pooled")),
                end=deadline,
                description=_("联席会决议:%(title)s") % {"title": meeting.title},
            )
        elif kind == ActionKind.PROJECT:
            resolution.project = project_create(
                actor=actor,
                community=community,
                title=text[:100],
                goal=details.get("goal") or text,
                budget=int(details.get("budget") or 0),
                start=meeting.starts_at.date(),
                end=deadline,
            )
        else:
            resolution.case = case_create(
                actor=actor,
                channel=Channel.MEETING,
                text=text,
                region=community,
                address=details.get("address", ""),
                tags=[_("联席会")],
            )
        resolution.save()
        notifications.tell(
            [owner],
            verb="action_item",
            text=_("联席会交办:%(text)s(%(place)s,%(deadline)s 前完成)")
            % {"text": text[:120], "place": community.name, "deadline": deadline.isoformat()},
            subject=resolution.case,
        )
        audit.record(
            actor=actor,
            verb="meeting.resolution",
            target=meeting,
            after={
                "text": text,
                "kind": kind,
                "owner": owner.get_username(),
                "deadline": deadline.isoformat(),
                "target": str(resolution.target),  # its name on the audit page, not an id
            },
        )
    return resolution
