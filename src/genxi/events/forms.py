"""One form per action of the weekend community: an event, a month's plan, a registration
(public or by staff), a check-in, a roster place, a material's count, the summary, a
cancellation, a photo. A form checks the input; the service checks who may and the rules."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from genxi.people.models import Pioneer

from . import selectors
from .domain.calendar import month_start, month_weeks
from .models import Audience, RosterRole


class _Form(forms.Form):
    status = 400

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput | forms.CheckboxSelectMultiple):
                continue
            css = "form-select" if isinstance(widget, forms.Select) else "form-control"
            widget.attrs.setdefault("class", css)


class LocalDateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class CommunityField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.parent.name} · {obj.name}" if obj.parent else obj.name


class EventForm(_Form):
    community = CommunityField(label=_("社区"), queryset=None)
    title = forms.CharField(label=_("活动名称"), max_length=80)
    place = forms.CharField(label=_("地点"), max_length=120, required=False)
    starts_at = forms.DateTimeField(label=_("开始时间"), widget=LocalDateTimeInput())
    ends_at = forms.DateTimeField(label=_("结束时间"), widget=LocalDateTimeInput())
    capacity = forms.IntegerField(label=_("名额"), min_value=1, max_value=10000)
    audience = forms.MultipleChoiceField(
        label=_("面向"),
        choices=Audience.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    description = forms.CharField(label=_("活动介绍"), widget=forms.Textarea, required=False)
    draft = forms.BooleanField(label=_("先存为草稿(随月度计划发布)"), required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["community"]
        assert isinstance(field, forms.ModelChoiceField)  # declared above
        field.queryset = selectors.staff_communities(user).select_related("parent")


class PlanForm(_Form):
    """The month's title and notes, and one theme field per week (`w2026-12-07`)."""

    title = forms.CharField(label=_("标题"), max_length=80)
    notes = forms.CharField(label=_("说明"), widget=forms.Textarea, required=False)

    def __init__(self, *args: Any, month: date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        first = month_start(month)
        self.weeks: list[tuple[str, date]] = []
        for week in month_weeks(first):
            day = max(week[0], first)  # a day of the week inside the month
            name = f"w{day.isoformat()}"
            self.fields[name] = forms.CharField(
                label=_("%(from)s 起一周的主题") % {"from": f"{week[0]:%m-%d}"},
                max_length=60,
                required=False,
            )
            self.weeks.append((name, day))

    def themes(self) -> dict[date, str]:
        return {day: self.cleaned_data.get(name, "") for name, day in self.weeks}

    def week_fields(self) -> list[forms.BoundField]:
        return [self[name] for name, _day in self.weeks]


class RegisterForm(_Form):
    name = forms.CharField(label=_("姓名"), max_length=20)
    phone = forms.CharField(label=_("手机号"), max_length=20)
    website = forms.CharField(required=False)  # a honeypot: people leave it empty


class CheckInForm(_Form):
    code = forms.CharField(label=_("签到码"), max_length=20)


class CodeForm(_Form):
    """A resident's own step (cancel) reached by the code in the URL: nothing to fill."""


class RosterForm(_Form):
    role = forms.ChoiceField(label=_("岗位"), choices=RosterRole.choices)
    pioneer = forms.ModelChoiceField(
        label=_("海棠先锋"), queryset=Pioneer.objects.none(), required=False
    )

    def __init__(self, *args: Any, pioneers: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if pioneers is not None:
            self.fields["pioneer"].queryset = pioneers  # type: ignore[attr-defined]


class RosterLeaveForm(_Form):
    entry = forms.IntegerField()


class MaterialForm(_Form):
    name = forms.CharField(label=_("物资"), max_length=40)
    unit = forms.CharField(label=_("单位"), max_length=8, required=False)
    quantity = forms.IntegerField(label=_("发放数量"), min_value=0, max_value=1_000_000)


class SummaryForm(_Form):
    served = forms.IntegerField(label=_("服务人次"), min_value=0, max_value=1_000_000)
    attendance = forms.IntegerField(
        label=_("到场人数"),
        min_value=0,
        max_value=1_000_000,
        required=False,
        help_text=_("留空则按签到人数"),
    )
    summary = forms.CharField(label=_("活动总结"), widget=forms.Textarea, required=False)


class CancelForm(_Form):
    reason = forms.CharField(label=_("取消原因"), max_length=200, required=False)


class RegistrationActForm(_Form):
    registration = forms.IntegerField()


class UnregisterForm(_Form):
    """The staff's cancelling of a resident's place: why (the service requires it)."""

    reason = forms.CharField(label=_("取消原因"), max_length=200, required=False)


class PhotoForm(_Form):
    photo = forms.ImageField(label=_("照片"))
