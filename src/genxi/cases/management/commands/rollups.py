from typing import Any

from django.core.management.base import BaseCommand

from genxi.cases import rollups
from genxi.cases.models import CaseBinRollup, CaseDueRollup, CaseMonthRollup


class Command(BaseCommand):
    help = (
        "Daily and monthly roll-ups of cases, the open cases by deadline and the cases' map"
        " squares, for the dashboards: `rollups rebuild` recomputes them (`rebuild-months`:"
        " the month rows from the daily rows)."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["rebuild", "rebuild-months"])

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "rebuild-months":
            months = rollups.rebuild_months()
            self.stdout.write(f"rollups: {months} month rows")
            return
        written = rollups.rebuild()
        months = CaseMonthRollup.objects.count()
        due = CaseDueRollup.objects.count()
        squares = CaseBinRollup.objects.count()
        self.stdout.write(
            f"rollups: {written} rows, {months} month rows, {due} deadline rows,"
            f" {squares} map square rows"
        )
