"""`genxi sms_flush`: enqueue the SMS outbox's pending texts again (after a restart, or with
a task backend that cannot defer) and say how many are stuck `sending` (docs/sms.md)."""

from django.core.management.base import BaseCommand

from genxi.core.models import OutboundText, TextStatus
from genxi.core.sms import flush


class Command(BaseCommand):
    help = "Enqueue the pending text messages again; count those left sending by a crash."

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=1000)

    def handle(self, *args, limit: int, **options):
        queued = flush(limit=limit)
        stuck = OutboundText.objects.filter(status=TextStatus.SENDING).count()
        self.stdout.write(f"queued {queued}; sending (not retried, check them): {stuck}")
