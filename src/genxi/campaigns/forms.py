"""One form per action of the campaigns: a campaign (new or changed), ending it with a
summary, linking an event, a community's outputs, and the list's filters. A form checks
the input; the service checks who may and the rules."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from genxi.core.forms import ModelMultipleChoiceField

from .models import REACHED, Channel, Status, Topic

HANDOUT_ROWS = 5
MAX = 1_000_000
BOXES = forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"})


class _Form(forms.Form):
    status = 400

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for f in self.fields.values():
            widget = f.widget
            if isinstance(widget, forms.CheckboxInput | forms.CheckboxSelectMultiple):
                continue
            css = "form-select" if isinstance(widget, forms.Select) else "form-control"
            widget.attrs.setdefault("class", css)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class PlaceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.name


class CommunitiesField(ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.name


class CampaignForm(_Form):
    street = PlaceField(label=_("街道"), queryset=None)
    topic = forms.ChoiceField(label=_("主题"), choices=Topic.choices)
    title = forms.CharField(
        label=_("活动名称"),
        max_length=80,
        required=False,
        help_text=_("留空则以主题为名;主题为“其他”时必填"),
    )
    starts_on = forms.DateField(label=_("开始日期"), widget=DateInput())
    ends_on = forms.DateField(label=_("结束日期"), widget=DateInput())
    channels = forms.MultipleChoiceField(label=_("宣传渠道"), choices=Channel.choices, widget=BOXES)
    communities = CommunitiesField(label=_("参与社区"), queryset=None, widget=BOXES)
    description = forms.CharField(label=_("活动说明"), widget=forms.Textarea, required=False)

    def __init__(self, *args: Any, streets: Any, communities: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["street"].queryset = streets  # type: ignore[attr-defined]
        self.fields["communities"].queryset = communities  # type: ignore[attr-defined]
        self.fields["description"].widget.attrs["rows"] = 3

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if isinstance(starts, date) and isinstance(ends, date) and ends < starts:
            self.add_error("ends_on", _("结束日期不能早于开始日期。"))
        street, chosen = data.get("street"), data.get("communities")
        if street is not None and chosen and any(c.parent_id != street.pk for c in chosen):
            self.add_error("communities", _("参与社区须是本街道的社区。"))
        return data


class EndForm(_Form):
    summary = forms.CharField(label=_("活动总结"), widget=forms.Textarea(attrs={"rows": 3}))


class ConfirmForm(_Form):
    """A step with nothing to fill (start): the form carries the service's refusal."""


class EventField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.starts_at:%Y-%m-%d} · {obj.community.name} · {obj.title}"


class LinkForm(_Form):
    event = EventField(label=_("活动"), queryset=None)

    def __init__(self, *args: Any, events: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["event"].queryset = events  # type: ignore[attr-defined]


class RecordForm(_Form):
    """A community's outputs: consultations, people reached through each of the campaign's
    channels, up to five kinds of materials (kind, unit, count), notes."""

    consultations = forms.IntegerField(label=_("咨询人次"), min_value=0, max_value=MAX)
    notes = forms.CharField(label=_("备注"), widget=forms.Textarea, required=False)

    refusals = {"handouts": "h0_kind"}

    def __init__(self, *args: Any, channels: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        labels = dict(Channel.choices)
        self.channels = [c for c in Channel.values if c in channels]
        for c in self.channels:
            self.fields[REACHED[c]] = forms.IntegerField(
                label=_("%(channel)s覆盖人数") % {"channel": labels[c]},
                min_value=0,
                max_value=MAX,
                initial=0,
                widget=forms.NumberInput(attrs={"class": "form-control", "inputmode": "numeric"}),
            )
        for i in range(HANDOUT_ROWS):
            self.fields[f"h{i}_kind"] = forms.CharField(
                label=_("物资"),
                max_length=40,
                required=False,
                widget=forms.TextInput(attrs={"class": "form-control", "list": "handout-kinds"}),
            )
            self.fields[f"h{i}_unit"] = forms.CharField(
                label=_("单位"),
                max_length=8,
                required=False,
                widget=forms.TextInput(attrs={"class": "form-control"}),
            )
            self.fields[f"h{i}_count"] = forms.IntegerField(
                label=_("数量"),
                min_value=1,
                max_value=MAX,
                required=False,
                widget=forms.NumberInput(attrs={"class": "form-control", "inputmode": "numeric"}),
            )
        self.fields["notes"].widget.attrs["rows"] = 2

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        seen: set[str] = set()
        for i in range(HANDOUT_ROWS):
            kind = (data.get(f"h{i}_kind") or "").strip()
            count = data.get(f"h{i}_count")
            if kind and count is None and f"h{i}_count" not in self.errors:
                self.add_error(f"h{i}_count", _("请填写发放数量。"))
            if not kind and count is not None:
                self.add_error(f"h{i}_kind", _("请填写物资名称。"))
            if kind and kind in seen:
                self.add_error(f"h{i}_kind", _("同一物资请只填一行。"))
            seen.add(kind)
        return data

    def reached_fields(self) -> list[forms.BoundField]:
        return [self[REACHED[c]] for c in self.channels]

    def handout_rows(self) -> list[tuple[forms.BoundField, forms.BoundField, forms.BoundField]]:
        return [
            (self[f"h{i}_kind"], self[f"h{i}_unit"], self[f"h{i}_count"])
            for i in range(HANDOUT_ROWS)
        ]

    def reached(self) -> dict[str, int]:
        return {c: self.cleaned_data.get(REACHED[c]) or 0 for c in self.channels}

    def handouts(self) -> list[tuple[str, str, int]]:
        found = []
        for i in range(HANDOUT_ROWS):
            kind = (self.cleaned_data.get(f"h{i}_kind") or "").strip()
            if kind:
                found.append(
                    (
                        kind,
                        self.cleaned_data.get(f"h{i}_unit") or "",
                        self.cleaned_data[f"h{i}_count"],
                    )
                )
        return found


class FilterForm(forms.Form):
    """The list's filters (GET): topic, status, the days the period meets, a place."""

    topic = forms.ChoiceField(choices=[("", _("全部主题")), *Topic.choices], required=False)
    status = forms.ChoiceField(choices=[("", _("全部状态")), *Status.choices], required=False)
    since = forms.DateField(required=False, widget=DateInput())
    until = forms.DateField(required=False, widget=DateInput())
    place = forms.CharField(required=False, max_length=20)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        since, until = data.get("since"), data.get("until")
        if isinstance(since, date) and isinstance(until, date) and until < since:
            self.add_error("until", _("结束日期不能早于开始日期。"))
        return data
