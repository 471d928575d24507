"""`genxi care_warnings`: queue the morning's missed care-round warnings (run daily from
cron in the morning; the warnings are sent once each, so running it twice is harmless)."""

from django.core.management.base import BaseCommand

from genxi.fieldwork.tasks import warn_missed_care_rounds


class Command(BaseCommand):
    help = "Warn grid workers and community staff of missed care rounds (daily, mornings)."

    def handle(self, *args, **options):
        result = warn_missed_care_rounds.enqueue()
        self.stdout.write(f"queued {result.id}")
