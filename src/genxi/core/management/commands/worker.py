"""`genxi worker`: django_tasks_db's worker (`genxi db_worker`, the same options) with a
heartbeat, which also puts back in the queue the tasks of workers that died mid-task
(core/worker.py, docs/background-queue.md). Run this one in production."""

from django_tasks_db.management.commands.db_worker import Command as DbWorker

from genxi.core.models import WorkerBeat
from genxi.core.worker import Heart, beat, requeue_stale


class Command(DbWorker):
    help = "Run the background worker with a heartbeat; recover tasks of dead workers"

    def handle(self, *args, **options):
        worker_id = options["worker_id"]
        beat(worker_id)  # before the first claim: its tasks are never taken for orphans
        requeue_stale()
        heart = Heart(worker_id)
        heart.start()
        try:
            super().handle(*args, **options)
        finally:
            heart.stop()
            WorkerBeat.objects.filter(worker_id=worker_id).delete()
