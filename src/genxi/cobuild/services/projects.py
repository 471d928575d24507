"""Writes of the project list and the service list."""

from __future__ import annotations

from datetime import date, time
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from genxi.core import audit
from genxi.orgs.models import PartnerUnit
from genxi.regions.models import Level, Region

from ..domain.recurrence import weekly_dates
from ..models import Kind, Need, Project, ProjectStatus, ServiceOffer, ServiceSlot
from .lists import _check_window, _require_staff_over


def project_create(
    *,
    actor: Any,
    community: Region,
    title: str,
    goal: str,
    budget: int = 0,
    start: date | None = None,
    end: date | None = None,
    needs: list[Need] | None = None,
) -> Project:
    errors = {}
    if community.level != Level.COMMUNITY:
        errors["community"] = _("项目须由社区牵头。")
    if not title.strip():
        errors["title"] = _("请填写项目名称。")
    if not goal.strip():
        errors["goal"] = _("请写明项目目标。")
    if budget < 0:
        errors["budget"] = _("预算不能为负。")
    if errors:
        raise ValidationError(errors)
    _check_window(start, end)
    _require_staff_over(actor, community)
    needs = needs or []
    if any(n.community_id != community.pk for n in needs):
        raise ValidationError({"needs": _("只能关联本社区的需求。")})
    with transaction.atomic():
        project = Project.objects.create(
            community=community,
            title=title.strip(),
            goal=goal.strip(),
            budget=budget,
            start=start,
            end=end,
        )
        project.needs.set(needs)
        audit.record(
            actor=actor,
            verb="project.create",
            target=project,
            after={**audit.snapshot(project), "needs": [n.pk for n in needs]},
        )
    return project


def project_set_status(*, actor: Any, project: Project, status: str) -> Project:
    if status not in ProjectStatus.values:
        raise ValidationError({"status": _("未知的状态。")})
    _require_staff_over(actor, project.community)
    with transaction.atomic():
        project = Project.objects.select_for_update().get(pk=project.pk)
        before = project.status
        project.status = status
        project.save(update_fields=["status", "updated_at"])
        audit.record(
            actor=actor,
            verb="project.status",
            target=project,
            before={"status": before},
            after={"status": status},
        )
    return project


def service_create(
    *,
    actor: Any,
    community: Region,
    title: str,
    kind: str,
    place: str,
    weekday: int,
    start_time: time,
    end_time: time,
    first: date,
    last: date,
    unit: PartnerUnit | None = None,
    capacity: int = 10,
    description: str = "",
) -> ServiceOffer:
    """Put a weekly service on the community's list and lay out its slots."""
    errors = {}
    if community.level != Level.COMMUNITY:
        errors["community"] = _("服务须属于一个社区。")
    if not title.strip():
        errors["title"] = _("请填写服务名称。")
    if kind not in Kind.values:
        errors["kind"] = _("未知的类别。")
    if not 0 <= weekday <= 6:
        errors["weekday"] = _("请选择每周的哪一天。")
    if end_time <= start_time:
        errors["end_time"] = _("结束时间须晚于开始时间。")
    if last < first:
        errors["last"] = _("结束日期不能早于开始日期。")
    if capacity < 1:
        errors["capacity"] = _("每场至少服务 1 人。")
    if errors:
        raise ValidationError(errors)
    _require_staff_over(actor, community)
    with transaction.atomic():
        service = ServiceOffer.objects.create(
            community=community,
            unit=unit,
            title=title.strip(),
            kind=kind,
            place=place.strip(),
            weekday=weekday,
            start_time=start_time,
            end_time=end_time,
            capacity=capacity,
            description=description,
        )
        dates = weekly_dates(first, last, weekday)
        ServiceSlot.objects.bulk_create([ServiceSlot(service=service, date=d) for d in dates])
        audit.record(
            actor=actor,
            verb="service.create",
            target=service,
            after={**audit.snapshot(service), "slots": len(dates)},
        )
    return service


def slot_cancel(*, actor: Any, slot: ServiceSlot, reason: str) -> ServiceSlot:
    if not reason.strip():
        raise ValidationError({"reason": _("请说明原因。")})
    _require_staff_over(actor, slot.service.community)
    with transaction.atomic():
        slot = ServiceSlot.objects.select_for_update().get(pk=slot.pk)
        slot.cancelled = True
        slot.save(update_fields=["cancelled"])
        audit.record(
            actor=actor, verb="slot.cancel", target=slot, reason=reason, after={"cancelled": True}
        )
    return slot
