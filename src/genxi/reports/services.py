"""The monthly reports' writes: make (or make again) a place's report for a month, and make
the last month's for every street that has none yet (the background worker, monthly)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from genxi.core import audit
from genxi.core.replica import reading_replica
from genxi.regions.models import Region

from . import documents, selectors
from .models import MonthlyReport


def report_make(*, actor: Any, region: Region, month: date) -> MonthlyReport:
    """Make the place's report for `month` (its first day) and keep it; a report already
    kept is replaced (its files too), and the audit says so. `actor` None: the system (the
    figures are then read with the system's view of every place)."""
    month = month.replace(day=1)
    viewer = actor if actor is not None else selectors.SYSTEM
    with reading_replica():  # the figures, read before the lock (seconds), may lag
        data = selectors.report_data(viewer, region, month)
    made_at = timezone.now()
    pdf = documents.make_pdf(data, made_at=made_at)
    xlsx = documents.make_xlsx(data)
    old_files: list[str] = []
    with transaction.atomic():
        Region.objects.select_for_update().get(pk=region.pk)  # one maker per place at a time
        report = MonthlyReport.objects.filter(region=region, month=month).first()
        verb = "monthly_report.remake" if report is not None else "monthly_report.make"
        if report is None:
            report = MonthlyReport(region=region, month=month)
        else:
            old_files = [name for name in (report.pdf.name, report.xlsx.name) if name]
        before = {"made_at": report.made_at, "received": report.received} if old_files else None
        report.made_at = made_at
        report.made_by = actor if getattr(actor, "pk", None) else None
        report.received = data.figures["counts"]["received"]
        stem = f"{region.code}-{month:%Y-%m}"
        report.pdf.save(f"{stem}.pdf", ContentFile(pdf), save=False)
        report.xlsx.save(f"{stem}.xlsx", ContentFile(xlsx), save=False)
        report.save()
        audit.record(
            actor=actor,
            verb=verb,
            target=report,
            before=before,
            after={"month": f"{month:%Y-%m}", "received": report.received, "made_at": made_at},
        )
        storage = report.pdf.storage
        keep = {report.pdf.name, report.xlsx.name}

        def remove_old() -> None:  # the replaced files, once the new ones are committed
            for name in old_files:
                if name not in keep:
                    storage.delete(name)

        transaction.on_commit(remove_old)
    return report


def reports_due(*, today: date) -> list[MonthlyReport]:
    """The last complete month's report for every street that has none yet (idempotent:
    run it daily or monthly, it makes each street's report once)."""
    month = selectors.last_complete_month(today)
    done = set(
        MonthlyReport.objects.filter(month=month, region__level="street").values_list(
            "region_id", flat=True
        )
    )
    return [
        report_make(actor=None, region=street, month=month)
        for street in Region.objects.streets().order_by("code")
        if street.pk not in done
    ]
