"""The dashboard's filter: the period (from, to), how the trend is bucketed, a category."""

from __future__ import annotations

from datetime import date, timedelta

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from genxi.cases.models import Category
from genxi.core.panels import Period
from genxi.core.params import calendar_error

GRAINS = [("day", _("按日")), ("week", _("按周")), ("month", _("按月"))]
LONGEST = 3 * 366  # days a dashboard may cover


def default_period(today: date | None = None) -> Period:
    """The last 30 days, today included."""
    today = today or timezone.localdate()
    return Period(today - timedelta(days=29), today + timedelta(days=1), "day")


def presets(today: date | None = None) -> list[tuple[str, Period]]:
    """The periods a leader asks for most, as links."""
    today = today or timezone.localdate()
    first = today.replace(day=1)
    last_month_end = first - timedelta(days=1)
    return [
        (str(_("近30天")), default_period(today)),
        (str(_("本月")), Period(first, today + timedelta(days=1), "day")),
        (
            str(_("上月")),
            Period.month(last_month_end.year, last_month_end.month, "day"),
        ),
        (str(_("近90天")), Period(today - timedelta(days=89), today + timedelta(days=1), "week")),
        (str(_("今年")), Period(today.replace(month=1, day=1), today + timedelta(1), "month")),
    ]


class PeriodForm(forms.Form):
    start = forms.DateField(label=_("从"), required=False)
    end = forms.DateField(label=_("到"), required=False)
    grain = forms.ChoiceField(label=_("趋势"), choices=GRAINS, required=False)
    category = forms.ChoiceField(label=_("类别"), required=False)

    def __init__(self, data=None, **kwargs):
        if data is not None:  # the URL's names: ?from=…&to=…
            data = {
                "start": data.get("from", ""),
                "end": data.get("to", ""),
                "grain": data.get("grain", ""),
                "category": data.get("category", ""),
            }
        super().__init__(data, **kwargs)
        top = Category.objects.filter(parent=None).order_by("code")
        self.fields["category"].choices = [("", _("全部类别")), *((c.code, c.label) for c in top)]

    def _in_years(self, name: str) -> date | None:
        value = self.cleaned_data.get(name)
        message = calendar_error(value)
        if message:
            raise forms.ValidationError(message)
        return value

    def clean_start(self) -> date | None:
        return self._in_years("start")

    def clean_end(self) -> date | None:
        return self._in_years("end")

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and not end and "end" not in self.errors:
            # Up to today: `period` ends there, so the span is checked against it.
            end = max(start, default_period().end - timedelta(days=1))
            if (end - start).days >= LONGEST:
                self.add_error("start", _("一次最多查看三年。"))
        elif start and end:
            if end < start:
                self.add_error("end", _("结束日期不能早于开始日期。"))
            elif (end - start).days >= LONGEST:
                self.add_error("end", _("一次最多查看三年。"))
        return data

    def period(self) -> Period:
        """The period asked for; what was not given (or not valid) from the default."""
        default = default_period()
        if not self.is_bound or not self.is_valid():
            return default
        d = self.cleaned_data
        end = d["end"] + timedelta(days=1) if d.get("end") else default.end
        start = d.get("start") or end - timedelta(days=30)
        grain = d.get("grain") or ("month" if (end - start).days > 120 else "day")
        return Period(start, end, grain, d.get("category") or "")
