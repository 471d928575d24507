"""Writes of inspections and rectification: each checks who may, runs in one transaction, is
audited, and tells the people concerned in their inbox.

- Checklists: `ensure_default_templates` (the three of the newspaper page), `template_revise`
  (a new version; rounds and inspections keep the version they used).
- Targets: `target_create`, `target_update` (the responsible person encrypted).
- Rounds: `round_create` (targets, checklist, dates, the joint team told in the inbox).
- Inspections: `answer_submit` (one item, with photos, exactly once per idempotency key),
  `inspection_finish` (the responsible person's name and drawn signature; failed items not
  put right on the spot make a rectification notice, numbered per street and year under a
  locked counter, with a re-inspection scheduled for its deadline).
- Notices: closed by a passing re-inspection; `escalate_due` (run periodically) turns an
  open notice whose deadline has come into a case of the request loop (channel 检查整改)."""

from __future__ import annotations

import base64
import binascii
import io
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from genxi.cases.models import Case, Channel
from genxi.cases.selectors import street_handlers
from genxi.cases.services import case_act, case_create
from genxi.core import audit, notifications
from genxi.core.domain.phones import is_valid_mobile
from genxi.core.photos import clean_photo
from genxi.core.roles import STAFF_ROLES, Role
from genxi.core.scope import scope_for
from genxi.people.models import User
from genxi.regions.models import Level, Region

from .defaults import DEFAULTS
from .domain.rules import Finding, is_due_for_escalation, needs_notice, next_state, notice_number
from .models import (
    Answer,
    AnswerKey,
    AnswerPhoto,
    ChecklistItem,
    ChecklistTemplate,
    Inspection,
    InspectionState,
    ItemType,
    MemberRole,
    Notice,
    NoticeCounter,
    NoticeItem,
    NoticeState,
    Result,
    Round,
    RoundMember,
    RoundState,
    Severity,
    Target,
    TargetKind,
    TemplateVersion,
)

SIGNATURE_MAX_BYTES = 512 * 1024
SIGNATURE_MAX_SIDE = 2000
DEFAULT_DAYS = 7


# Who may ------------------------------------------------------------------------------------


def is_staff_over(actor: Any, region: Region) -> bool:
    return scope_for(actor).role_covers(STAFF_ROLES, region.path)


def may_plan(actor: Any, street: Region) -> bool:
    """A round is planned by the street's admin (its safety office) or the system admin."""
    scope = scope_for(actor)
    return scope.is_global or scope.role_covers({Role.STREET_ADMIN}, street.path)


def may_inspect(actor: Any, inspection: Inspection) -> bool:
    """The round's team, and the staff over the target's community."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        return False
    if is_staff_over(actor, inspection.target.community):
        return True
    return RoundMember.objects.filter(round_id=inspection.round_id, user_id=actor.pk).exists()


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


# Checklists ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ItemSpec:
    text: str
    type: str = ItemType.CHECK
    severity: str = Severity.MINOR
    legal_basis: str = ""
    remedy: str = ""
    photo_on_fail: bool = False
    guidance: str = ""


def _make_version(
    template: ChecklistTemplate, items: Sequence[ItemSpec], actor: Any, note: str
) -> TemplateVersion:
    last = template.versions.order_by("-number").values_list("number", flat=True).first()
    version = TemplateVersion.objects.create(
        template=template,
        number=(last or 0) + 1,
        note=note,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    ChecklistItem.objects.bulk_create(
        [
            ChecklistItem(
                version=version,
                position=i,
                text=spec.text.strip(),
                type=spec.type,
                guidance=spec.guidance,
                severity=spec.severity,
                legal_basis=spec.legal_basis,
                remedy=spec.remedy,
                photo_on_fail=spec.photo_on_fail,
            )
            for i, spec in enumerate(items, start=1)
        ]
    )
    return version


def ensure_default_templates() -> list[ChecklistTemplate]:
    """The three checklists of the newspaper page, each with a first version (idempotent)."""
    made = []
    with transaction.atomic():
        for spec in DEFAULTS:
            template, created = ChecklistTemplate.objects.get_or_create(
                code=spec["code"],
                defaults={
                    "name": spec["name"],
                    "kind": spec["kind"],
                    "target_kinds": spec["target_kinds"],
                },
            )
            if created or not template.versions.exists():
                items = [
                    ItemSpec(text, severity=sev, legal_basis=law, remedy=remedy, photo_on_fail=ph)
                    for text, sev, law, remedy, ph in spec["items"]
                ]
                _make_version(template, items, None, "")
            made.append(template)
    return made


def _check_items(items: Sequence[ItemSpec]) -> None:
    if not items:
        raise ValidationError({"items": _("检查表至少要有一个检查项。")})
    for spec in items:
        if not spec.text.strip():
            raise ValidationError({"items": _("每个检查项都要写明检查内容。")})
        if spec.type not in ItemType.values or spec.severity not in Severity.values:
            raise ValidationError({"items": _("检查项的类型或严重程度不正确。")})


def template_revise(
    *, actor: Any, template: ChecklistTemplate, items: Sequence[ItemSpec], note: str = ""
) -> TemplateVersion:
    """A new version of the checklist: what was inspected keeps its own version."""
    scope = scope_for(actor)
    _require(
        scope.is_global or Role.STREET_ADMIN in scope.roles,
        _("只有街道管理员可以修订检查表。"),
    )
    _check_items(items)
    with transaction.atomic():
        ChecklistTemplate.objects.select_for_update().get(pk=template.pk)
        version = _make_version(template, items, actor, note.strip())
        audit.record(
            actor=actor,
            verb="inspection_template.revise",
            target=template,
            after={"version": version.number, "items": len(items), "note": note.strip()},
        )
    return version


# Targets ------------------------------------------------------------------------------------


def _check_target(
    *, kind: str, name: str, community: Region, grid: Region | None, responsible_phone: str
) -> None:
    errors: dict[str, str] = {}
    if kind not in TargetKind.values:
        errors["kind"] = _("未知的对象类型。")
    if not name.strip():
        errors["name"] = _("请填写名称。")
    if community.level != Level.COMMUNITY:
        errors["community"] = _("检查对象须属于一个社区。")
    if grid is not None and (grid.level != Level.GRID or grid.parent_id != community.pk):
        errors["grid"] = _("网格须在所选社区内。")
    if responsible_phone and not is_valid_mobile(responsible_phone):
        errors["responsible_phone"] = _("请填写11位手机号码。")
    if errors:
        raise ValidationError(errors)


TARGET_FIELDS = (
    "kind",
    "name",
    "community",
    "grid",
    "address",
    "licences",
    "responsible_name",
    "responsible_phone",
    "active",
)


def target_create(
    *,
    actor: Any,
    kind: str,
    name: str,
    community: Region,
    grid: Region | None = None,
    address: str = "",
    licences: str = "",
    responsible_name: str = "",
    responsible_phone: str = "",
) -> Target:
    responsible_phone = responsible_phone.strip()
    _check_target(
        kind=kind, name=name, community=community, grid=grid, responsible_phone=responsible_phone
    )
    _require(is_staff_over(actor, community), _("只有本社区或街道的工作人员可以这样做。"))
    with transaction.atomic():
        target = Target.objects.create(
            kind=kind,
            name=name.strip(),
            community=community,
            grid=grid,
            address=address.strip(),
            licences=licences.strip(),
            responsible_name=responsible_name.strip(),
            responsible_phone=responsible_phone,
        )
        audit.record(
            actor=actor,
            verb="inspection_target.create",
            target=target,
            after=audit.snapshot(target, TARGET_FIELDS),
        )
    return target


def target_update(*, actor: Any, target: Target, **fields: Any) -> Target:
    unknown = set(fields) - set(TARGET_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields {sorted(unknown)}")
    _require(is_staff_over(actor, target.community), _("只有本社区或街道的工作人员可以这样做。"))
    merged = {f: fields.get(f, getattr(target, f)) for f in TARGET_FIELDS}
    _check_target(
        kind=merged["kind"],
        name=merged["name"],
        community=merged["community"],
        grid=merged["grid"],
        responsible_phone=str(merged["responsible_phone"] or "").strip(),
    )
    _require(is_staff_over(actor, merged["community"]), _("只有本社区或街道的工作人员可以这样做。"))
    with transaction.atomic():
        locked = Target.objects.select_for_update().get(pk=target.pk)
        before = audit.snapshot(locked, TARGET_FIELDS)
        for f, value in merged.items():
            setattr(locked, f, value.strip() if isinstance(value, str) else value)
        locked.save()
        old, new = audit.diff(before, audit.snapshot(locked, TARGET_FIELDS))
        audit.record(
            actor=actor, verb="inspection_target.update", target=locked, before=old, after=new
        )
    return locked


# Rounds -------------------------------------------------------------------------------------


def round_create(
    *,
    actor: Any,
    title: str,
    street: Region,
    template: ChecklistTemplate,
    targets: Sequence[Target],
    starts_on: date,
    ends_on: date,
    team: Sequence[tuple[Any, str]] = (),
    department: str = "",
) -> Round:
    """Plan a round: one inspection per target on the checklist's current version; each of
    the team is told in the inbox; a target with an earlier notice is flagged."""
    errors: dict[str, str] = {}
    if not title.strip():
        errors["title"] = _("请填写轮次名称。")
    if street.level != Level.STREET:
        errors["street"] = _("检查轮次须属于一个街道。")
    if ends_on < starts_on:
        errors["ends_on"] = _("结束日期不能早于开始日期。")
    if not targets:
        errors["targets"] = _("请至少选择一个检查对象。")
    elif any(not t.community.path.startswith(street.path) for t in targets):
        errors["targets"] = _("检查对象须在本街道内。")
    if any(role not in MemberRole.values for _user, role in team):
        errors["team"] = _("未知的检查组身份。")
    if errors:
        raise ValidationError(errors)
    _require(may_plan(actor, street), _("只有街道管理员可以制定检查计划。"))
    version = template.current()
    with transaction.atomic():
        round_ = Round.objects.create(
            title=title.strip(),
            street=street,
            version=version,
            department=department.strip(),
            starts_on=starts_on,
            ends_on=ends_on,
            created_by=actor,
        )
        members: dict[int, RoundMember] = {}
        for user, role in team:
            members.setdefault(user.pk, RoundMember(round=round_, user=user, role=role))
        RoundMember.objects.bulk_create(list(members.values()))
        offenders = set(
            Notice.objects.filter(target__in=targets).values_list("target_id", flat=True)
        )
        Inspection.objects.bulk_create(
            [
                Inspection(
                    round=round_,
                    target=t,
                    scheduled_on=starts_on,
                    repeat_offender=t.pk in offenders,
                )
                for t in {t.pk: t for t in targets}.values()
            ]
        )
        audit.record(
            actor=actor,
            verb="inspection_round.create",
            target=round_,
            after={
                "title": round_.title,
                "template": str(template),
                "version": version.number,
                "targets": len(targets),
                "team": len(members),
                "starts_on": starts_on.isoformat(),
                "ends_on": ends_on.isoformat(),
            },
        )
        notifications.tell(
            [m.user for m in members.values()],
            verb="inspection_round",
            text=_("您已加入检查组:%(title)s(%(start)s 至 %(end)s,%(n)d 个检查对象)")
            % {
                "title": round_.title,
                "start": starts_on.isoformat(),
                "end": ends_on.isoformat(),
                "n": len(targets),
            },
            subject=round_,
        )
    return round_


# Answers ------------------------------------------------------------------------------------


def items_of(inspection: Inspection) -> list[ChecklistItem]:
    """What the inspection answers: the round's checklist version, or, for a re-inspection,
    the items of the notice it follows."""
    if inspection.reinspects_id is not None:
        return [
            ni.item
            for ni in NoticeItem.objects.filter(notice_id=inspection.reinspects_id)
            .select_related("item")
            .order_by("item__position")
        ]
    return list(inspection.round.version.items.order_by("position"))


def answer_submit(
    *,
    actor: Any,
    inspection: Inspection,
    item: ChecklistItem,
    key: uuid.UUID,
    result: str = "",
    number: Decimal | None = None,
    text: str = "",
    note: str = "",
    fixed_on_spot: bool = False,
    photos: Sequence[Any] = (),
) -> Answer:
    """Answer one item (again: the newest answer counts). A submission whose key was seen
    before changes nothing and answers the answer it made: sent twice, kept once."""
    _require(may_inspect(actor, inspection), _("只有检查组成员和本社区工作人员可以填写检查表。"))
    seen = AnswerKey.objects.filter(key=key).select_related("answer").first()
    if seen is not None:
        return seen.answer
    if item.pk not in {i.pk for i in items_of(inspection)}:
        raise ValidationError({"item": _("这一项不在本次检查的检查表中。")})
    errors: dict[str, str] = {}
    if inspection.state == InspectionState.DONE:
        errors["item"] = _("本次检查已经签字确认,不能再修改。")
    if item.type == ItemType.CHECK and result not in Result.values:
        errors["result"] = _("请选择合格、不合格或不适用。")
    if item.type != ItemType.CHECK:
        result = ""
    if item.type == ItemType.NUMBER and number is None:
        errors["number"] = _("请填写数值。")
    if item.type == ItemType.TEXT and not text.strip():
        errors["text"] = _("请填写检查记录。")
    fixed_on_spot = fixed_on_spot and result == Result.FAIL
    if errors:
        raise ValidationError(errors)
    cleaned = [clean_photo(p) for p in photos]  # refuse a bad photo before writing anything
    with transaction.atomic():
        Inspection.objects.select_for_update().get(pk=inspection.pk)  # one writer at a time
        seen = AnswerKey.objects.filter(key=key).select_related("answer").first()
        if seen is not None:
            return seen.answer
        answer = Answer.objects.filter(inspection=inspection, item=item).first()
        had_photos = answer is not None and answer.photos.exists()
        needs_photo = (item.type == ItemType.PHOTO) or (
            item.photo_on_fail and result == Result.FAIL
        )
        if needs_photo and not cleaned and not had_photos:
            raise ValidationError({"photos": _("这一项须拍照留存。")})
        answer = answer or Answer(inspection=inspection, item=item)
        answer.result = result
        answer.number = number if item.type == ItemType.NUMBER else None
        answer.text = text.strip()
        answer.note = note.strip()
        answer.fixed_on_spot = fixed_on_spot
        answer.answered_by = actor
        answer.answered_at = timezone.now()
        answer.save()
        AnswerKey.objects.create(key=key, answer=answer)
        for image, thumb, width, height in cleaned:
            AnswerPhoto.objects.create(
                answer=answer, image=image, thumbnail=thumb, width=width, height=height
            )
        audit.record(
            actor=actor,
            verb="inspection.answer",
            target=inspection,
            after={
                "item": item.text,
                "result": result,
                "fixed_on_spot": fixed_on_spot,
                "photos": len(cleaned),
            },
        )
    return answer


# The signature --------------------------------------------------------------------------------


def signature_image(data_url: str) -> ContentFile[bytes]:
    """The signature drawn on the screen (a PNG data URL) as a PNG on a white ground."""
    refused = ValidationError({"signature": _("请负责人在屏幕上签名。")})
    prefix = "data:image/png;base64,"
    if not data_url.startswith(prefix) or len(data_url) > SIGNATURE_MAX_BYTES * 4 // 3 + 64:
        raise refused
    try:
        raw = base64.b64decode(data_url[len(prefix) :], validate=True)
        with Image.open(io.BytesIO(raw)) as probe:
            if probe.format != "PNG" or max(probe.size) > SIGNATURE_MAX_SIDE:
                raise refused
            probe.load()
            drawn = probe.convert("RGBA")
    except (binascii.Error, UnidentifiedImageError, OSError, ValueError) as exc:
        raise refused from exc
    ground = Image.new("RGBA", drawn.size, "white")
    ground.alpha_composite(drawn)
    darkest = ground.convert("L").getextrema()[0]
    if isinstance(darkest, int) and darkest > 250:
        raise refused  # nothing drawn
    out = io.BytesIO()
    ground.convert("RGB").save(out, format="PNG", optimize=True)
    return ContentFile(out.getvalue(), name=f"{uuid.uuid4().hex}.png")


# Finishing an inspection; notices ----------------------------------------------------------


def due_at_of(due_on: date) -> datetime:
    """A notice due on a day is due at the end of it (the next day's midnight, local time)."""
    return timezone.make_aware(datetime.combine(due_on + timedelta(days=1), time.min))


def _next_seq(street: Region, year: int) -> int:
    """The street's next notice number in the year, under a row lock: concurrent issuers
    wait for each other, so numbers have neither gaps nor duplicates."""
    NoticeCounter.objects.bulk_create(
        [NoticeCounter(street=street, year=year, last=0)], ignore_conflicts=True
    )
    counter = NoticeCounter.objects.select_for_update().get(street=street, year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last


def notice_issue(
    *, actor: Any, inspection: Inspection, failed: Sequence[Answer], due_on: date
) -> Notice:
    """A rectification notice for the failed answers, numbered per street and year, with its
    re-inspection scheduled for the deadline. Runs inside the caller's transaction."""
    street = inspection.round.street
    now = timezone.localtime()
    with transaction.atomic():
        seq = _next_seq(street, now.year)
        notice = Notice.objects.create(
            number=notice_number(street.name, now.year, seq),
            street=street,
            year=now.year,
            seq=seq,
            inspection=inspection,
            target=inspection.target,
            due_at=due_at_of(due_on),
            issued_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        NoticeItem.objects.bulk_create(
            [
                NoticeItem(
                    notice=notice,
                    item=a.item,
                    finding=(a.note or a.item.text)[:500],
                    remedy=a.item.remedy or _("按检查要求整改到位"),
                    legal_basis=a.item.legal_basis,
                )
                for a in failed
            ]
        )
        Inspection.objects.create(
            round=inspection.round,
            target=inspection.target,
            reinspects=notice,
            scheduled_on=due_on,
        )
        audit.record(
            actor=actor,
            verb="inspection_notice.issue",
            target=notice,
            after={"number": notice.number, "items": len(failed), "due_on": due_on.isoformat()},
        )
    return notice


def inspection_finish(
    *,
    actor: Any,
    inspection: Inspection,
    ack_name: str,
    signature: str,
    note: str = "",
    due_on: date | None = None,
) -> Inspection:
    """The responsible person acknowledges with name and a drawn signature; the inspection
    is done. Failed items not put right on the spot make a notice; a re-inspection that
    passes closes its notice."""
    _require(may_inspect(actor, inspection), _("只有检查组成员和本社区工作人员可以填写检查表。"))
    if not ack_name.strip():
        raise ValidationError({"ack_name": _("请填写负责人姓名。")})
    image = signature_image(signature)
    today = timezone.localdate()
    due_on = due_on or today + timedelta(days=DEFAULT_DAYS)
    if due_on <= today:
        raise ValidationError({"due_on": _("整改期限须晚于今天。")})
    with transaction.atomic():
        locked = (
            Inspection.objects.select_for_update(of=("self",))
            .select_related("round", "round__street", "round__version", "target")
            .get(pk=inspection.pk)
        )
        if locked.state == InspectionState.DONE:
            raise ValidationError({"ack_name": _("本次检查已经签字确认。")})
        items = items_of(locked)
        answers = {
            a.item_id: a for a in Answer.objects.filter(inspection=locked).select_related("item")
        }
        missing = [i for i in items if i.pk not in answers]
        if missing:
            raise ValidationError(
                {
                    "ack_name": _("还有%(n)d项未检查:%(first)s")
                    % {"n": len(missing), "first": missing[0].text}
                }
            )
        locked.state = InspectionState.DONE
        locked.done_at = timezone.now()
        locked.inspector = actor
        locked.note = note.strip()
        locked.ack_name = ack_name.strip()
        locked.ack_signature.save(image.name or "signature.png", image, save=False)
        locked.save()
        findings = [Finding(a.result, a.fixed_on_spot) for a in answers.values()]
        failed = [a for a in answers.values() if a.result == Result.FAIL and not a.fixed_on_spot]
        failed.sort(key=lambda a: a.item.position)
        outcome = "passed"
        if locked.reinspects_id is not None:
            outcome = _after_reinspection(actor, locked, bool(failed), due_on)
        elif needs_notice(findings):
            notice_issue(actor=actor, inspection=locked, failed=failed, due_on=due_on)
            outcome = "notice"
        audit.record(
            actor=actor,
            verb="inspection.finish",
            target=locked,
            after={"ack_name": locked.ack_name, "failed": len(failed), "outcome": outcome},
        )
    return locked


def _after_reinspection(actor: Any, inspection: Inspection, failed: bool, due_on: date) -> str:
    assert inspection.reinspects_id is not None  # only a re-inspection comes here
    notice = Notice.objects.select_for_update().get(pk=inspection.reinspects_id)
    if notice.state != NoticeState.OPEN:
        return "unchanged"
    if not failed:
        notice.state = next_state(notice.state, "close")
        notice.closed_at = timezone.now()
        notice.save(update_fields=["state", "closed_at", "updated_at"])
        audit.record(
            actor=actor, verb="inspection_notice.close", target=notice, after={"state": "closed"}
        )
        return "closed"
    if is_due_for_escalation(notice.state, notice.due_at, timezone.now()):
        _escalate(notice, actor)
        return "escalated"
    Inspection.objects.create(
        round=inspection.round,
        target=inspection.target,
        reinspects=notice,
        scheduled_on=timezone.localtime(notice.due_at).date() - timedelta(days=1),
    )
    return "not_fixed"


def _department_members(notice: Notice) -> list[User]:
    return [
        m.user
        for m in RoundMember.objects.filter(
            round_id=notice.inspection.round_id,
            role__in=[MemberRole.DEPARTMENT, MemberRole.STREET],
        ).select_related("user")
    ]


def _lead_department(notice: Notice, case: Case) -> User | None:
    """The department officer of the notice's round (the first named on its team) whom the
    street may dispatch the case to; None when the team had none."""
    reachable = street_handlers(None, case)
    member = (
        RoundMember.objects.filter(
            round_id=notice.inspection.round_id,
            role=MemberRole.DEPARTMENT,
            user__in=reachable,
        )
        .select_related("user")
        .order_by("pk")
        .first()
    )
    return member.user if member is not None else None


def _escalate(notice: Notice, actor: Any) -> Case:
    """The notice becomes a case (channel 检查整改), linked both ways."""
    target = notice.target
    items = "; ".join(
        f"{ni.item.text}(须{ni.remedy})" for ni in notice.items.select_related("item")
    )
    text = _("整改通知单%(number)s逾期未整改:%(target)s(%(address)s)。未整改事项:%(items)s") % {
        "number": notice.number,
        "target": target.name,
        "address": target.address or target.community.name,
        "items": items,
    }
    case = case_create(
        actor=actor,
        channel=Channel.INSPECTION,
        text=text,
        region=target.grid or target.community,
        tags=[_("检查整改"), notice.number],
    )
    # The street's business: sent up at once and, when the round had a department officer
    # on its team, dispatched to that department as 主办 (else the street dispatches it).
    case = case_act(
        actor=None,
        case=case,
        action="escalate",
        system=True,
        reason=_("整改通知单%(number)s逾期未整改,转街道办理。") % {"number": notice.number},
    )
    lead = _lead_department(notice, case)
    if lead is not None:
        case = case_act(
            actor=None,
            case=case,
            action="dispatch",
            system=True,
            handler=lead,
            note=_("按检查轮次派牵头部门:%(dept)s")
            % {"dept": notice.inspection.round.department or lead},
        )
    notice.state = next_state(notice.state, "escalate")
    notice.case = case
    notice.save(update_fields=["state", "case", "updated_at"])
    audit.record(
        actor=actor,
        verb="inspection_notice.escalate",
        target=notice,
        after={"state": "escalated", "case": case.code},
    )
    notifications.tell(
        _department_members(notice),
        verb="inspection_escalated",
        text=_("整改通知单%(number)s(%(target)s)逾期未整改,已转为诉求%(code)s。")
        % {"number": notice.number, "target": target.name, "code": case.code},
        subject=case,
    )
    return case


def escalate_due(*, now: datetime | None = None) -> list[Notice]:
    """Escalate every open notice whose deadline has come (run periodically: the task
    `inspections.tasks.escalate_due_notices` or `genxi inspections escalate`)."""
    now = now or timezone.now()
    done = []
    for pk in Notice.objects.filter(state=NoticeState.OPEN, due_at__lte=now).values_list(
        "pk", flat=True
    ):
        with transaction.atomic():
            notice = (
                Notice.objects.select_for_update(of=("self",))
                .select_related("target", "target__community", "target__grid", "inspection")
                .get(pk=pk)
            )
            if not is_due_for_escalation(notice.state, notice.due_at, now):
                continue
            _escalate(notice, None)
            done.append(notice)
    return done


def round_close(*, actor: Any, round_: Round) -> Round:
    _require(may_plan(actor, round_.street), _("只有街道管理员可以结束检查轮次。"))
    with transaction.atomic():
        locked = Round.objects.select_for_update().get(pk=round_.pk)
        if locked.state == RoundState.DONE:
            raise ValidationError({"state": _("检查轮次已经结束。")})
        locked.state = RoundState.DONE
        locked.save(update_fields=["state", "updated_at"])
        audit.record(
            actor=actor, verb="inspection_round.close", target=locked, after={"state": "done"}
        )
    return locked
