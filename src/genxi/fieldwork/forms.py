"""One form per field-work action. A form checks the input (required, numbers, choices the
user may see); the services check who may and the rules, under their locks."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from genxi.cases.models import Category
from genxi.core.params import calendar_error, day_value, month_value
from genxi.people.models import Pioneer, ResidentTag

from .domain.cycles import CYCLE_MONTHS
from .models import CareOutcome

_TEXT = {"class": "form-control"}
_SELECT = {"class": "form-select"}


class _Form(forms.Form):
    status = 400


class MultiPhotoInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Up to four photos; each is checked by core.photos in the service."""

    widget = MultiPhotoInput(attrs={"accept": "image/*", "capture": "environment"})

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        if len(files) > 4:
            raise forms.ValidationError(_("最多上传 4 张照片。"))
        return [f for f in files if f]


class VisitForm(_Form):
    """A household visit as recorded on the phone."""

    key = forms.UUIDField(required=False, widget=forms.HiddenInput)
    met = forms.CharField(
        label=_("见到"),
        max_length=60,
        required=False,
        widget=forms.TextInput(attrs=_TEXT),
        help_text=_("如:户主本人、老人和女儿"),
    )
    note = forms.CharField(
        label=_("了解到的情况"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs=_TEXT | {"rows": 3}),
    )
    findings = forms.MultipleChoiceField(
        label=_("发现的问题"), required=False, widget=forms.CheckboxSelectMultiple
    )
    follow_up = forms.CharField(
        label=_("后续跟进"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs=_TEXT | {"rows": 2}),
    )
    photos = PhotosField(label=_("照片"), required=False)
    gps_consent = forms.BooleanField(
        label=_("记录大致位置(约 100 米,经走访对象同意)"), required=False
    )
    lat = forms.FloatField(required=False, widget=forms.HiddenInput, min_value=-90, max_value=90)
    lon = forms.FloatField(required=False, widget=forms.HiddenInput, min_value=-180, max_value=180)
    refusals = {"at": "note", "pioneer": "met"}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        findings = self.fields["findings"]
        assert isinstance(findings, forms.MultipleChoiceField)
        findings.choices = [
            (c.code, c.name) for c in Category.objects.filter(parent=None, active=True)
        ]


class CategoryField(forms.ModelChoiceField):
    """A category named as a person reads it ("市容环境 · 垃圾清运")."""

    def label_from_instance(self, obj: Any) -> str:
        return str(obj.full_label)


class VisitCaseForm(_Form):
    """A finding of a visit becomes a case: its category and what to write."""

    category = forms.ModelChoiceField(
        label=_("问题类别"), queryset=Category.objects.none(), widget=forms.Select(attrs=_SELECT)
    )
    text = forms.CharField(
        label=_("问题描述"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs=_TEXT | {"rows": 3}),
        help_text=_("留空则用走访记录的情况"),
    )
    refusals = {"text": "text", "address": "text", "channel": "category"}

    def __init__(self, *args: Any, visit: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        qs = Category.objects.filter(active=True).select_related("parent").order_by("code")
        self.fields["category"] = CategoryField(
            label=_("问题类别"), queryset=qs, widget=forms.Select(attrs=_SELECT)
        )
        if visit is not None and visit.findings and not self.is_bound:
            self.initial["category"] = qs.filter(code=visit.findings[0]).first()


class CycleForm(_Form):
    months = forms.TypedChoiceField(
        label=_("走访周期"),
        coerce=int,
        choices=[(m, _("每 %(n)s 个月走访一遍") % {"n": m}) for m in CYCLE_MONTHS],
        widget=forms.Select(attrs=_SELECT),
    )


class PlanGenerateForm(_Form):
    month = forms.DateField(label=_("月份"), input_formats=["%Y-%m", "%Y-%m-%d"])
    refusals = {"grid": "month"}

    def clean_month(self) -> date:
        month = self.cleaned_data["month"]
        message = calendar_error(month)
        if message:
            raise forms.ValidationError(message)
        return month


class PlanAssignForm(_Form):
    pioneer = forms.ModelChoiceField(
        label=_("改由"), queryset=Pioneer.objects.none(), widget=forms.Select(attrs=_SELECT)
    )

    def __init__(self, *args: Any, grid: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["pioneer"] = forms.ModelChoiceField(
            label=_("改由"),
            queryset=Pioneer.objects.filter(grid=grid, active=True).order_by("code"),
            widget=forms.Select(attrs=_SELECT),
        )


class CareRuleForm(_Form):
    tag = forms.ChoiceField(
        label=_("标签"), choices=ResidentTag.choices, widget=forms.Select(attrs=_SELECT)
    )
    every_days = forms.IntegerField(
        label=_("每隔几天探访一次"),
        min_value=0,
        max_value=90,
        widget=forms.NumberInput(attrs=_TEXT),
        help_text=_("0 表示不安排探访"),
    )


class CareRoundForm(_Form):
    key = forms.UUIDField(required=False, widget=forms.HiddenInput)
    outcome = forms.ChoiceField(
        label=_("结果"), choices=CareOutcome.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label=_("情况"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs=_TEXT | {"rows": 2}),
    )


def parse_month(text: str, default: date, name: str = "month") -> date:
    """The month `text` names (YYYY-MM), `default`'s when empty; anything else, or a year
    beyond the calendar's, is refused naming the parameter (core/params.py)."""
    return month_value(text, name) or default.replace(day=1)


def parse_day(text: str, default: date, name: str) -> date:
    """The date `text` names (YYYY-MM-DD), `default` when empty; refused as `parse_month`."""
    return day_value(text, name) or default
