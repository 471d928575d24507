import time

from django.core.management.base import BaseCommand

from genxi.cases.services import notify_overdue


class Command(BaseCommand):
    help = (
        "Tell supervisors about cases past their resolution deadline. Run it from cron, or "
        "with --every SECONDS to keep running (make demo does)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--every", type=int, default=0, help="repeat every N seconds")

    def handle(self, *args, **options):
        while True:
            count = notify_overdue()
            if count or not options["every"]:
                self.stdout.write(f"{count} overdue cases notified")
            if not options["every"]:
                return
            time.sleep(options["every"])
