"""The duty roster: dated exceptions to a station's weekly shifts, the shifts volunteers
took, the swaps they offer each other, and the warnings already sent about unstaffed
shifts (domain/roster.py expands the pattern)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from genxi.core.scope import ScopedQuerySet

from ..domain.hours import format_day, format_minutes
from ..domain.roster import Shift
from .stations import Station, through_station


class DutyException(models.Model):
    """A date whose shifts differ from the weekly pattern (none: no duty that day)."""

    station = models.ForeignKey(
        Station, verbose_name=_("驿站"), on_delete=models.CASCADE, related_name="duty_exceptions"
    )
    date = models.DateField(_("日期"))
    intervals = models.JSONField(_("当日班次"), default=list, blank=True)
    note = models.CharField(_("说明"), max_length=60, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("值班调整")
        verbose_name_plural = _("值班调整")
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["station", "date"], name="unique_duty_exception")
        ]

    def __str__(self) -> str:
        return f"{self.station} · {self.date:%Y-%m-%d}"

    def shifts_text(self) -> str:
        return format_day(tuple((int(s), int(e)) for s, e in self.intervals))

    @classmethod
    def scope_q(cls, scope) -> Q:
        return through_station(scope)


class DutyShift(models.Model):
    """A dated shift of the roster, taken by one of the station's duty volunteers."""

    station = models.ForeignKey(
        Station, verbose_name=_("驿站"), on_delete=models.CASCADE, related_name="shifts"
    )
    date = models.DateField(_("日期"))
    start = models.PositiveSmallIntegerField(_("开始"))  # minutes since midnight
    end = models.PositiveSmallIntegerField(_("结束"))
    pioneer = models.ForeignKey(
        "people.Pioneer", verbose_name=_("值班人"), on_delete=models.PROTECT, related_name="+"
    )
    reminded_at = models.DateTimeField(_("提醒时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("报名时间"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("值班")
        verbose_name_plural = _("值班")
        ordering = ["date", "start"]
        constraints = [
            # One volunteer a shift: the second to sign up is refused, even in a race.
            models.UniqueConstraint(fields=["station", "date", "start"], name="one_per_shift")
        ]

    def __str__(self) -> str:
        return f"{self.station} · {self.date:%Y-%m-%d} {self.time_text()}"

    def time_text(self) -> str:
        return f"{format_minutes(self.start)}-{format_minutes(self.end)}"

    def shift(self) -> Shift:
        return Shift(self.date, self.start, self.end)

    @classmethod
    def scope_q(cls, scope) -> Q:
        return through_station(scope)


class SwapStatus(models.TextChoices):
    PENDING = "pending", _("待对方确认")
    ACCEPTED = "accepted", _("已换班")
    DECLINED = "declined", _("对方已拒绝")
    CANCELLED = "cancelled", _("已撤回")


class DutySwap(models.Model):
    """A volunteer asks another to take over a shift; it changes hands when they accept."""

    shift = models.ForeignKey(
        DutyShift, verbose_name=_("值班"), on_delete=models.CASCADE, related_name="swaps"
    )
    from_pioneer = models.ForeignKey(
        "people.Pioneer", verbose_name=_("原值班人"), on_delete=models.CASCADE, related_name="+"
    )
    to_pioneer = models.ForeignKey(
        "people.Pioneer", verbose_name=_("接班人"), on_delete=models.CASCADE, related_name="+"
    )
    status = models.CharField(
        _("状态"), max_length=16, choices=SwapStatus.choices, default=SwapStatus.PENDING
    )
    created_at = models.DateTimeField(_("申请时间"), auto_now_add=True)
    decided_at = models.DateTimeField(_("处理时间"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("换班")
        verbose_name_plural = _("换班")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["shift"], condition=Q(status="pending"), name="one_pending_swap"
            )
        ]

    def __str__(self) -> str:
        return f"{self.shift} → {self.to_pioneer}"

    @classmethod
    def scope_q(cls, scope) -> Q:
        return through_station(scope, "shift__station")


class DutyGapNotice(models.Model):
    """An unstaffed shift the community was warned of (once per shift)."""

    station = models.ForeignKey(Station, on_delete=models.CASCADE, related_name="+")
    date = models.DateField()
    start = models.PositiveSmallIntegerField()
    sent_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("缺岗提醒")
        verbose_name_plural = _("缺岗提醒")
        constraints = [
            models.UniqueConstraint(fields=["station", "date", "start"], name="one_gap_notice")
        ]

    def __str__(self) -> str:
        return f"{self.station} · {self.date:%Y-%m-%d}"

    @classmethod
    def scope_q(cls, scope) -> Q:
        return through_station(scope)
