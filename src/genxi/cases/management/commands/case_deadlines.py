import time
from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from genxi.cases.selectors import years_without_calendar
from genxi.cases.services import notify_overdue


class Command(BaseCommand):
    help = (
        "Tell supervisors about cases past their resolution deadline. Run it from cron, or "
        "with --every SECONDS to keep running (make demo does). Warns when this year (or, "
        "from November, the next) has no holidays recorded: `genxi holidays sync --year Y`."
    )

    def add_arguments(self, parser):
        parser.add_argument("--every", type=int, default=0, help="repeat every N seconds")

    def handle(self, *args: Any, **options: Any) -> None:
        warned: list[int] = []
        while True:
            missing = years_without_calendar(timezone.localdate())
            if missing and missing != warned:
                years = ", ".join(str(y) for y in missing)
                self.stderr.write(
                    self.style.WARNING(
                        f"No holidays recorded for {years}: deadlines there count weekends "
                        f"only (春节 and 国庆 are working days). Run `genxi holidays sync "
                        f"--year {missing[0]}`, or enter them in the admin (节假日)."
                    )
                )
            warned = missing
            count = notify_overdue()
            if count or not options["every"]:
                self.stdout.write(f"{count} overdue cases notified")
            if not options["every"]:
                return
            time.sleep(options["every"])
