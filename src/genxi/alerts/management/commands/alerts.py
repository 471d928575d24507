"""genxi alerts scan [--date YYYY-MM-DD] [--enqueue]: the early-warning scan."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from genxi.alerts import services, tasks


class Command(BaseCommand):
    help = "Run the early-warning scan now (or hand it to the background worker with --enqueue)."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["scan"])
        parser.add_argument(
            "--date", default="", help="scan as of this day (YYYY-MM-DD); default today"
        )
        parser.add_argument(
            "--enqueue", action="store_true", help="let the background worker run it"
        )

    def handle(self, *args, action, date: str, enqueue: bool, **options):
        if enqueue:
            tasks.scan_daily.enqueue()
            self.stdout.write("enqueued")
            return
        try:
            today = _parse(date)
        except ValueError as exc:
            raise CommandError(f"--date: {exc}") from exc
        result = services.scan(today=today)
        self.stdout.write(
            f"cases {result.cases}: {result.new} new, {result.updated} updated, "
            f"{result.skipped} skipped; focus proposed for {result.focus} streets"
        )


def _parse(value: str) -> date | None:
    return date.fromisoformat(value) if value else None
