from __future__ import annotations

from datetime import date

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

FIRST = date(2000, 1, 1)


def parse_month(text: str) -> date | None:
    """ "2026-11" → 1 November 2026; anything else None."""
    try:
        year, month = (int(part) for part in text.split("-"))
        return date(year, month, 1)
    except ValueError:
        return None


class MonthForm(forms.Form):
    """The month of a report to make: a whole month up to the current one."""

    month = forms.CharField(label=_("月份"), max_length=7)
    status = 400  # what the page answers when the form is sent back (core.forms.submit)

    def clean_month(self) -> date:
        month = parse_month(self.cleaned_data["month"])
        if month is None:
            raise forms.ValidationError(_("请按“年-月”填写月份,例如 2026-11。"))
        if month < FIRST or month > timezone.localdate().replace(day=1):
            raise forms.ValidationError(_("只能生成已开始的月份的报告。"))
        return month
