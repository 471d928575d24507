"""`genxi volunteering collect [--since YYYY-MM-DD]`: propose the hours of every finished
event's roster, served duty shift and resolved case not proposed yet (run daily; it is
idempotent)."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from genxi.volunteering import services


class Command(BaseCommand):
    help = "Volunteer hours: collect proposals from events, duty shifts and cases."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["collect"])
        parser.add_argument("--since", default="", help="only sources from this day on")

    def handle(self, *args, action: str, since: str, **options):
        try:
            day = date.fromisoformat(since) if since else None
        except ValueError as exc:
            raise CommandError(f"--since: {exc}") from exc
        added = services.collect(since=day)
        self.stdout.write(f"proposed {added}")
