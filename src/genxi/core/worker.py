"""The background worker's heartbeat and the recovery of tasks whose worker died.

django_tasks_db's worker claims a task by committing it RUNNING and only marks it when
the task returns: a worker killed mid-task (kill -9, the machine lost, out of memory)
leaves the row RUNNING for ever, and nothing in the package runs it again
(`prune_db_task_results` deletes finished rows only). `genxi worker` (the same worker with
a heartbeat) writes its `WorkerBeat` six times a lease and, on the same beat, puts back
in the queue each RUNNING task whose worker is gone:

- its last worker has a beat older than GENXI_WORKER_LEASE seconds (60: six missed beats);
- or its last worker never beat (a plain `genxi db_worker`) and it started more than
  GENXI_TASK_MAX_RUNTIME seconds ago (3600: a monthly batch takes minutes).

A task put back runs again from the start: every task must bear a second run (the
notification delivery sends once, `core.notifications.channels.deliver_now`; the others in
docs/background-queue.md). `genxi requeue_stale_tasks` does the same once, by hand.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
from datetime import timedelta

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from .models import WorkerBeat

log = logging.getLogger(__name__)


def lease() -> timedelta:
    return timedelta(seconds=settings.GENXI_WORKER_LEASE)


def beat_seconds() -> float:
    """Six beats to a lease: a worker is taken for dead after six missed beats."""
    return max(0.5, settings.GENXI_WORKER_LEASE / 6)


def max_runtime() -> timedelta:
    return timedelta(seconds=settings.GENXI_TASK_MAX_RUNTIME)


def beat(worker_id: str) -> None:
    """Say this worker is alive (one UPDATE, or the INSERT of its first beat)."""
    now = timezone.now()
    updated = WorkerBeat.objects.filter(worker_id=worker_id).update(beat_at=now)
    if not updated:
        WorkerBeat.objects.create(
            worker_id=worker_id,
            host=socket.gethostname()[:255],
            pid=os.getpid(),
            started_at=now,
            beat_at=now,
        )


def requeue_stale(*, now=None) -> list[str]:
    """Put back in the queue the RUNNING tasks whose worker is gone; answers their ids.
    Each row is locked (skip locked) and its state checked again, so two workers doing this
    at once put a task back once, and a task that finished meanwhile is left alone."""
    now = now or timezone.now()
    alive = set(
        WorkerBeat.objects.filter(beat_at__gte=now - lease()).values_list("worker_id", flat=True)
    )
    beating = set(WorkerBeat.objects.values_list("worker_id", flat=True))
    requeued: list[str] = []
    for row in DBTaskResult.objects.running().only("id", "worker_ids", "started_at"):
        last = row.worker_ids[-1] if row.worker_ids else ""
        if last in alive:
            continue
        bound = lease() if last in beating else max_runtime()
        if row.started_at is not None and row.started_at > now - bound:
            continue
        with transaction.atomic():
            locked = (
                DBTaskResult.objects.select_for_update(skip_locked=True)
                .filter(pk=row.pk, status=TaskResultStatus.RUNNING, started_at=row.started_at)
                .first()
            )
            if locked is None:
                continue
            locked.status = TaskResultStatus.READY
            locked.started_at = None
            locked.save(update_fields=["status", "started_at"])
        log.warning(
            "task %s (%s) was left running by worker %s since %s: put back in the queue",
            row.pk,
            locked.task_path,
            last or "?",
            row.started_at,
        )
        requeued.append(str(row.pk))
    # Beats of workers gone for a day say nothing more.
    WorkerBeat.objects.filter(beat_at__lt=now - max(timedelta(days=1), max_runtime())).delete()
    return requeued


class Heart(threading.Thread):
    """Beats for the worker in its own thread (its own database connection), and looks for
    tasks left by dead workers on each beat. A failed beat is logged, not fatal."""

    def __init__(self, worker_id: str) -> None:
        super().__init__(name="genxi-worker-heart", daemon=True)
        self.worker_id = worker_id
        self.stopped = threading.Event()

    def run(self) -> None:
        try:
            while not self.stopped.is_set():
                try:
                    beat(self.worker_id)
                    requeue_stale()
                except Exception:  # noqa: BLE001 - the next beat tries again
                    log.exception("worker %s: beat failed", self.worker_id)
                    connection.close()
                self.stopped.wait(beat_seconds())
        finally:
            connection.close()

    def stop(self) -> None:
        self.stopped.set()
        self.join(beat_seconds() + 5)
