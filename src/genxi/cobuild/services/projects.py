"""Writes of the project list and the service list."""

from __future__ import annotations

from datetime import date, time
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from genxi.core import audit
from genxi.core.domain import phones
from genxi.core.notifications import tell
from genxi.core.photos import clean_photo
from genxi.core.roles import INTAKE_ROLES
from genxi.core.scope import scope_for
from genxi.orgs.models import PartnerUnit
from genxi.regions.models import Level, Region

from .. import selectors
from ..domain import projects as steps
from ..domain.recurrence import weekly_dates
from ..models import (
    Kind,
    Milestone,
    Need,
    Project,
    ProjectPhoto,
    ProjectStatus,
    ServiceOffer,
    ServiceSlot,
    Spending,
    Tier,
)
from .lists import _check_window, _require_staff_over


def _check_place(tier: str, community: Region, parent: Project | None) -> dict[str, str]:
    errors: dict[str, str] = {}
    if tier not in Tier.values:
        errors["tier"] = _("未知的项目层级。")
    elif tier == Tier.STREET and community.level != Level.STREET:
        errors["community"] = _("街道项目须由街道牵头。")
    elif tier != Tier.STREET and community.level != Level.COMMUNITY:
        errors["community"] = _("社区子项目和微项目须由社区牵头。")
    if parent is not None and tier in Tier.values:
        if not steps.parent_tier_ok(tier, parent.tier):
            errors["parent"] = _("社区子项目只能挂在街道项目下,微项目挂在街道或社区项目下。")
        elif not community.path.startswith(parent.community.path):
            errors["parent"] = _("上级项目须属于本社区或所在街道。")
    return errors


def project_create(
    *,
    actor: Any,
    community: Region,
    title: str,
    goal: str,
    tier: str = Tier.COMMUNITY,
    parent: Project | None = None,
    owner: Any = None,
    budget: int = 0,
    beneficiaries: int = 0,
    start: date | None = None,
    end: date | None = None,
    needs: list[Need] | None = None,
) -> Project:
    """Staff set up a street project or a community sub-project (筹备中). A micro-project
    starts as a proposal instead (`micro_propose`)."""
    errors = _check_place(tier, community, parent)
    if tier == Tier.MICRO:
        errors["tier"] = _("微项目从提议开始,请用“提议微项目”。")
    if not title.strip():
        errors["title"] = _("请填写项目名称。")
    if not goal.strip():
        errors["goal"] = _("请写明项目目标。")
    if budget < 0:
        errors["budget"] = _("预算不能为负。")
    if beneficiaries < 0:
        errors["beneficiaries"] = _("受益人数不能为负。")
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
            tier=tier,
            parent=parent,
            owner=owner,
            title=title.strip(),
            goal=goal.strip(),
            budget=budget,
            beneficiaries=beneficiaries,
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


def may_propose(actor: Any, community: Region) -> bool:
    """A signed-in pioneer (grid worker) of the community, or its staff, may propose."""
    scope = scope_for(actor)
    return any(
        role in INTAKE_ROLES and (community.path.startswith(p) or p.startswith(community.path))
        for role, p in scope.role_paths
    )


def micro_propose(
    *,
    actor: Any,
    community: Region,
    title: str,
    goal: str,
    proposer_name: str = "",
    proposer_phone: str = "",
    beneficiaries: int = 0,
) -> Project:
    """A micro-project proposal (待决定): from a resident on the public page (`actor`
    None, name and phone required; the phone is stored encrypted) or from a signed-in
    pioneer or staff member of the community. The community's staff are told."""
    errors: dict[str, str] = {}
    if community.level != Level.COMMUNITY:
        errors["community"] = _("请选择一个社区。")
    if not title.strip():
        errors["title"] = _("请填写项目名称。")
    if not goal.strip():
        errors["goal"] = _("请说说想做什么、为谁做。")
    if beneficiaries < 0:
        errors["beneficiaries"] = _("受益人数不能为负。")
    phone = proposer_phone.strip()
    if actor is None:
        if not proposer_name.strip():
            errors["proposer_name"] = _("请留下您的称呼。")
        if not phones.is_valid_mobile(phone):
            errors["proposer_phone"] = _("请填写 11 位手机号码,方便社区联系您。")
    if errors:
        raise ValidationError(errors)
    if actor is not None and not may_propose(actor, community):
        raise PermissionDenied(_("只有本社区的海棠先锋或工作人员可以提议。"))
    with transaction.atomic():
        project = Project.objects.create(
            community=community,
            tier=Tier.MICRO,
            status=steps.first_state(Tier.MICRO, proposed=True),
            title=title.strip(),
            goal=goal.strip(),
            beneficiaries=beneficiaries,
            proposer_name=proposer_name.strip() if actor is None else str(actor)[:50],
            proposer_phone=phone if actor is None else "",
            proposed_by=actor,
        )
        audit.record(
            actor=actor, verb="project.propose", target=project, after=audit.snapshot(project)
        )
        tell(
            selectors.staff_over(community),
            verb="project.propose",
            text=_("新的微项目提议:%(title)s") % {"title": project.title},
            subject=project,
        )
    return project


_STEP_MESSAGES = {
    "budget": _("请填写批准的预算(元)。"),
    "reason": _("请说明未采纳的原因,提议人会看到。"),
    "summary": _("结项前请写结项总结。"),
}


def project_step(
    *,
    actor: Any,
    project: Project,
    action: str,
    budget: int | None = None,
    reason: str = "",
    summary: str = "",
) -> Project:
    """Move a project one step (domain/projects.py): the community approves a proposal
    with a budget or declines it saying why; then start, pause, finish with a summary."""
    _require_staff_over(actor, project.community)
    with transaction.atomic():
        project = Project.objects.select_for_update().get(pk=project.pk)
        try:
            target = steps.check(
                project.status, action, budget=budget, reason=reason, summary=summary
            )
        except steps.StepError as exc:
            message = _STEP_MESSAGES.get(exc.field, _("项目现在不能这样变更。"))
            raise ValidationError({exc.field: message}) from exc
        before = audit.snapshot(project)
        project.status = target
        fields = ["status", "updated_at"]
        if action == "approve":
            assert budget is not None  # checked by steps.check
            project.budget, project.decided_at = budget, timezone.now()
            fields += ["budget", "decided_at"]
        elif action == "decline":
            project.decline_reason, project.decided_at = reason.strip(), timezone.now()
            fields += ["decline_reason", "decided_at"]
        elif action == "finish":
            project.summary, project.progress = summary.strip(), 100
            fields += ["summary", "progress"]
        project.save(update_fields=fields)
        audit.record(
            actor=actor,
            verb=f"project.{action}",
            target=project,
            before=before,
            after=audit.snapshot(project),
            reason=reason.strip(),
        )
        if action in ("approve", "decline") and project.proposed_by is not None:
            tell(
                [project.proposed_by],
                verb=f"project.{action}",
                text=(
                    _("您提议的微项目“%(title)s”已获批准。")
                    if action == "approve"
                    else _("您提议的微项目“%(title)s”未被采纳:%(reason)s")
                )
                % {"title": project.title, "reason": reason.strip()},
                subject=project,
            )
    return project


def project_set_status(*, actor: Any, project: Project, status: str) -> Project:
    """The status form's shortcut among the running states (筹备中, 实施中, 已完成)."""
    if status not in steps.RUNNING:
        raise ValidationError({"status": _("未知的状态。")})
    _require_staff_over(actor, project.community)
    with transaction.atomic():
        project = Project.objects.select_for_update().get(pk=project.pk)
        before = project.status
        if before not in steps.RUNNING:
            raise ValidationError({"status": _("提议尚未决定,不能变更状态。")})
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


def _require_running(project: Project) -> None:
    if project.status not in (ProjectStatus.PLANNING, ProjectStatus.ACTIVE):
        raise ValidationError({"project": _("只有筹备中或实施中的项目可以登记。")})


def spending_add(*, actor: Any, project: Project, day: date, item: str, amount: int) -> Spending:
    """Record an amount spent on the project."""
    errors: dict[str, str] = {}
    if not item.strip():
        errors["item"] = _("请写明支出用途。")
    if amount <= 0:
        errors["amount"] = _("金额须大于 0。")
    if errors:
        raise ValidationError(errors)
    _require_staff_over(actor, project.community)
    with transaction.atomic():
        project = Project.objects.select_for_update().get(pk=project.pk)
        _require_running(project)
        spending = Spending.objects.create(
            project=project, date=day, item=item.strip(), amount=amount
        )
        audit.record(
            actor=actor, verb="project.spend", target=project, after=audit.snapshot(spending)
        )
    return spending


def _refresh_progress(project: Project) -> None:
    counts = project.milestones.aggregate(
        n=Count("pk"), done=Count("pk", filter=Q(done_on__isnull=False))
    )
    project.progress = steps.progress_of(counts["done"], counts["n"])
    project.save(update_fields=["progress", "updated_at"])


def milestone_add(*, actor: Any, project: Project, title: str, due: date) -> Milestone:
    if not title.strip():
        raise ValidationError({"title": _("请填写节点名称。")})
    _require_staff_over(actor, project.community)
    with transaction.atomic():
        project = Project.objects.select_for_update().get(pk=project.pk)
        _require_running(project)
        milestone = Milestone.objects.create(project=project, title=title.strip(), due=due)
        _refresh_progress(project)
        audit.record(
            actor=actor, verb="milestone.add", target=project, after=audit.snapshot(milestone)
        )
    return milestone


def milestone_done(*, actor: Any, milestone: Milestone, day: date) -> Milestone:
    _require_staff_over(actor, milestone.project.community)
    with transaction.atomic():
        project = Project.objects.select_for_update().get(pk=milestone.project_id)
        milestone = Milestone.objects.get(pk=milestone.pk)
        if milestone.done_on is not None:
            raise ValidationError({"milestone": _("该节点已完成。")})
        milestone.done_on = day
        milestone.save(update_fields=["done_on"])
        _refresh_progress(project)
        audit.record(
            actor=actor,
            verb="milestone.done",
            target=project,
            after={"milestone": milestone.title, "done_on": day.isoformat()},
        )
    return milestone


def project_update(
    *,
    actor: Any,
    project: Project,
    beneficiaries: int,
    photos: list[UploadedFile[Any]] | None = None,
) -> Project:
    """Record the people served so far and add photos."""
    if beneficiaries < 0:
        raise ValidationError({"beneficiaries": _("受益人数不能为负。")})
    cleaned = [clean_photo(p) for p in photos or []]  # fail before writing anything
    _require_staff_over(actor, project.community)
    with transaction.atomic():
        project = Project.objects.select_for_update().get(pk=project.pk)
        if project.status in (ProjectStatus.PROPOSED, ProjectStatus.DECLINED):
            raise ValidationError({"beneficiaries": _("提议尚未批准。")})
        before = project.beneficiaries
        project.beneficiaries = beneficiaries
        project.save(update_fields=["beneficiaries", "updated_at"])
        for image, thumb, width, height in cleaned:
            ProjectPhoto.objects.create(
                project=project, image=image, thumbnail=thumb, width=width, height=height
            )
        audit.record(
            actor=actor,
            verb="project.update",
            target=project,
            before={"beneficiaries": before},
            after={"beneficiaries": beneficiaries, "photos": len(cleaned)},
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
