import time
from typing import Any

from django.core.management.base import BaseCommand

from genxi.stations import tasks


class Command(BaseCommand):
    help = (
        "The stations' reminders: tomorrow's duty volunteers, shifts nobody took in the next "
        "48 hours (to the community), medicines about to expire (to those who tend the "
        "station). Each is sent once. Run it from cron hourly, or with --every SECONDS; "
        "--enqueue hands the work to the task worker (genxi worker) instead."
    )

    def add_arguments(self, parser):
        parser.add_argument("--every", type=int, default=0, help="repeat every N seconds")
        parser.add_argument("--enqueue", action="store_true", help="leave it to the worker")

    def handle(self, *args: Any, **options: Any) -> None:
        jobs = (tasks.duty_reminders, tasks.unstaffed_warnings, tasks.medicine_warnings)
        while True:
            for job in jobs:
                if options["enqueue"]:
                    job.enqueue()
                else:
                    self.stdout.write(f"{job.name}: {job.call()}")
            if not options["every"]:
                return
            time.sleep(options["every"])
