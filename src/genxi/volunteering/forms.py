"""The forms of volunteer hours: confirm (hours may be corrected), reject (a reason), a
staff's manual entry, a new version of the points rules, the collect button."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from genxi.people.models import PioneerKind

from .domain.points import SOURCES
from .models import Source

_INPUT = {"class": "form-control"}


def _hours_field(required: bool) -> forms.DecimalField:
    return forms.DecimalField(
        label=_("时长(小时)"),
        required=required,
        min_value=Decimal("0.1"),
        max_value=Decimal(24),
        decimal_places=1,
        widget=forms.NumberInput(attrs=_INPUT | {"step": "0.1", "inputmode": "decimal"}),
    )


class ConfirmHoursForm(forms.Form):
    status = 400
    hours = _hours_field(required=False)


class RejectHoursForm(forms.Form):
    status = 400
    reason = forms.CharField(
        label=_("不予确认的原因"),
        max_length=200,
        widget=forms.TextInput(attrs=_INPUT),
    )


class CollectForm(forms.Form):
    status = 400


class ManualHoursForm(forms.Form):
    pioneer: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("海棠先锋"), queryset=None, widget=forms.Select(attrs={"class": "form-select"})
    )
    title = forms.CharField(
        label=_("服务内容"), max_length=100, widget=forms.TextInput(attrs=_INPUT)
    )
    served_on = forms.DateField(
        label=_("服务日期"), widget=forms.DateInput(attrs=_INPUT | {"type": "date"})
    )
    hours = _hours_field(required=True)

    def __init__(self, *args, pioneers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["pioneer"].queryset = pioneers
        self.fields["pioneer"].label_from_instance = lambda p: f"{p.name}({p.get_kind_display()})"


class RulesForm(forms.Form):
    note = forms.CharField(
        label=_("修订说明"), max_length=100, required=False, widget=forms.TextInput(attrs=_INPUT)
    )
    weekend_percent = forms.IntegerField(
        label=_("周末加成(%)"),
        min_value=0,
        max_value=300,
        widget=forms.NumberInput(attrs=_INPUT),
    )
    first_of_year = forms.DecimalField(
        label=_("年度首次服务奖励积分"),
        min_value=0,
        max_value=1000,
        decimal_places=1,
        widget=forms.NumberInput(attrs=_INPUT),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        labels = dict(Source.choices)
        for source in SOURCES:
            self.fields[f"per_hour_{source}"] = forms.DecimalField(
                label=_("%(source)s每小时积分") % {"source": labels[source]},
                min_value=0,
                max_value=1000,
                decimal_places=1,
                widget=forms.NumberInput(attrs=_INPUT),
            )
        for value, label in PioneerKind.choices:
            self.fields[f"kind_{value}"] = forms.IntegerField(
                label=_("%(kind)s加成(%%)") % {"kind": label},
                min_value=0,
                max_value=300,
                widget=forms.NumberInput(attrs=_INPUT),
            )

    def per_hour_fields(self):
        return [self[f"per_hour_{s}"] for s in SOURCES]

    def kind_fields(self):
        return [self[f"kind_{k}"] for k in PioneerKind.values]


def rules_initial(rules) -> dict:
    data = {
        "weekend_percent": rules.weekend_percent,
        "first_of_year": rules.first_of_year,
    }
    data |= {f"per_hour_{s}": rules.per_hour.get(s, 0) for s in SOURCES}
    data |= {f"kind_{k}": rules.kind_percent.get(k, 0) for k in PioneerKind.values}
    return data
