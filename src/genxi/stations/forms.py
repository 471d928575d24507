"""One form per station action: the station itself (create and edit), a date's hours, a
duty volunteer, a visit, a visitor's reflection. A form checks the input; the service
checks who may and the business rules."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

from genxi.people.models import Pioneer
from genxi.regions.models import Region

from . import selectors
from .domain.hours import HoursError, Intervals, format_day, parse_day
from .domain.isbn import IsbnError
from .domain.isbn import normalize as normalize_isbn
from .models import Amenity, BookCopy, Station, VisitorType

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


class PhotoForm(_Form):
    photos = forms.FileField(label=_("照片"))
    caption = forms.CharField(label=_("说明(可不填)"), max_length=40, required=False)


class ReflectionForm(_Form):
    text = forms.CharField(label=_("留言"), max_length=200, widget=forms.Textarea)
    signature = forms.CharField(label=_("署名(可不填)"), max_length=20, required=False)
    website = forms.CharField(required=False)  # hidden from people: a bot fills it in


# The duty roster ---------------------------------------------------------------------------


class DutyPatternForm(_Form):
    """The weekly shifts: one text a weekday, "08:00-12:00, 12:00-16:00"."""

    def __init__(self, *args: Any, station: Station | None = None, **kwargs: Any):
        if station is not None and "initial" not in kwargs:
            weekly = station.duty_weekly()
            kwargs["initial"] = {f"d{d}": format_day(weekly.get(d, ())) for d in range(7)}
        super().__init__(*args, **kwargs)
        for day, label in enumerate(WEEKDAYS):
            field = forms.CharField(
                label=label,
                required=False,
                max_length=100,
                help_text=_("如 08:00-12:00, 12:00-16:00;留空为不排班"),
            )
            field.widget.attrs["class"] = "form-control form-control-sm"
            self.fields[f"d{day}"] = field

    def day_fields(self):
        return [self[f"d{d}"] for d in range(7)]

    def clean(self):
        data = super().clean()
        weekly = {}
        for day in range(7):
            name = f"d{day}"
            if name in self.errors:
                continue
            try:
                weekly[day] = _parse(data.get(name, ""))
            except forms.ValidationError as exc:
                self.add_error(name, exc)
        data["weekly"] = weekly
        return data


class ShiftForm(_Form):
    """Signing up for a shift (the staff may name the volunteer)."""

    day = forms.DateField()
    start = forms.IntegerField(min_value=0, max_value=1439)

    def __init__(self, *args: Any, station: Station, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["pioneer"] = forms.ModelChoiceField(
            label=_("值班志愿者"),
            required=False,
            queryset=Pioneer.objects.filter(pk__in=station.volunteers.values("pioneer")),
            error_messages={"invalid_choice": _("只能安排本驿站的值守志愿者。")},
        )


class SwapForm(_Form):
    def __init__(self, *args: Any, station: Station, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["to"] = forms.ModelChoiceField(
            label=_("请谁接班"),
            queryset=Pioneer.objects.filter(
                pk__in=station.volunteers.values("pioneer"), user__isnull=False
            ),
            error_messages={"invalid_choice": _("只能与本驿站的值守志愿者换班。")},
        )


# The medicine box --------------------------------------------------------------------------


class MedicineForm(_Form):
    name = forms.CharField(label=_("药品名称"), max_length=60)
    unit = forms.CharField(label=_("单位"), max_length=10, initial=_("盒"))
    batch = forms.CharField(label=_("批号"), max_length=30, required=False)
    expiry = forms.DateField(
        label=_("有效期至"),
        validators=[MinValueValidator(date(2000, 1, 1)), MaxValueValidator(date(2099, 12, 31))],
    )
    quantity = forms.IntegerField(label=_("数量"), min_value=1, max_value=100000)
    minimum = forms.IntegerField(label=_("最低库存"), min_value=0, max_value=100000, required=False)
    note = forms.CharField(label=_("备注"), max_length=100, required=False)


class _ItemForm(_Form):
    def __init__(self, *args: Any, station: Station, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["item"] = forms.ModelChoiceField(
            label=_("药品"),
            queryset=station.medicines.filter(quantity__gt=0),
            error_messages={"invalid_choice": _("请选择药箱里的药品。")},
        )


class IssueForm(_ItemForm):
    quantity = forms.IntegerField(label=_("数量"), min_value=1, max_value=100000, initial=1)
    note = forms.CharField(label=_("备注"), max_length=100, required=False)


class DiscardForm(_ItemForm):
    note = forms.CharField(label=_("备注"), max_length=100, required=False)


class WarnDaysForm(_Form):
    warn_days = forms.IntegerField(label=_("临期提醒天数"), min_value=1, max_value=365)


# Books -------------------------------------------------------------------------------------


class BookForm(_Form):
    title = forms.CharField(label=_("书名"), max_length=120)
    author = forms.CharField(label=_("作者"), max_length=80, required=False)
    isbn = forms.CharField(label=_("ISBN"), max_length=30, required=False)
    copies = forms.IntegerField(label=_("册数"), min_value=1, max_value=50, initial=1)

    def clean_isbn(self) -> str:
        text = self.cleaned_data.get("isbn", "")
        if not text.strip():
            return ""
        try:
            return normalize_isbn(text)
        except IsbnError as exc:
            raise forms.ValidationError(_("ISBN 不正确,请核对后重新输入或扫码。")) from exc


class LendForm(_Form):
    borrower = forms.CharField(label=_("借阅人"), max_length=30)
    contact = forms.CharField(label=_("联系电话"), max_length=20, required=False)
    due = forms.DateField(
        label=_("应还日期"),
        required=False,
        validators=[MinValueValidator(date(2000, 1, 1)), MaxValueValidator(date(2099, 12, 31))],
    )

    def __init__(self, *args: Any, station: Station, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["copy"] = forms.ModelChoiceField(
            label=_("图书"),
            queryset=BookCopy.objects.filter(book__station=station, active=True).select_related(
                "book"
            ),
            error_messages={"invalid_choice": _("请选择本驿站的图书。")},
        )
