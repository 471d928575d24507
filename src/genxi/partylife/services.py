"""Every write of party members' life: keyword-only, one transaction, locked, audited.

The staff of the organisation's place (社区工作者, 街道管理员: `STAFF_ROLES` over the
organisation's node) plan, record attendance, moderate and link; a member with an account
posts their own reflections and contact-day notes."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from genxi.cases.models import Case, Channel
from genxi.cases.services import case_create
from genxi.core import audit, pii
from genxi.core.domain.phones import is_valid_mobile
from genxi.core.params import calendar_error
from genxi.core.roles import STAFF_ROLES
from genxi.core.scope import scope_for
from genxi.orgs.models import PartyMember, PartyOrg
from genxi.people.models import Pioneer, Resident, User
from genxi.regions.models import Level, Region
from genxi.stations.models import Book, ReflectionStatus

from .links import PRACTICE_KINDS, practice_model
from .models import (
    Attendance,
    AttendanceStatus,
    ContactDay,
    ContactNote,
    PracticeLink,
    SessionKind,
    StudyEntry,
    StudyReflection,
    TrainingPlan,
    TrainingSession,
)

TOPIC_MAX = 80
REFLECTION_MAX = 200
MAX_MINUTES = 600


# Who may --------------------------------------------------------------------------------------


def is_staff_over(actor: Any, org: PartyOrg) -> bool:
    return scope_for(actor).role_covers(STAFF_ROLES, org.region.path)


def _require_staff(actor: Any, org: PartyOrg) -> None:
    if not is_staff_over(actor, org):
        raise PermissionDenied(_("只有本党组织所在社区或街道的工作人员可以这样做。"))


def _is_member_self(actor: Any, member: PartyMember) -> bool:
    return (
        actor is not None
        and getattr(actor, "is_authenticated", False)
        and member.user_id is not None
        and member.user_id == actor.pk
    )


# Members as people --------------------------------------------------------------------------


def _check_person(
    org: PartyOrg,
    *,
    pioneer: Pioneer | None,
    resident: Resident | None,
    user: User | None,
    phone: str,
    exclude: int | None = None,
) -> None:
    """One person is one member of an organisation: no second member with the same pioneer,
    resident or account."""
    errors: dict[str, str] = {}
    if phone and not is_valid_mobile(phone):
        errors["phone"] = _("请填写 11 位手机号码。")
    others = PartyMember.objects.filter(org=org)
    if exclude is not None:
        others = others.exclude(pk=exclude)
    if pioneer is not None and others.filter(pioneer=pioneer).exists():
        errors["pioneer"] = _("这位海棠先锋已是本党组织的党员。")
    if resident is not None and others.filter(resident=resident).exists():
        errors["resident"] = _("这位居民已是本党组织的党员。")
    if user is not None and others.filter(user=user).exists():
        errors["user"] = _("这个账号已是本党组织的党员。")
    if errors:
        raise ValidationError(errors)


def member_create(
    *,
    actor: Any,
    org: PartyOrg,
    name: str,
    position: str = "",
    phone: str = "",
    id_number: str = "",
    joined_on: date | None = None,
    pioneer: Pioneer | None = None,
    resident: Resident | None = None,
    user: User | None = None,
) -> PartyMember:
    """Register a member; if the same person is a pioneer, a resident or an account holder,
    link them here (the name and phone are taken from them when not given)."""
    if actor is not None:
        _require_staff(actor, org)
    name = (
        name or (pioneer.name if pioneer else "") or (resident.name if resident else "")
    ).strip()
    if not name:
        raise ValidationError({"name": _("请填写姓名。")})
    phone = phone or (resident.phone if resident else "") or (pioneer.phone if pioneer else "")
    id_number = id_number or (resident.id_number if resident else "")
    with transaction.atomic():
        PartyOrg.objects.select_for_update().get(pk=org.pk)
        _check_person(org, pioneer=pioneer, resident=resident, user=user, phone=phone)
        member = PartyMember.objects.create(
            org=org,
            name=name[:50],
            position=position[:50],
            phone=phone,
            id_number=id_number,
            id_number_digest=pii.digest(id_number) if id_number else "",
            joined_on=joined_on,
            pioneer=pioneer,
            resident=resident,
            user=user,
        )
        audit.record(
            actor=actor, verb="party_member.add", target=member, after=audit.snapshot(member)
        )
    return member


def member_link(
    *,
    actor: Any,
    member: PartyMember,
    pioneer: Pioneer | None = None,
    resident: Resident | None = None,
    user: User | None = None,
) -> PartyMember:
    """Say that the member is also this pioneer, resident or account holder."""
    _require_staff(actor, member.org)
    with transaction.atomic():
        member = (
            PartyMember.objects.select_for_update().select_related("org__region").get(pk=member.pk)
        )
        before = audit.snapshot(member, ["pioneer", "resident", "user"])
        _check_person(
            member.org, pioneer=pioneer, resident=resident, user=user, phone="", exclude=member.pk
        )
        if pioneer is not None:
            member.pioneer = pioneer
        if resident is not None:
            member.resident = resident
        if user is not None:
            member.user = user
        member.save(update_fields=["pioneer", "resident", "user", "updated_at"])
        audit.record(
            actor=actor,
            verb="party_member.link",
            target=member,
            before=before,
            after=audit.snapshot(member, ["pioneer", "resident", "user"]),
        )
    return member


# Plans and sessions ------------------------------------------------------------------------


def plan_create(
    *, actor: Any, org: PartyOrg, year: int, title: str, note: str = ""
) -> TrainingPlan:
    _require_staff(actor, org)
    title = title.strip()
    errors: dict[str, str] = {}
    if not title:
        errors["title"] = _("请填写计划名称。")
    if not 2000 <= year <= 2100:
        errors["year"] = _("年度不正确。")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        PartyOrg.objects.select_for_update().get(pk=org.pk)
        if TrainingPlan.objects.filter(org=org, year=year).exists():
            raise ValidationError({"year": _("本党组织这一年度已有冬训计划。")})
        plan = TrainingPlan.objects.create(org=org, year=year, title=title[:80], note=note)
        audit.record(
            actor=actor, verb="training_plan.create", target=plan, after=audit.snapshot(plan)
        )
    return plan


def session_create(
    *,
    actor: Any,
    plan: TrainingPlan,
    topic: str,
    kind: str,
    starts_at: datetime,
    minutes: int,
    place: str = "",
    materials: str = "",
) -> TrainingSession:
    _require_staff(actor, plan.org)
    topic = topic.strip()
    errors: dict[str, str] = {}
    if not topic:
        errors["topic"] = _("请填写课程主题。")
    elif len(topic) > TOPIC_MAX:
        errors["topic"] = _("主题不超过 80 个字。")
    if kind not in SessionKind.values:
        errors["kind"] = _("请选择课程形式。")
    if message := calendar_error(starts_at):
        errors["starts_at"] = message
    if not 1 <= minutes <= MAX_MINUTES:
        errors["minutes"] = _("时长应在 1 到 600 分钟之间。")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        TrainingPlan.objects.select_for_update().get(pk=plan.pk)
        session = TrainingSession.objects.create(
            plan=plan,
            topic=topic,
            kind=kind,
            starts_at=starts_at,
            minutes=minutes,
            place=place.strip()[:80],
            materials=materials.strip(),
        )
        audit.record(
            actor=actor,
            verb="training_session.create",
            target=session,
            after=audit.snapshot(session),
        )
    return session


def attendance_record(
    *, actor: Any, session: TrainingSession, marks: Mapping[int, str]
) -> list[Attendance]:
    """Record (or correct) the attendance of the branch's members: member id → status.
    Every member of the organisation must be marked; the session is then held."""
    org = session.plan.org
    _require_staff(actor, org)
    with transaction.atomic():
        session = TrainingSession.objects.select_for_update().get(pk=session.pk)
        members = set(PartyMember.objects.filter(org=org).values_list("pk", flat=True))
        errors: dict[str, str] = {}
        if set(marks) - members:
            errors["marks"] = _("名单中有不属于本党组织的党员。")
        elif members - set(marks):
            errors["marks"] = _("请为每位党员登记出勤。")
        elif any(status not in AttendanceStatus.values for status in marks.values()):
            errors["marks"] = _("出勤状态不正确。")
        if errors:
            raise ValidationError(errors)
        before = dict(Attendance.objects.filter(session=session).values_list("member_id", "status"))
        Attendance.objects.filter(session=session).delete()
        rows = Attendance.objects.bulk_create(
            Attendance(session=session, member_id=m, status=s) for m, s in sorted(marks.items())
        )
        session.held_at = session.held_at or timezone.now()
        session.save(update_fields=["held_at", "updated_at"])
        audit.record(
            actor=actor,
            verb="training_session.attendance",
            target=session,
            before={"marks": {str(k): v for k, v in before.items()}},
            after={"marks": {str(k): v for k, v in sorted(marks.items())}},
        )
    return rows


def session_books(
    *, actor: Any, session: TrainingSession, books: Iterable[Book]
) -> TrainingSession:
    """The station books read for the session (borrowed through the stations' lending)."""
    _require_staff(actor, session.plan.org)
    books = list(books)
    visible = set(
        Book.objects.visible_to(actor)
        .filter(pk__in=[b.pk for b in books])
        .values_list("pk", flat=True)
    )
    if any(b.pk not in visible for b in books):
        raise ValidationError({"books": _("只能选择可见驿站的图书。")})
    with transaction.atomic():
        session = TrainingSession.objects.select_for_update().get(pk=session.pk)
        before = sorted(session.books.values_list("pk", flat=True))
        session.books.set(books)
        audit.record(
            actor=actor,
            verb="training_session.books",
            target=session,
            before={"books": before},
            after={"books": sorted(b.pk for b in books)},
        )
    return session


def practice_link(*, actor: Any, session: TrainingSession, kind: str, pk: int) -> PracticeLink:
    """Link a practice class to the work it produced (a round, an event, a visit)."""
    _require_staff(actor, session.plan.org)
    if session.kind != SessionKind.PRACTICE:
        raise ValidationError({"kind": _("只有实践课堂可以关联工作成果。")})
    model = practice_model(kind)
    if model is None:
        raise ValidationError({"kind": _("请选择成果类型。")})
    target = model.objects.visible_to(actor).filter(pk=pk).first()  # type: ignore[attr-defined]
    if target is None:
        raise ValidationError({"target": _("找不到这项工作,或无权查看。")})
    ct = ContentType.objects.get_for_model(model)
    with transaction.atomic():
        TrainingSession.objects.select_for_update().get(pk=session.pk)
        if PracticeLink.objects.filter(session=session, content_type=ct, object_id=pk).exists():
            raise ValidationError({"target": _("已经关联过这项工作。")})
        link = PracticeLink.objects.create(
            session=session,
            content_type=ct,
            object_id=pk,
            label=f"{PRACTICE_KINDS[kind][1]}:{target}"[:120],
        )
        audit.record(
            actor=actor, verb="practice_link.create", target=link, after={"label": link.label}
        )
    return link


# Study hours and reflections ------------------------------------------------------------------


def study_entry_create(
    *, actor: Any, member: PartyMember, day: date, minutes: int, note: str
) -> StudyEntry:
    if not _is_member_self(actor, member):
        _require_staff(actor, member.org)
    note = note.strip()
    errors: dict[str, str] = {}
    if not note:
        errors["note"] = _("请填写学习内容。")
    if not 1 <= minutes <= MAX_MINUTES:
        errors["minutes"] = _("时长应在 1 到 600 分钟之间。")
    if day > timezone.localdate():
        errors["day"] = _("不能登记未来的自学。")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        PartyMember.objects.select_for_update().get(pk=member.pk)
        entry = StudyEntry.objects.create(
            member=member, day=day, minutes=minutes, note=note[:120], recorded_by=actor
        )
        audit.record(
            actor=actor, verb="study_entry.create", target=entry, after=audit.snapshot(entry)
        )
    return entry


def reflection_create(
    *, actor: Any, member: PartyMember, text: str, session: TrainingSession | None = None
) -> StudyReflection:
    """A member's reflection (posted by the member, or for them by the staff): waits for
    moderation, as on the stations' wall."""
    if not _is_member_self(actor, member):
        _require_staff(actor, member.org)
    text = text.strip()
    if not text:
        raise ValidationError({"text": _("请写下学习感悟。")})
    if len(text) > REFLECTION_MAX:
        raise ValidationError({"text": _("学习感悟不超过 200 个字。")})
    if session is not None and session.plan.org_id != member.org_id:
        raise ValidationError({"session": _("这节课不属于该党员所在的党组织。")})
    with transaction.atomic():
        PartyMember.objects.select_for_update().get(pk=member.pk)
        reflection = StudyReflection.objects.create(member=member, text=text, session=session)
        audit.record(actor=actor, verb="study_reflection.create", target=reflection)
    return reflection


def reflection_moderate(
    *, actor: Any, reflection: StudyReflection, approve: bool
) -> StudyReflection:
    """Show the reflection or hide it (either may be undone): the stations' wall's rule."""
    _require_staff(actor, reflection.member.org)
    status = ReflectionStatus.APPROVED if approve else ReflectionStatus.HIDDEN
    with transaction.atomic():
        reflection = StudyReflection.objects.select_for_update().get(pk=reflection.pk)
        before = reflection.status
        reflection.status = status
        reflection.moderated_by = actor
        reflection.moderated_at = timezone.now()
        reflection.save(update_fields=["status", "moderated_by", "moderated_at"])
        audit.record(
            actor=actor,
            verb="study_reflection.approve" if approve else "study_reflection.hide",
            target=reflection,
            before={"status": before},
            after={"status": status},
        )
    return reflection


# Contact days ---------------------------------------------------------------------------------


def contact_day_create(
    *, actor: Any, org: PartyOrg, community: Region, member: PartyMember, day: date, place: str = ""
) -> ContactDay:
    """Assign a member (or cadre) of the organisation to a community on a day."""
    _require_staff(actor, org)
    errors: dict[str, str] = {}
    if community.level != Level.COMMUNITY or not scope_for(actor).role_covers(
        STAFF_ROLES, community.path
    ):
        errors["community"] = _("请选择本辖区的社区。")
    if member.org_id != org.pk:
        errors["member"] = _("请选择本党组织的党员。")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        PartyOrg.objects.select_for_update().get(pk=org.pk)
        if ContactDay.objects.filter(member=member, community=community, day=day).exists():
            raise ValidationError({"day": _("这位党员当天已安排在这个社区。")})
        contact = ContactDay.objects.create(
            org=org, community=community, member=member, day=day, place=place.strip()[:80]
        )
        audit.record(
            actor=actor, verb="contact_day.create", target=contact, after=audit.snapshot(contact)
        )
    return contact


def contact_note_create(
    *, actor: Any, day: ContactDay, text: str, to_case: bool = False
) -> ContactNote:
    """What was heard on the day: a note, or also a case in the request loop (through its
    intake service, channel 来访, placed in the community)."""
    if not (
        _is_member_self(actor, day.member)
        or scope_for(actor).role_covers(STAFF_ROLES, day.community.path)
    ):
        raise PermissionDenied(_("只有联系党员本人和社区工作人员可以记录。"))
    text = text.strip()
    if len(text) < 5:
        raise ValidationError({"text": _("请把听到的情况说清楚(至少 5 个字)。")})
    with transaction.atomic():
        ContactDay.objects.select_for_update().get(pk=day.pk)
        case: Case | None = None
        if to_case:
            case = case_create(
                actor=actor, channel=Channel.WALK_IN, text=text, region=day.community
            )
        note = ContactNote.objects.create(day=day, text=text[:500], case=case, created_by=actor)
        audit.record(
            actor=actor,
            verb="contact_note.create",
            target=note,
            after={"case": case.pk if case else None},
        )
    return note
