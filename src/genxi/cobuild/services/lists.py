"""Writes of co-building: needs, resources, claims (approval is safe under concurrency)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from genxi.core import audit, notifications
from genxi.core.photos import clean_photo
from genxi.core.roles import STAFF_ROLES
from genxi.core.scope import scope_for
from genxi.orgs.models import PartnerUnit
from genxi.regions.models import Level, Region

from .. import selectors
from ..domain.steps import ClaimAction, ClaimState, IllegalStep, claim_next
from ..models import (
    Claim,
    ClaimStatus,
    DeliveryPhoto,
    Kind,
    MatchRejection,
    Need,
    NeedStatus,
    Project,
    ProjectStatus,
    Resource,
    ServiceSlot,
)


def _check_window(start: date | None, end: date | None) -> None:
    if start and end and end < start:
        raise ValidationError({"end": _("结束日期不能早于开始日期。")})


def _require_staff_over(actor: Any, community: Region) -> None:
    if not scope_for(actor).role_covers(STAFF_ROLES, community.path):
        raise PermissionDenied(_("只有本社区或街道的工作人员可以这样做。"))


def need_create(
    *,
    actor: Any,
    community: Region,
    title: str,
    kind: str,
    quantity: int,
    unit_label: str,
    description: str = "",
    beneficiaries: str = "",
    beneficiary_count: int = 0,
    pooled: bool = False,
    start: date | None = None,
    end: date | None = None,
    place: str = "",
) -> Need:
    if community.level != Level.COMMUNITY:
        raise ValidationError({"community": _("需求须由社区发布。")})
    if kind not in Kind.values:
        raise ValidationError({"kind": _("未知的类别。")})
    if quantity < 1:
        raise ValidationError({"quantity": _("数量至少为 1。")})
    _check_window(start, end)
    _require_staff_over(actor, community)
    with transaction.atomic():
        need = Need.objects.create(
            community=community,
            title=title,
            kind=kind,
            quantity=quantity,
            unit_label=unit_label,
            description=description,
            beneficiaries=beneficiaries,
            beneficiary_count=beneficiary_count,
            pooled=pooled,
            start=start,
            end=end,
            place=place,
        )
        audit.record(actor=actor, verb="need.create", target=need, after=audit.snapshot(need))
    return need


def resource_create(
    *,
    actor: Any,
    unit: PartnerUnit,
    kind: str,
    description: str,
    capacity: int,
    unit_label: str,
    **extra: Any,
) -> Resource:
    scope = scope_for(actor)
    if unit.pk not in scope.unit_ids and not scope.role_covers(STAFF_ROLES, unit.region.path):
        raise PermissionDenied(_("只能为本单位登记资源。"))
    if kind not in Kind.values:
        raise ValidationError({"kind": _("未知的类别。")})
    if capacity < 1:
        raise ValidationError({"capacity": _("数量至少为 1。")})
    _check_window(extra.get("start"), extra.get("end"))
    if extra.get("radius_m") and extra.get("lat") is None:
        # A radius without a point is measured from the unit's (first) paired community.
        pairing = unit.pairings.select_related("community").order_by("id").first()
        centre = pairing.community if pairing else None
        if centre is None or centre.center_lat is None:
            extra["radius_m"] = None
        else:
            extra["lat"], extra["lon"] = centre.center_lat, centre.center_lon
    with transaction.atomic():
        resource = Resource.objects.create(
            unit=unit,
            kind=kind,
            description=description,
            capacity=capacity,
            unit_label=unit_label,
            **extra,
        )
        audit.record(
            actor=actor, verb="resource.create", target=resource, after=audit.snapshot(resource)
        )
    return resource


def claim_create(
    *,
    actor: Any,
    unit: PartnerUnit,
    quantity: int = 1,
    need: Need | None = None,
    project: Project | None = None,
    slot: ServiceSlot | None = None,
    kind: str = "",
    unit_label: str = "",
    resource: Resource | None = None,
    note: str = "",
) -> Claim:
    """A unit's liaison offers `quantity` of a need, a contribution to a project (of a
    `kind`, counted in `unit_label`), or to staff a service slot."""
    if [need, project, slot].count(None) != 2:
        raise ValueError("claim exactly one of need, project, slot")
    if unit.pk not in scope_for(actor).unit_ids:
        raise PermissionDenied(_("只能以本单位的名义认领。"))
    if quantity < 1:
        raise ValidationError({"quantity": _("数量至少为 1。")})
    if resource is not None and resource.unit_id != unit.pk:
        raise ValidationError({"resource": _("只能使用本单位的资源。")})
    with transaction.atomic():
        if need is not None:
            need = Need.objects.select_for_update().get(pk=need.pk)
            if need.status != NeedStatus.OPEN:
                raise ValidationError({"need": _("该需求已不再征集。")})
            if quantity > need.quantity - need.filled:
                raise ValidationError(
                    {
                        "quantity": _("最多还可认领 %(n)d %(unit)s。")
                        % {"n": need.quantity - need.filled, "unit": need.unit_label}
                    }
                )
            community_id, kind, unit_label = need.community_id, need.kind, need.unit_label
        elif project is not None:
            project = Project.objects.select_for_update().get(pk=project.pk)
            if project.status == ProjectStatus.DONE:
                raise ValidationError({"project": _("该项目已完成。")})
            if kind not in Kind.values:
                raise ValidationError({"kind": _("请选择投入的类别。")})
            if not unit_label.strip():
                raise ValidationError({"unit_label": _("请填写数量的单位,如:元、志愿小时。")})
            community_id = project.community_id
        else:
            assert slot is not None  # exactly one of need, project, slot (checked above)
            slot = ServiceSlot.objects.select_for_update().select_related("service").get(pk=slot.pk)
            if slot.cancelled or slot.unit_id is not None:
                raise ValidationError({"slot": _("该场次已有单位承接或已取消。")})
            if slot.date < timezone.localdate():
                raise ValidationError({"slot": _("该场次已过去。")})
            community_id, kind, unit_label = slot.service.community_id, slot.service.kind, _("场")
            quantity = 1
        claim = Claim.objects.create(
            need=need,
            project=project,
            slot=slot,
            community_id=community_id,
            kind=kind,
            unit_label=unit_label.strip()[:20],
            unit=unit,
            resource=resource,
            quantity=quantity,
            note=note,
        )
        audit.record(actor=actor, verb="claim.create", target=claim, after=audit.snapshot(claim))
    return claim


def _approve_on_target(claim: Claim) -> dict[str, Any]:
    """Apply an approval to what was claimed (rows locked by the caller's transaction)."""
    if claim.need_id:
        need = Need.objects.select_for_update().get(pk=claim.need_id)
        room = need.quantity - need.filled
        if need.status != NeedStatus.OPEN or claim.quantity > room:
            raise ValidationError({"quantity": _("超出需求的剩余数量(还剩 %(n)d)。") % {"n": room}})
        need.filled += claim.quantity
        if need.filled >= need.quantity:
            need.status = NeedStatus.FILLED
        need.save(update_fields=["filled", "status", "updated_at"])
        return {"need_filled": need.filled}
    if claim.slot_id:
        slot = ServiceSlot.objects.select_for_update().get(pk=claim.slot_id)
        if slot.unit_id is not None or slot.cancelled:
            raise ValidationError({"slot": _("该场次已有单位承接或已取消。")})
        slot.unit_id = claim.unit_id
        slot.save(update_fields=["unit"])
        return {"slot_unit": claim.unit_id}
    return {}


def _step(claim: Claim, action: ClaimAction) -> ClaimState:
    """The claim's state after `action` (cobuild.domain.steps), or a refusal on `status`."""
    try:
        return claim_next(claim.status, action)
    except IllegalStep:
        raise ValidationError({"status": _("该认领已处理过。")}) from None


def _locked_claim(claim: Claim) -> Claim:
    """The claim's row, locked until the transaction ends (its community, unit and need read
    along, not locked: a need is locked by `_approve_on_target` when it changes)."""
    return (
        Claim.objects.select_for_update(of=("self",))
        .select_related("community", "unit", "need")
        .get(pk=claim.pk)
    )


def _what(claim: Claim) -> str:
    return _("%(target)s(%(n)d %(unit)s)") % {
        "target": claim.target,
        "n": claim.quantity,
        "unit": claim.unit_label,
    }


def claim_approve(*, actor: Any, claim: Claim) -> Claim:
    """Approve once; a need's filled amount never passes its quantity; a slot gets one unit."""
    with transaction.atomic():
        claim = _locked_claim(claim)
        _require_staff_over(actor, claim.community)
        after = _step(claim, ClaimAction.APPROVE)
        effects = _approve_on_target(claim)
        claim.status = after
        claim.save(update_fields=["status", "updated_at"])
        audit.record(
            actor=actor,
            verb="claim.approve",
            target=claim,
            before={"status": ClaimStatus.PENDING},
            after={"status": ClaimStatus.APPROVED, **effects},
        )
    return claim


def claim_reject(*, actor: Any, claim: Claim, reason: str) -> Claim:
    """The community turns a unit's claim down, saying why: the unit reads the reason on the
    claim and in its inbox."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("请说明不通过的原因。")})
    with transaction.atomic():
        claim = _locked_claim(claim)
        _require_staff_over(actor, claim.community)
        claim.status = _step(claim, ClaimAction.REJECT)
        claim.reason = reason[:200]
        claim.save(update_fields=["status", "reason", "updated_at"])
        notifications.tell(
            selectors.unit_liaisons(claim.unit),
            verb="claim_rejected",
            text=_("%(community)s 未通过认领:%(what)s。原因:%(reason)s")
            % {"community": claim.community.name, "what": _what(claim), "reason": claim.reason},
            subject=claim,
        )
        audit.record(
            actor=actor,
            verb="claim.reject",
            target=claim,
            reason=reason,
            after={"status": ClaimStatus.REJECTED},
        )
    return claim


def claim_deliver(
    *,
    actor: Any,
    claim: Claim,
    amount: int,
    beneficiaries: int = 0,
    photos: list[UploadedFile[Any]] | None = None,
) -> Claim:
    """Record what was delivered (by the unit or the community), with photos."""
    cleaned = [clean_photo(p) for p in photos or []]  # fail before writing anything
    with transaction.atomic():
        claim = Claim.objects.select_for_update().select_related("community").get(pk=claim.pk)
        scope = scope_for(actor)
        if claim.unit_id not in scope.unit_ids:
            _require_staff_over(actor, claim.community)
        if claim.status != ClaimStatus.APPROVED:
            raise ValidationError({"status": _("只有已通过的认领可以登记交付。")})
        if amount < 0 or beneficiaries < 0:
            raise ValidationError({"amount": _("数量不能为负。")})
        claim.status = ClaimStatus.DELIVERED
        claim.delivered_amount = amount
        claim.beneficiaries_served = beneficiaries
        claim.delivered_at = timezone.now()
        claim.save(
            update_fields=[
                "status",
                "delivered_amount",
                "beneficiaries_served",
                "delivered_at",
                "updated_at",
            ]
        )
        for image, thumbnail, width, height in cleaned:
            DeliveryPhoto.objects.create(
                claim=claim, image=image, thumbnail=thumbnail, width=width, height=height
            )
        audit.record(
            actor=actor,
            verb="claim.deliver",
            target=claim,
            after={"delivered": amount, "beneficiaries": beneficiaries, "photos": len(cleaned)},
        )
    return claim


def _require_match_decider(actor: Any, need: Need) -> None:
    """A suggested match is decided by the staff over the need's community: its community
    worker, or the street's admin."""
    if not scope_for(actor).role_covers(STAFF_ROLES, need.community.path):
        raise PermissionDenied(_("只有该社区或街道的工作人员可以处理匹配建议。"))


def match_accept(*, actor: Any, need: Need, resource: Resource, quantity: int) -> Claim:
    """The community's staff accept a suggested match: it is proposed to the unit (a claim
    待单位确认) and the unit's liaisons are told. Nothing is approved until the unit
    confirms (`proposal_confirm`); a proposal is never more than the need has room for."""
    need = Need.objects.select_related("community").get(pk=need.pk)
    _require_match_decider(actor, need)
    if quantity < 1:
        raise ValidationError({"quantity": _("数量至少为 1。")})
    with transaction.atomic():
        need = Need.objects.select_for_update().select_related("community").get(pk=need.pk)
        if need.status != NeedStatus.OPEN:
            raise ValidationError({"need": _("该需求已不再征集。")})
        waiting = Claim.objects.filter(
            need=need, status__in=[ClaimStatus.PENDING, ClaimStatus.PROPOSED]
        )
        if waiting.filter(status=ClaimStatus.PROPOSED, resource=resource).exists():
            raise ValidationError({"resource": _("已向该单位提议过,正在等待确认。")})
        if MatchRejection.objects.filter(need=need, resource=resource).exists():
            raise ValidationError({"resource": _("该匹配已不采纳或已被单位谢绝。")})
        room = need.quantity - need.filled
        if quantity > room:
            raise ValidationError({"quantity": _("超出需求的剩余数量(还剩 %(n)d)。") % {"n": room}})
        claim = Claim.objects.create(
            need=need,
            community_id=need.community_id,
            kind=need.kind,
            unit_label=need.unit_label,
            unit=resource.unit,
            resource=resource,
            quantity=quantity,
            status=ClaimStatus.PROPOSED,
            proposed_by=actor,
            note=_("社区提议的对接"),
        )
        notifications.tell(
            selectors.unit_liaisons(resource.unit),
            verb="match_proposed",
            text=_("%(community)s 提议由本单位对接:%(what)s,请确认或谢绝。")
            % {"community": need.community.name, "what": _what(claim)},
            subject=claim,
        )
        audit.record(actor=actor, verb="match.accept", target=claim, after=audit.snapshot(claim))
    return claim


def _require_unit_liaison(actor: Any, claim: Claim) -> None:
    if claim.unit_id not in scope_for(actor).unit_ids:
        raise PermissionDenied(_("只有该单位的联络人可以确认对接。"))


def proposal_confirm(*, actor: Any, claim: Claim) -> Claim:
    """The unit's liaison agrees to a proposed match: the claim is approved at once (both
    sides agreed) and counted on the need, within its room; the proposer is told."""
    with transaction.atomic():
        claim = _locked_claim(claim)
        _require_unit_liaison(actor, claim)
        after = _step(claim, ClaimAction.CONFIRM)
        effects = _approve_on_target(claim)
        claim.status = after
        claim.save(update_fields=["status", "updated_at"])
        notifications.tell(
            [claim.proposed_by],
            verb="match_confirmed",
            text=_("%(unit)s 已确认对接:%(what)s。")
            % {"unit": claim.unit.name, "what": _what(claim)},
            subject=claim,
        )
        audit.record(
            actor=actor,
            verb="match.confirm",
            target=claim,
            before={"status": ClaimStatus.PROPOSED},
            after={"status": after, **effects},
        )
    return claim


def proposal_decline(*, actor: Any, claim: Claim, reason: str) -> Claim:
    """The unit's liaison declines a proposed match, saying why: the community reads the
    reason, and the same need and resource are not suggested again."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("请说明谢绝的原因。")})
    with transaction.atomic():
        claim = _locked_claim(claim)
        _require_unit_liaison(actor, claim)
        claim.status = _step(claim, ClaimAction.DECLINE)
        claim.reason = reason[:200]
        claim.save(update_fields=["status", "reason", "updated_at"])
        if claim.need_id and claim.resource_id:
            MatchRejection.objects.get_or_create(
                need_id=claim.need_id, resource_id=claim.resource_id
            )
        notifications.tell(
            [claim.proposed_by],
            verb="match_declined",
            text=_("%(unit)s 谢绝了对接:%(what)s。原因:%(reason)s")
            % {"unit": claim.unit.name, "what": _what(claim), "reason": claim.reason},
            subject=claim,
        )
        audit.record(
            actor=actor,
            verb="match.decline",
            target=claim,
            reason=reason,
            before={"status": ClaimStatus.PROPOSED},
            after={"status": ClaimStatus.DECLINED},
        )
    return claim


def match_reject(*, actor: Any, need: Need, resource: Resource) -> MatchRejection:
    """The community's staff turn a suggestion down: the pair is not suggested again."""
    _require_match_decider(actor, Need.objects.select_related("community").get(pk=need.pk))
    with transaction.atomic():
        rejection, created = MatchRejection.objects.get_or_create(need=need, resource=resource)
        if created:
            audit.record(
                actor=actor, verb="match.reject", target=need, after={"resource": resource.pk}
            )
    return rejection
