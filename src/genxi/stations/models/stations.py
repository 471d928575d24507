"""Service stations (驿站): the station, its dated exceptions to its hours, the pioneers who
take duty there, the visits logged by visitor type, and the reflections wall.

The duty roster, the shared medicine box and the books sit beside these (`roster.py`,
`medicine.py`, `books.py`), each a model with a `station` foreign key and `scope_q` through
it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from genxi.core.models import TimeStampedModel, UnicodeJSONEncoder
from genxi.core.scope import ScopedQuerySet, path_q

from ..domain.hours import Exceptions, Weekly, format_day, weekly_from_json


class Amenity(models.TextChoices):
    MICROWAVE = "microwave", _("微波炉")
    KETTLE = "kettle", _("热水壶")
    TABLES = "tables", _("桌椅")
    HEATING = "heating", _("取暖")
    COOLING = "cooling", _("空调纳凉")
    HOT_DRINKS = "hot_drinks", _("热饮")
    CHARGING = "charging", _("充电")
    TOILET = "toilet", _("卫生间")
    MEDICINE = "medicine", _("药箱")
    BOOKS = "books", _("图书")
    WIFI = "wifi", _("无线网络")
    WALL = "wall", _("留言墙")


class VisitorType(models.TextChoices):
    COURIER = "courier", _("快递员")
    RIDER = "rider", _("外卖骑手")
    SANITATION = "sanitation", _("环卫工人")
    RESIDENT = "resident", _("居民")
    OTHER = "other", _("其他")


def _tended_by(user_id: int | None) -> Q:
    """The stations where the user is the manager or a duty volunteer."""
    if user_id is None:
        return Q(pk__in=[])
    volunteering = StationVolunteer.objects.filter(pioneer__user_id=user_id).values("station")
    return Q(manager_id=user_id) | Q(pk__in=volunteering)


class Station(TimeStampedModel):
    """A rest stop for couriers, riders, sanitation workers and residents."""

    community = models.ForeignKey(
        "regions.Region", verbose_name=_("社区"), on_delete=models.PROTECT, related_name="stations"
    )
    grid = models.ForeignKey(
        "regions.Region",
        verbose_name=_("网格"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    name = models.CharField(_("名称"), max_length=60)
    lat = models.FloatField(_("纬度"))
    lon = models.FloatField(_("经度"))
    address = models.CharField(_("位置"), max_length=120)
    description = models.TextField(_("介绍"), blank=True)
    # {"0": [[480, 1200]], …}: weekday (Monday 0) → intervals in minutes (domain/hours.py)
    hours = models.JSONField(_("开放时间"), default=dict, blank=True)
    amenities = models.JSONField(_("设施"), default=list, blank=True, encoder=UnicodeJSONEncoder)
    serves = models.JSONField(_("服务对象"), default=list, blank=True, encoder=UnicodeJSONEncoder)
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("负责人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    active = models.BooleanField(_("启用"), default=True)
    # The duty roster's weekly shifts, in the form of `hours` (domain/roster.py)
    duty = models.JSONField(_("值班班次"), default=dict, blank=True)
    # Medicines expiring within this many days are warned of and put on the restock list
    medicine_warn_days = models.PositiveSmallIntegerField(_("药品临期提醒天数"), default=30)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("驿站")
        verbose_name_plural = _("驿站")
        ordering = ["community__path", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("stations:station", args=[self.pk])

    @classmethod
    def scope_q(cls, scope) -> Q:
        """The staff of its community (street, community) and the grid worker of its grid see
        it; so do its manager and its duty volunteers."""
        return (
            path_q("community__path", scope.paths)
            | path_q("grid__path", scope.paths)
            | _tended_by(scope.user_id)
        )

    def weekly(self) -> Weekly:
        return weekly_from_json(self.hours or {})

    def duty_weekly(self) -> Weekly:
        return weekly_from_json(self.duty or {})

    def amenity_labels(self) -> list[str]:
        labels = dict(Amenity.choices)
        return [str(labels[a]) for a in Amenity.values if a in self.amenities]

    def serves_labels(self) -> list[str]:
        labels = dict(VisitorType.choices)
        return [str(labels[v]) for v in VisitorType.values if v in self.serves]


def through_station(scope, lookup: str = "station") -> Q:
    """What belongs to a station the scope sees (`lookup` names the way to the station)."""
    return Q(**{f"{lookup}__in": Station.objects.filter(Station.scope_q(scope)).values("pk")})


class HoursException(models.Model):
    """A date whose hours differ from the weekly pattern: a holiday, a closure."""

    station = models.ForeignKey(
        Station, verbose_name=_("驿站"), on_delete=models.CASCADE, related_name="exceptions"
    )
    date = models.DateField(_("日期"))
    # [[start, end], …] in minutes; empty: closed all day
    intervals = models.JSONField(_("当日开放时间"), default=list, blank=True)
    note = models.CharField(_("说明"), max_length=60, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("特殊开放时间")
        verbose_name_plural = _("特殊开放时间")
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["station", "date"], name="unique_station_exception")
        ]

    def __str__(self) -> str:
        return f"{self.station} · {self.date:%Y-%m-%d}"

    def hours_text(self) -> str:
        """ "08:00-12:00", or "" when closed all day."""
        return format_day(tuple((int(s), int(e)) for s, e in self.intervals))

    @classmethod
    def scope_q(cls, scope) -> Q:
        return through_station(scope)


def exceptions_of(rows) -> Exceptions:
    return {r.date: tuple((int(s), int(e)) for s, e in r.intervals) for r in rows}


class StationVolunteer(models.Model):
    """A pioneer who takes duty at the station: logs visits and approves reflections."""

    station = models.ForeignKey(
        Station, verbose_name=_("驿站"), on_delete=models.CASCADE, related_name="volunteers"
    )
    pioneer = models.ForeignKey(
        "people.Pioneer", verbose_name=_("海棠先锋"), on_delete=models.CASCADE, related_name="+"
    )
    created_at = models.DateTimeField(_("加入时间"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("值守志愿者")
        verbose_name_plural = _("值守志愿者")
        constraints = [
            models.UniqueConstraint(fields=["station", "pioneer"], name="unique_station_volunteer")
        ]

    def __str__(self) -> str:
        return f"{self.station} · {self.pioneer}"

    @classmethod
    def scope_q(cls, scope) -> Q:
        return through_station(scope)


class StationVisit(models.Model):
    """One visitor, logged with one tap by the person on duty."""

    station = models.ForeignKey(
        Station, verbose_name=_("驿站"), on_delete=models.CASCADE, related_name="visits"
    )
    kind = models.CharField(_("来访者"), max_length=16, choices=VisitorType.choices)
    at = models.DateTimeField(_("时间"), db_index=True)
    note = models.CharField(_("备注"), max_length=100, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("来访登记")
        verbose_name_plural = _("来访登记")
        ordering = ["-at"]
        indexes = [models.Index(fields=["station", "at"], name="station_visit_at")]

    def __str__(self) -> str:
        return f"{self.station} · {self.get_kind_display()}"

    @classmethod
    def scope_q(cls, scope) -> Q:
        return through_station(scope)


class ReflectionStatus(models.TextChoices):
    PENDING = "pending", _("待审核")
    APPROVED = "approved", _("已展示")
    HIDDEN = "hidden", _("已隐藏")


class Reflection(models.Model):
    """A short message left on the station's wall by a visitor: shown once approved."""

    station = models.ForeignKey(
        Station, verbose_name=_("驿站"), on_delete=models.CASCADE, related_name="reflections"
    )
    text = models.CharField(_("留言"), max_length=200)
    signature = models.CharField(_("署名"), max_length=20, blank=True)
    status = models.CharField(
        _("状态"),
        max_length=16,
        choices=ReflectionStatus.choices,
        default=ReflectionStatus.PENDING,
        db_index=True,
    )
    created_at = models.DateTimeField(_("留言时间"), auto_now_add=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("审核人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    moderated_at = models.DateTimeField(_("审核时间"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("留言")
        verbose_name_plural = _("留言墙")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.station} · {self.text[:20]}"

    @classmethod
    def scope_q(cls, scope) -> Q:
        return through_station(scope)


class StationPhoto(models.Model):
    """A picture of the station (its room, its microwave and kettle): shown on its public
    page to anyone. Stored without metadata (core.photos); pictures of people do not belong
    here."""

    station = models.ForeignKey(
        Station, on_delete=models.CASCADE, related_name="photos", verbose_name=_("驿站")
    )
    image = models.ImageField(upload_to="stations/%Y/%m/")
    thumbnail = models.ImageField(upload_to="stations/thumbs/%Y/%m/")
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    caption = models.CharField(_("说明"), max_length=40, blank=True)
    created_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("驿站照片")
        verbose_name_plural = _("驿站照片")
        ordering = ["station", "id"]

    def __str__(self) -> str:
        return f"{self.station} · {self.caption or self.pk}"

    @classmethod
    def scope_q(cls, scope) -> Q:
        return through_station(scope)
