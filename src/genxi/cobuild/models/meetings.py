"""共建联席会: joint meetings, their invitees, the residents' opinions heard, the agenda,
the minutes, and the resolutions — each an action item that lives on as a need, a project
or a case in the request loop."""

from __future__ import annotations

from typing import Self

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from genxi.core.models import TimeStampedModel
from genxi.core.scope import ScopedQuerySet, path_q

from .lists import Need, NeedStatus
from .projects import Project, ProjectStatus


class MeetingStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("已安排")
    HELD = "held", _("已召开")
    CANCELLED = "cancelled", _("已取消")


class Meeting(TimeStampedModel):
    host = models.ForeignKey(
        "regions.Region",
        verbose_name=_("召集单位"),
        on_delete=models.PROTECT,
        related_name="meetings",
        help_text=_("街道或社区"),
    )
    title = models.CharField(_("会议名称"), max_length=100)
    starts_at = models.DateTimeField(_("时间"))
    place = models.CharField(_("地点"), max_length=100)
    status = models.CharField(
        _("状态"), max_length=16, choices=MeetingStatus.choices, default=MeetingStatus.SCHEDULED
    )
    minutes = models.TextField(_("会议纪要"), blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("联席会")
        verbose_name_plural = _("联席会")
        ordering = ["-starts_at"]

    def __str__(self) -> str:
        return self.title

    @classmethod
    def scope_q(cls, scope) -> Q:
        """Staff see their area's meetings; a liaison sees those its unit is invited to."""
        q = path_q("host__path", scope.paths)
        if scope.unit_ids:
            q |= Q(pk__in=Invitee.objects.filter(unit_id__in=scope.unit_ids).values("meeting"))
        return q


class Invitee(models.Model):
    """An invited partner unit or residents' representative, and whether they came."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="invitees")
    unit = models.ForeignKey(
        "orgs.PartnerUnit",
        verbose_name=_("共建单位"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    resident = models.ForeignKey(
        "people.Resident",
        verbose_name=_("居民代表"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    attended = models.BooleanField(_("出席"), null=True, blank=True)

    class Meta:
        verbose_name = _("参会方")
        verbose_name_plural = _("参会方")
        constraints = [
            models.CheckConstraint(
                condition=Q(unit__isnull=False, resident__isnull=True)
                | Q(unit__isnull=True, resident__isnull=False),
                name="invitee_is_unit_or_resident",
            ),
            models.UniqueConstraint(fields=["meeting", "unit"], name="unique_invited_unit"),
            models.UniqueConstraint(fields=["meeting", "resident"], name="unique_invited_resident"),
        ]

    def __str__(self) -> str:
        return str(self.unit or self.resident)


class Opinion(models.Model):
    """A resident's opinion gathered before the meeting: a case, or a note from a visit."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="opinions")
    case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("诉求"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.TextField(_("走访记录"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("居民意见")
        verbose_name_plural = _("居民意见")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.case.title if self.case is not None else self.note[:40]


class AgendaItem(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda")
    position = models.PositiveSmallIntegerField(_("序号"))
    title = models.CharField(_("议题"), max_length=200)
    carried = models.ForeignKey(
        "cobuild.Resolution",
        verbose_name=_("上次会议未完成事项"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("议程")
        verbose_name_plural = _("议程")
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "position"], name="unique_agenda_position")
        ]

    def __str__(self) -> str:
        return self.title


class ActionKind(models.TextChoices):
    NEED = "need", _("发布需求")
    PROJECT = "project", _("立项")
    CASE = "case", _("转诉求办理")


# What counts as finished for each kind of action item.
CASE_DONE_STATES = ("resolved", "verified", "closed", "rejected", "merged")


class ResolutionQuerySet(ScopedQuerySet):
    def unfinished(self) -> Self:
        return self.exclude(
            Q(kind=ActionKind.NEED) & ~Q(need__status=NeedStatus.OPEN)
            | Q(kind=ActionKind.PROJECT, project__status=ProjectStatus.DONE)
            | Q(kind=ActionKind.CASE, case__state__in=CASE_DONE_STATES)
        )


class Resolution(models.Model):
    """决议: an action item with an owner and a deadline, carried out as a need, a project
    or a case; it is finished when that is (a need no longer open, a project done, a case
    resolved or closed)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="resolutions")
    text = models.CharField(_("决议事项"), max_length=200)
    kind = models.CharField(_("落实方式"), max_length=16, choices=ActionKind.choices)
    community = models.ForeignKey(
        "regions.Region",
        verbose_name=_("落实地点"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("社区;转诉求办理时也可以是召集的街道"),
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("责任人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    deadline = models.DateField(_("完成时限"))
    need = models.ForeignKey(
        Need, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    project = models.ForeignKey(
        Project, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    case = models.ForeignKey(
        "cases.Case", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ResolutionQuerySet.as_manager()
    scope_path = "meeting__host__path"

    class Meta:
        verbose_name = _("决议")
        verbose_name_plural = _("决议")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.text

    @property
    def target(self):
        return self.need or self.project or self.case

    @property
    def finished(self) -> bool:
        if self.kind == ActionKind.NEED:
            return self.need is None or self.need.status != NeedStatus.OPEN
        if self.kind == ActionKind.PROJECT:
            return self.project is None or self.project.status == ProjectStatus.DONE
        return self.case is None or self.case.state in CASE_DONE_STATES
