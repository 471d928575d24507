"""The demo's monthly report: 金阊街道's for the last complete month, as the background
worker would have made it on the first of this month (one PDF: about a second)."""

from __future__ import annotations

from django.utils import timezone

from genxi.regions.models import Region
from genxi.reports import services
from genxi.reports.models import MonthlyReport
from genxi.reports.selectors import last_complete_month

STREET = "金阊街道"


def load_reports() -> dict[str, int]:
    street = Region.objects.streets().filter(name=STREET).first()
    if street is None:
        return {}
    month = last_complete_month(timezone.localdate())
    if MonthlyReport.objects.filter(region=street, month=month).exists():
        return {}
    services.report_make(actor=None, region=street, month=month)
    return {"monthly_reports": 1}
