"""One form per station action: the station itself (create and edit), a date's hours, a
duty volunteer, a visit, a visitor's reflection. A form checks the input; the service
checks who may and the business rules."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

from genxi.regions.models import Region

from . import selectors
from .domain.hours import HoursError, Intervals, format_day, parse_day
from .models import Amenity, Station, VisitorType

WEEKDAYS = [_("周一"), _("周二"), _("周三"), _("周四"), _("周五"), _("周六"), _("周日")]
HOURS_HELP = _("如 08:00-12:00, 14:00-20:00;留空为不开放")
BAD_HOURS = _("请按“08:00-20:00”的格式填写,多个时段用逗号分开。")


STATION_FIELDS = (
    "grid",
    "name",
    "lat",
    "lon",
    "address",
    "description",
    "weekly",
    "amenities",
    "serves",
    "manager",
)


class _Form(forms.Form):
    status = 400


def _hours_field(label) -> forms.CharField:
    return forms.CharField(label=label, required=False, max_length=100, help_text=HOURS_HELP)


def _parse(text: str) -> Intervals:
    try:
        return parse_day(text)
    except HoursError as exc:
        raise forms.ValidationError(BAD_HOURS) from exc


class GridField(forms.ModelChoiceField):
    """A grid named with its community ("彩香一村社区 · 第1网格")."""

    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.parent.name} · {obj.name}" if obj.parent else obj.name


class StationForm(_Form):
    name = forms.CharField(label=_("名称"), max_length=60)
    address = forms.CharField(label=_("位置"), max_length=120)
    lat = forms.FloatField(label=_("纬度"), min_value=-90, max_value=90)
    lon = forms.FloatField(label=_("经度"), min_value=-180, max_value=180)
    description = forms.CharField(label=_("介绍"), required=False, widget=forms.Textarea)
    amenities = forms.MultipleChoiceField(
        label=_("设施"),
        required=False,
        choices=Amenity.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    serves = forms.MultipleChoiceField(
        label=_("服务对象"),
        required=False,
        choices=VisitorType.choices,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, user: Any, station: Station | None = None, **kwargs: Any):
        if station is not None and "initial" not in kwargs:
            weekly = station.weekly()
            kwargs["initial"] = {
                "name": station.name,
                "address": station.address,
                "lat": station.lat,
                "lon": station.lon,
                "description": station.description,
                "amenities": station.amenities,
                "serves": station.serves,
                "grid": station.grid_id,
                "manager": station.manager_id,
                "active": station.active,
                **{f"h{d}": format_day(weekly.get(d, ())) for d in range(7)},
            }
        super().__init__(*args, **kwargs)
        self.station = station
        if station is None:
            self.fields["community"] = forms.ModelChoiceField(
                label=_("社区"),
                queryset=selectors.staff_communities(user),
                error_messages={"invalid_choice": _("请选择一个社区。")},
            )
            grids = Region.objects.visible_to(user).grids()
        else:
            grids = Region.objects.grids().filter(parent=station.community)
            self.fields["active"] = forms.BooleanField(label=_("启用"), required=False)
        self.fields["grid"] = GridField(
            label=_("网格"), queryset=grids.select_related("parent"), required=False
        )
        self.fields["manager"] = forms.ModelChoiceField(
            label=_("负责人"), queryset=selectors.manager_choices(user), required=False
        )
        for day, label in enumerate(WEEKDAYS):
            self.fields[f"h{day}"] = _hours_field(label)
        for field in self.fields.values():  # Bootstrap's look for the inputs and selects
            widget = field.widget
            if isinstance(widget, forms.CheckboxSelectMultiple | forms.CheckboxInput):
                widget.attrs.setdefault("class", "form-check-input")
            elif isinstance(widget, forms.Select):
                widget.attrs.setdefault("class", "form-select")
            else:
                widget.attrs.setdefault("class", "form-control")
        self.fields["description"].widget.attrs["rows"] = 3

    def station_fields(self) -> dict[str, Any]:
        """What the create and edit services take from the cleaned form."""
        return {k: self.cleaned_data[k] for k in STATION_FIELDS}

    def hour_fields(self):
        return [self[f"h{d}"] for d in range(7)]

    def clean(self):
        data = super().clean()
        weekly = {}
        for day in range(7):
            name = f"h{day}"
            if name in self.errors:
                continue
            try:
                weekly[day] = _parse(data.get(name, ""))
            except forms.ValidationError as exc:
                self.add_error(name, exc)
        data["weekly"] = weekly
        return data


class ExceptionForm(_Form):
    day = forms.DateField(
        label=_("日期"),
        validators=[
            MinValueValidator(date(2000, 1, 1)),
            MaxValueValidator(date(2099, 12, 31)),
        ],
    )
    hours = forms.CharField(label=_("当日开放时间"), required=False, max_length=100)
    note = forms.CharField(label=_("说明"), required=False, max_length=60)

    def clean_hours(self) -> Intervals:
        return _parse(self.cleaned_data.get("hours", ""))


class VolunteerForm(_Form):
    def __init__(self, *args: Any, user: Any, station: Station, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["pioneer"] = forms.ModelChoiceField(
            label=_("海棠先锋"),
            queryset=selectors.volunteer_choices(user=user, station=station),
            error_messages={"invalid_choice": _("只能添加本社区的海棠先锋。")},
        )


class VisitForm(_Form):
    kind = forms.ChoiceField(choices=VisitorType.choices)
    note = forms.CharField(required=False, max_length=100)


class ReflectionForm(_Form):
    text = forms.CharField(label=_("留言"), max_length=200, widget=forms.Textarea)
    signature = forms.CharField(label=_("署名(可不填)"), max_length=20, required=False)
    website = forms.CharField(required=False)  # hidden from people: a bot fills it in
