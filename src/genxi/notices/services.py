"""Writes of notices: every one checks who may, runs in one transaction and is audited.

The staff over a community (its workers, the street's admins) draft, submit, approve and
withdraw its notices; a notice is published only when a second person approves it (four
eyes: never its author). Publishing a notice that goes by SMS queues one text per
resident of the audience who consented (core/sms); the others are counted, not texted,
and consent is asked again, under its row's lock, when each text leaves (`sms_guard`)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from genxi.core import audit
from genxi.core.domain.phones import is_valid_mobile
from genxi.core.models import OutboundText, TextStatus
from genxi.core.notifications import tell
from genxi.core.photos import clean_photo
from genxi.core.roles import STAFF_ROLES
from genxi.core.scope import scope_for
from genxi.core.sms import queue_text
from genxi.people.models import Membership, Resident, ResidentTag, SmsConsent
from genxi.people.services import sms_consent_given_locked
from genxi.regions.models import Building, Level, Region

from .domain.states import EDITABLE, State, TransitionError, check
from .models import (
    Announcement,
    AnnouncementImage,
    AnnouncementText,
    AudienceKind,
    NoticeStatus,
    PosterPrint,
    SmsOutcome,
)

SMS_PURPOSE = "notice"
IMAGES_MAX = 6
CAPTION_MAX = 40
TITLE_MAX = 60
TEXT_MAX = 2000
SMS_MAX = 200
MAX_DAYS = 366


def is_staff_over(actor: Any, community: Region) -> bool:
    return bool(scope_for(actor).role_covers(STAFF_ROLES, community.path))


def _require_staff(actor: Any, community: Region) -> None:
    if not is_staff_over(actor, community):
        raise PermissionDenied(_("只有本社区或街道的工作人员可以这样做。"))


def _clean(
    *,
    community: Region,
    title: str,
    text: str,
    valid_from: date,
    valid_until: date,
    audience: str,
    grids: Sequence[Region],
    buildings: Sequence[Building],
    tag: str,
    by_sms: bool,
    sms_text: str,
) -> dict[str, Any]:
    title, text, sms_text = title.strip(), text.strip(), sms_text.strip()
    if community.level != Level.COMMUNITY:
        raise ValidationError({"community": _("请选择一个社区。")})
    if not title or len(title) > TITLE_MAX:
        raise ValidationError({"title": _("标题不能为空,且不超过 60 字。")})
    if not text or len(text) > TEXT_MAX:
        raise ValidationError({"text": _("正文不能为空,且不超过 2000 字。")})
    if valid_until < valid_from:
        raise ValidationError({"valid_until": _("截止日期不能早于生效日期。")})
    if (valid_until - valid_from).days > MAX_DAYS:
        raise ValidationError({"valid_until": _("有效期不能超过一年。")})
    if audience not in AudienceKind.values:
        raise ValidationError({"audience": _("请选择公告范围。")})
    outside = any(g.parent_id != community.pk for g in grids)
    if audience == AudienceKind.GRIDS and (not grids or outside):
        raise ValidationError({"grids": _("请选择本社区的网格。")})
    strange = any(b.estate.community_id != community.pk for b in buildings)
    if audience == AudienceKind.BUILDINGS and (not buildings or strange):
        raise ValidationError({"buildings": _("请选择本社区的楼栋。")})
    if tag and tag not in ResidentTag.values:
        raise ValidationError({"tag": _("请选择居民标签。")})
    if by_sms and (not sms_text or len(sms_text) > SMS_MAX):
        raise ValidationError({"sms_text": _("短信通知需要填写短信内容,且不超过 200 字。")})
    return {
        "title": title,
        "text": text,
        "valid_from": valid_from,
        "valid_until": valid_until,
        "audience": audience,
        "tag": tag,
        "by_sms": by_sms,
        "sms_text": sms_text,
    }


def notice_create(
    *,
    actor: Any,
    community: Region,
    title: str,
    text: str,
    valid_from: date,
    valid_until: date,
    audience: str = AudienceKind.COMMUNITY,
    grids: Sequence[Region] = (),
    buildings: Sequence[Building] = (),
    tag: str = "",
    by_sms: bool = False,
    sms_text: str = "",
) -> Announcement:
    """A draft notice of the community."""
    _require_staff(actor, community)
    fields = _clean(
        community=community,
        title=title,
        text=text,
        valid_from=valid_from,
        valid_until=valid_until,
        audience=audience,
        grids=grids,
        buildings=buildings,
        tag=tag,
        by_sms=by_sms,
        sms_text=sms_text,
    )
    with transaction.atomic():
        notice = Announcement.objects.create(community=community, author=actor, **fields)
        if audience == AudienceKind.GRIDS:
            notice.grids.set(grids)
        if audience == AudienceKind.BUILDINGS:
            notice.buildings.set(buildings)
        audit.record(actor=actor, verb="notice.create", target=notice, after=audit.snapshot(notice))
    return notice


def notice_update(
    *,
    actor: Any,
    notice: Announcement,
    title: str,
    text: str,
    valid_from: date,
    valid_until: date,
    audience: str = AudienceKind.COMMUNITY,
    grids: Sequence[Region] = (),
    buildings: Sequence[Building] = (),
    tag: str = "",
    by_sms: bool = False,
    sms_text: str = "",
) -> Announcement:
    """Change a draft or a returned notice (what was approved is never changed)."""
    _require_staff(actor, notice.community)
    fields = _clean(
        community=notice.community,
        title=title,
        text=text,
        valid_from=valid_from,
        valid_until=valid_until,
        audience=audience,
        grids=grids,
        buildings=buildings,
        tag=tag,
        by_sms=by_sms,
        sms_text=sms_text,
    )
    with transaction.atomic():
        notice = _editable_locked(notice, "title")
        before = audit.snapshot(notice)
        for key, value in fields.items():
            setattr(notice, key, value)
        notice.save()
        notice.grids.set(grids if audience == AudienceKind.GRIDS else [])
        notice.buildings.set(buildings if audience == AudienceKind.BUILDINGS else [])
        b, a = audit.diff(before, audit.snapshot(notice))
        audit.record(actor=actor, verb="notice.update", target=notice, before=b, after=a)
    return notice


def _editable_locked(notice: Announcement, field: str) -> Announcement:
    notice = Announcement.objects.select_for_update().get(pk=notice.pk)
    if State(notice.status) not in EDITABLE:
        raise ValidationError({field: _("只有草稿或被退回的公告可以修改。")})
    return notice


def notice_image_add(
    *, actor: Any, notice: Announcement, image: Any, caption: str = ""
) -> AnnouncementImage:
    """A picture for a draft or returned notice (at most six; what was approved is kept)."""
    _require_staff(actor, notice.community)
    caption = caption.strip()
    if len(caption) > CAPTION_MAX:
        raise ValidationError({"caption": _("图片说明不超过 40 字。")})
    try:
        full, thumb, width, height = clean_photo(image)  # before anything is written
    except ValidationError as exc:
        raise ValidationError({"image": exc.message_dict.get("photos", exc.messages)}) from exc
    with transaction.atomic():
        notice = _editable_locked(notice, "image")
        if notice.images.count() >= IMAGES_MAX:
            raise ValidationError({"image": _("一条公告最多 6 张图片。")})
        picture = AnnouncementImage.objects.create(
            notice=notice, image=full, thumbnail=thumb, width=width, height=height, caption=caption
        )
        audit.record(
            actor=actor,
            verb="notice.image_add",
            target=notice,
            after={"image": picture.pk, "caption": caption, "size": f"{width}×{height}"},
        )
    return picture


def _delete_files(files: list[Any]) -> None:
    for f in files:
        f.storage.delete(f.name)


def notice_image_remove(*, actor: Any, picture: AnnouncementImage) -> Announcement:
    notice = picture.notice
    _require_staff(actor, notice.community)
    with transaction.atomic():
        notice = _editable_locked(notice, "image")
        before = {"image": picture.pk, "caption": picture.caption}
        files = [f for f in (picture.image, picture.thumbnail) if f.name]
        picture.delete()
        audit.record(actor=actor, verb="notice.image_remove", target=notice, before=before)
        transaction.on_commit(lambda: _delete_files(files))
    return notice


REFUSALS = {  # lazy: worded in the viewer's language when refused
    "state": gettext_lazy("公告当前的状态不能这样做。"),
    "author": gettext_lazy("起草人不能审核自己的公告,请由社区另一位工作人员审核。"),
    "reason": gettext_lazy("退回时请填写理由。"),
    "unknown": gettext_lazy("未知的操作。"),
}


def notice_act(*, actor: Any, notice: Announcement, action: str, reason: str = "") -> Announcement:
    """Submit, approve (publish), return with a reason, or withdraw a notice."""
    _require_staff(actor, notice.community)
    with transaction.atomic():
        notice = (
            Announcement.objects.select_for_update().select_related("community").get(pk=notice.pk)
        )
        before = {"status": notice.status}
        try:
            target = check(
                State(notice.status), action, by_author=notice.author_id == actor.pk, reason=reason
            )
        except TransitionError as exc:
            key = str(exc)
            field = "reason" if key == "reason" else "action"
            raise ValidationError({field: str(REFUSALS[key])}) from exc
        now = timezone.now()
        notice.status = target.value
        changed = ["status", "updated_at"]
        if action == "submit":
            notice.submitted_at, notice.return_reason = now, ""
            changed += ["submitted_at", "return_reason"]
        elif action == "approve":
            notice.approved_by, notice.published_at = actor, now
            changed += ["approved_by", "published_at"]
        elif action == "return":
            notice.return_reason = reason.strip()[:200]
            changed.append("return_reason")
        elif action == "withdraw":
            notice.withdrawn_at = now
            changed.append("withdrawn_at")
        notice.save(update_fields=changed)
        audit.record(
            actor=actor,
            verb=f"notice.{action}",
            target=notice,
            before=before,
            after={"status": notice.status},
            reason=reason.strip()[:200],
        )
        if action == "submit":
            _tell_reviewers(notice, actor)
        elif action in ("approve", "return"):
            tell(
                [notice.author],
                verb=f"notice.{action}",
                text=(_("公告已发布:%(t)s") if action == "approve" else _("公告被退回:%(t)s"))
                % {"t": notice.title},
                subject=notice,
            )
        if action == "approve" and notice.by_sms:
            _broadcast(notice)
    return notice


def _tell_reviewers(notice: Announcement, author: Any) -> None:
    """The community's other staff are asked to approve (four eyes)."""
    reviewers = [
        m.user
        for m in Membership.objects.filter(region=notice.community, role__in=STAFF_ROLES)
        .exclude(user=author)
        .select_related("user")
    ]
    tell(
        reviewers,
        verb="notice.submit",
        text=_("待审核公告:%(t)s") % {"t": notice.title},
        subject=notice,
    )


def audience_residents(notice: Announcement) -> list[Resident]:
    """The residents the notice is addressed to: the community's (or its chosen grids', or
    those whose building is one of the chosen buildings — a building is its grid and number,
    as residents' records hold it), with the tag if one is chosen."""
    residents = Resident.objects.filter(grid__parent=notice.community)
    if notice.audience == AudienceKind.GRIDS:
        residents = residents.filter(grid__in=notice.grids.all())
    elif notice.audience == AudienceKind.BUILDINGS:
        pairs = {(b.grid_id, f"{b.number}幢") for b in notice.buildings.all()}
        grids = {g for g, _n in pairs}
        residents = residents.filter(grid__in=grids)
        found = [r for r in residents.order_by("pk") if (r.grid_id, r.building) in pairs]
        return [r for r in found if not notice.tag or notice.tag in r.tags]
    return [r for r in residents.order_by("pk") if not notice.tag or notice.tag in r.tags]


def _broadcast(notice: Announcement) -> None:
    """One text per consenting resident of the audience with a mobile number (queued for
    after commit); the others are recorded as not texted, and why."""
    if notice.sms_queued_at is not None:
        return
    residents = audience_residents(notice)
    consenting = set(
        SmsConsent.objects.filter(
            resident__in=[r.pk for r in residents], withdrawn_at__isnull=True
        ).values_list("resident_id", flat=True)
    )
    rows = []
    for r in residents:
        if r.pk not in consenting:
            outcome = SmsOutcome.NO_CONSENT
        elif not is_valid_mobile(r.phone or ""):
            outcome = SmsOutcome.NO_NUMBER
        else:
            outcome = SmsOutcome.QUEUED
        rows.append(AnnouncementText(notice=notice, resident=r, outcome=outcome))
    AnnouncementText.objects.bulk_create(rows)
    phones = {r.pk: r.phone for r in residents}
    text = f"【{notice.community.name}】{notice.sms_text}"
    for row in AnnouncementText.objects.filter(notice=notice, outcome=SmsOutcome.QUEUED):
        out = queue_text(phone=phones[row.resident_id], text=text, purpose=SMS_PURPOSE, subject=row)
        row.outbound = out
        row.save(update_fields=["outbound"])
    notice.sms_queued_at = timezone.now()
    notice.save(update_fields=["sms_queued_at"])
    audit.record(
        actor=None,
        verb="notice.sms",
        target=notice,
        after={
            "queued": sum(r.outcome == SmsOutcome.QUEUED for r in rows),
            "no_consent": sum(r.outcome == SmsOutcome.NO_CONSENT for r in rows),
        },
    )


def sms_guard(row: OutboundText) -> bool:
    """Called by core's outbox under the text's lock, just before it leaves: the resident's
    consent still stands (its row locked until the decision commits) and the notice is
    still published."""
    if row.subject_id is None:
        return False
    item = AnnouncementText.objects.select_related("notice").filter(pk=row.subject_id).first()
    if item is None or item.notice.status != NoticeStatus.PUBLISHED:
        return False
    return sms_consent_given_locked(item.resident_id)


def sms_settled(row: OutboundText) -> None:
    """The outbox's verdict, onto the notice's report."""
    if row.subject_id is None:
        return
    item = AnnouncementText.objects.select_related("notice").filter(pk=row.subject_id).first()
    if item is None:
        return
    if row.status == TextStatus.SENT:
        item.outcome = SmsOutcome.SENT
    elif row.status == TextStatus.FAILED:
        item.outcome = SmsOutcome.FAILED
    elif item.notice.status != NoticeStatus.PUBLISHED:
        item.outcome = SmsOutcome.STOPPED
    else:
        item.outcome = SmsOutcome.NO_CONSENT
    item.save(update_fields=["outcome"])


def poster_print(*, actor: Any, notice: Announcement, buildings: Iterable[Building]) -> PosterPrint:
    """Record that the poster is printed for these buildings' stairwell boards."""
    _require_staff(actor, notice.community)
    chosen = list(buildings)
    if not chosen or any(b.estate.community_id != notice.community_id for b in chosen):
        raise ValidationError({"buildings": _("请选择本社区的楼栋。")})
    with transaction.atomic():
        notice = Announcement.objects.select_for_update().get(pk=notice.pk)
        if notice.status != NoticeStatus.PUBLISHED:
            raise ValidationError({"buildings": _("公告发布后才能打印张贴。")})
        printed = PosterPrint.objects.create(
            notice=notice, printed_by=actor, building_count=len(chosen)
        )
        printed.buildings.set(chosen)
        audit.record(
            actor=actor,
            verb="notice.print",
            target=notice,
            after={"buildings": len(chosen)},
        )
    return printed


def notice_viewed(*, notice: Announcement, via_qr: bool) -> None:
    """Count one view of the public page (no person is recorded: a counter)."""
    field = "qr_views" if via_qr else "web_views"
    Announcement.objects.filter(pk=notice.pk).update(**{field: F(field) + 1})
