"""Field work (走访): households from the resident register, each community's visit cycle,
the monthly plan, visit records with their photos, and the care rounds of the vulnerable.

Households, plans and visits are seen by whoever sees the grid's residents. Care records
are narrower (`CareQuerySet`): only the grid's workers and the community's staff."""

from __future__ import annotations

import uuid
from typing import Any, Self

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from genxi.core.models import TimeStampedModel, UnicodeJSONEncoder
from genxi.core.pii import EncryptedTextField, PIIMixin
from genxi.core.roles import Perm, Role
from genxi.core.scope import ScopedQuerySet, scope_for
from genxi.people.models import ResidentTag
from genxi.regions.domain.codes import path_codes

from .domain.cycles import CYCLE_MONTHS

COMMUNITY_DEPTH = 4  # city, district, street, community: a path of four codes


class Household(PIIMixin, TimeStampedModel):
    """The residents of one grid who live at one address (domain/households.py)."""

    grid = models.ForeignKey(
        "regions.Region", verbose_name=_("网格"), on_delete=models.PROTECT, related_name="+"
    )
    key_digest = models.CharField(max_length=64, editable=False)
    address = EncryptedTextField(_("住址"), kind="address")
    label = models.CharField(_("楼栋"), max_length=60, blank=True)
    size = models.PositiveIntegerField(_("人数"), default=0)
    active = models.BooleanField(_("在册"), default=True, db_index=True)

    objects = ScopedQuerySet.as_manager()

    scope_path = "grid__path"
    scope_perm = Perm.VIEW_RESIDENTS

    class Meta:
        verbose_name = _("住户")
        verbose_name_plural = _("住户")
        ordering = ["grid__path", "label", "id"]
        constraints = [
            models.UniqueConstraint(fields=["grid", "key_digest"], name="household_unique_key")
        ]

    def __str__(self) -> str:
        return f"{self.label or _('住户')} · {self.masked('address')}"

    def get_absolute_url(self) -> str:
        return reverse("fieldwork:household", args=[self.pk])


class HouseholdMember(models.Model):
    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="members")
    resident = models.OneToOneField(
        "people.Resident", on_delete=models.CASCADE, related_name="household_link"
    )

    objects = ScopedQuerySet.as_manager()

    scope_path = "household__grid__path"
    scope_perm = Perm.VIEW_RESIDENTS

    class Meta:
        verbose_name = _("住户成员")
        verbose_name_plural = _("住户成员")

    def __str__(self) -> str:
        return str(self.household)


class VisitCycle(TimeStampedModel):
    """How often a community visits every household (a cycle of N calendar months)."""

    community = models.OneToOneField(
        "regions.Region", verbose_name=_("社区"), on_delete=models.PROTECT, related_name="+"
    )
    months = models.PositiveSmallIntegerField(
        _("走访周期(月)"), default=3, choices=[(m, m) for m in CYCLE_MONTHS]
    )

    objects = ScopedQuerySet.as_manager()

    scope_path = "community__path"

    class Meta:
        verbose_name = _("走访周期")
        verbose_name_plural = _("走访周期")

    def __str__(self) -> str:
        return f"{self.community} · {self.months}"


class PlanItem(TimeStampedModel):
    """One household on one person's plan for one month."""

    month = models.DateField(_("月份"), db_index=True)
    grid = models.ForeignKey(
        "regions.Region", verbose_name=_("网格"), on_delete=models.PROTECT, related_name="+"
    )
    household = models.ForeignKey(
        Household, verbose_name=_("住户"), on_delete=models.CASCADE, related_name="plan_items"
    )
    pioneer = models.ForeignKey(
        "people.Pioneer", verbose_name=_("走访人"), on_delete=models.PROTECT, related_name="+"
    )

    objects = ScopedQuerySet.as_manager()

    scope_path = "grid__path"
    scope_perm = Perm.VIEW_RESIDENTS

    class Meta:
        verbose_name = _("走访计划")
        verbose_name_plural = _("走访计划")
        ordering = ["month", "pioneer__name", "household__label", "id"]
        constraints = [
            models.UniqueConstraint(fields=["month", "household"], name="plan_item_once")
        ]

    def __str__(self) -> str:
        return f"{self.household.label} · {self.pioneer}"


class Visit(TimeStampedModel):
    """A household visited: who went, whom they met, what they found, what follows."""

    household = models.ForeignKey(
        Household, verbose_name=_("住户"), on_delete=models.PROTECT, related_name="visits"
    )
    grid = models.ForeignKey(
        "regions.Region", verbose_name=_("网格"), on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("走访时间"), db_index=True)
    pioneer = models.ForeignKey(
        "people.Pioneer",
        verbose_name=_("走访人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    met = models.CharField(_("见到"), max_length=60, blank=True)
    findings = models.JSONField(
        _("发现的问题"), default=list, blank=True, encoder=UnicodeJSONEncoder
    )
    note = models.TextField(_("情况"), blank=True)
    follow_up = models.TextField(_("后续跟进"), blank=True)
    lat = models.FloatField(_("纬度(约)"), null=True, blank=True)
    lon = models.FloatField(_("经度(约)"), null=True, blank=True)
    key = models.UUIDField(_("提交编号"), default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("转为诉求"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = ScopedQuerySet.as_manager()

    scope_path = "grid__path"
    scope_perm = Perm.VIEW_RESIDENTS

    class Meta:
        verbose_name = _("走访记录")
        verbose_name_plural = _("走访记录")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["grid", "at"], name="visit_grid_at")]

    def __str__(self) -> str:
        return f"{self.household.label} · {self.at:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        return reverse("fieldwork:visit", args=[self.pk])

    @property
    def visitor(self) -> Any:
        return self.pioneer or self.recorded_by


class VisitPhoto(models.Model):
    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(upload_to="visits/%Y/%m/")
    thumbnail = models.ImageField(upload_to="visits/%Y/%m/thumbs/")
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)

    objects = ScopedQuerySet.as_manager()

    scope_path = "visit__grid__path"
    scope_perm = Perm.VIEW_RESIDENTS

    class Meta:
        verbose_name = _("走访照片")
        verbose_name_plural = _("走访照片")

    def __str__(self) -> str:
        return str(self.visit)


# Care rounds ------------------------------------------------------------------------------

CARE_ROLES = frozenset({Role.GRID_WORKER, Role.COMMUNITY_WORKER})


def care_paths(scope: Any) -> tuple[str, ...]:
    """The places whose care records the scope may read: a grid worker's or community
    worker's own community or grid — never a street's or the city's whole."""
    return tuple(
        p for r, p in scope.role_paths if r in CARE_ROLES and len(path_codes(p)) >= COMMUNITY_DEPTH
    )


class CareQuerySet(ScopedQuerySet):
    """Narrower than residents: a street admin, the system admin, a department officer see
    none; the grid's workers and the community's staff see their own."""

    def visible_to(self, user: Any) -> Self:
        scope = scope_for(user)
        paths = care_paths(scope)
        if not paths or not scope.has(Perm.VIEW_RESIDENTS):
            return self.none()
        lookup = getattr(self.model, "scope_path", "grid__path")
        q = Q(pk__in=[])
        for p in paths:
            q |= Q(**{f"{lookup}__startswith": p})
        return self.filter(q)


class CareRule(TimeStampedModel):
    """A community's frequency of care rounds for residents with one tag (0: none)."""

    community = models.ForeignKey(
        "regions.Region", verbose_name=_("社区"), on_delete=models.PROTECT, related_name="+"
    )
    tag = models.CharField(_("标签"), max_length=32, choices=ResidentTag.choices)
    every_days = models.PositiveSmallIntegerField(_("每隔几天探访一次"))

    objects = ScopedQuerySet.as_manager()

    scope_path = "community__path"

    class Meta:
        verbose_name = _("关爱探访频次")
        verbose_name_plural = _("关爱探访频次")
        constraints = [models.UniqueConstraint(fields=["community", "tag"], name="care_rule_once")]

    def __str__(self) -> str:
        return f"{self.community} · {self.get_tag_display()}"


class CareOutcome(models.TextChoices):
    WELL = "well", _("见到本人,情况良好")
    NEEDS_HELP = "needs_help", _("见到本人,需要帮助")
    NO_ANSWER = "no_answer", _("无人应答")


class CareRound(PIIMixin, TimeStampedModel):
    """One care round (关爱探访) of a vulnerable resident."""

    resident = models.ForeignKey(
        "people.Resident", verbose_name=_("居民"), on_delete=models.CASCADE, related_name="+"
    )
    grid = models.ForeignKey(
        "regions.Region", verbose_name=_("网格"), on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("探访时间"), db_index=True)
    outcome = models.CharField(_("结果"), max_length=16, choices=CareOutcome.choices)
    note = EncryptedTextField(_("情况"), kind="text", blank=True)
    visitor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("探访人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    key = models.UUIDField(_("提交编号"), default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("紧急诉求"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = CareQuerySet.as_manager()

    scope_path = "grid__path"
    scope_perm = Perm.VIEW_RESIDENTS

    class Meta:
        verbose_name = _("关爱探访")
        verbose_name_plural = _("关爱探访")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["resident", "at"], name="care_round_resident_at")]

    def __str__(self) -> str:
        return f"{self.resident} · {self.at:%Y-%m-%d}"


class CareWarning(models.Model):
    """A missed round, and whom it was told to: one row per resident, due day and level,
    so the morning task warns each once."""

    resident = models.ForeignKey("people.Resident", on_delete=models.CASCADE, related_name="+")
    grid = models.ForeignKey("regions.Region", on_delete=models.PROTECT, related_name="+")
    due = models.DateField(_("应探访日期"))
    level = models.CharField(_("提醒对象"), max_length=16)
    created_at = models.DateTimeField(_("提醒时间"), auto_now_add=True)

    objects = CareQuerySet.as_manager()

    scope_path = "grid__path"
    scope_perm = Perm.VIEW_RESIDENTS

    class Meta:
        verbose_name = _("漏访提醒")
        verbose_name_plural = _("漏访提醒")
        constraints = [
            models.UniqueConstraint(fields=["resident", "due", "level"], name="care_warning_once")
        ]

    def __str__(self) -> str:
        return f"{self.resident} · {self.due}"
