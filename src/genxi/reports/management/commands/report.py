"""`genxi report monthly --region CODE --month YYYY-MM --out FILE.pdf [--xlsx FILE.xlsx]
[--keep]`: a place's monthly report to files (or kept, as the dashboard's button keeps it);
`genxi report due [--enqueue]`: the last month's report for every street that has none
(daily from genxi-daily.service; the worker makes them when `--enqueue`)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from genxi.regions.models import Level, Region
from genxi.reports import documents, selectors, services, tasks


def _month(text: str) -> date:
    try:
        year, month = (int(part) for part in text.split("-"))
        return date(year, month, 1)
    except ValueError as exc:
        raise CommandError(f"--month must be YYYY-MM, not {text!r}") from exc


class Command(BaseCommand):
    help = "Monthly reports: make one (monthly), or every street's for last month (due)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        monthly = sub.add_parser("monthly", help="a place's report for a month")
        monthly.add_argument("--region", required=True, help="a street's or community's code")
        monthly.add_argument("--month", required=True, help="YYYY-MM")
        monthly.add_argument("--out", help="the PDF (or, ending .xlsx, the workbook)")
        monthly.add_argument("--xlsx", help="the workbook")
        monthly.add_argument("--keep", action="store_true", help="keep it for download too")
        due = sub.add_parser("due", help="last month's report for every street without one")
        due.add_argument("--enqueue", action="store_true", help="in the background worker")

    def handle(self, *args, **options):
        if options["action"] == "due":
            if options["enqueue"]:
                tasks.make_due_reports.enqueue()
                self.stdout.write("enqueued")
                return
            made = services.reports_due(today=timezone.localdate())
            self.stdout.write(f"made {len(made)}")
            return
        region = Region.objects.filter(
            code=options["region"], level__in=[Level.STREET, Level.COMMUNITY]
        ).first()
        if region is None:
            raise CommandError(f"no street or community with code {options['region']!r}")
        month = _month(options["month"])
        out, xlsx = options["out"], options["xlsx"]
        if out and out.endswith(".xlsx"):
            out, xlsx = None, out
        if not (out or xlsx or options["keep"]):
            raise CommandError("say where: --out FILE.pdf, --xlsx FILE.xlsx or --keep")
        if options["keep"]:
            report = services.report_make(actor=None, region=region, month=month)
            self.stdout.write(f"kept {report}")
        data = selectors.report_data(selectors.SYSTEM, region, month)
        if out:
            Path(out).write_bytes(documents.make_pdf(data))
            self.stdout.write(f"wrote {out}")
        if xlsx:
            Path(xlsx).write_bytes(documents.make_xlsx(data))
            self.stdout.write(f"wrote {xlsx}")
