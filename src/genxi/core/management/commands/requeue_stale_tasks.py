"""`genxi requeue_stale_tasks`: put back in the queue, once, the tasks left RUNNING by
workers that died (what every `genxi worker` does on each beat; core/worker.py)."""

from django.core.management.base import BaseCommand

from genxi.core.worker import requeue_stale


class Command(BaseCommand):
    help = "Put back in the queue the tasks left running by dead workers"

    def handle(self, *args, **options):
        ids = requeue_stale()
        self.stdout.write(f"{len(ids)} task(s) put back in the queue")
        for pk in ids:
            self.stdout.write(f"  {pk}")
