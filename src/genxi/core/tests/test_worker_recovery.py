"""A task left RUNNING by a worker that died is put back in the queue (core/worker.py);
a task of a live worker, or one that started within the bound, is left alone."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult, get_date_max

from genxi.core import worker
from genxi.core.models import WorkerBeat

pytestmark = pytest.mark.django_db


def running(worker_id, started):
    return DBTaskResult.objects.create(
        status=TaskResultStatus.RUNNING,
        args_kwargs={"args": [1], "kwargs": {}},
        task_path="genxi.core.notifications.tasks.deliver",
        backend_name="default",
        run_after=get_date_max(),
        started_at=started,
        worker_ids=[worker_id],
    )


def test_the_task_of_a_dead_worker_is_put_back_and_a_live_one_s_is_not():
    now = timezone.now()
    WorkerBeat.objects.create(worker_id="dead", beat_at=now - timedelta(seconds=61))
    WorkerBeat.objects.create(worker_id="alive", beat_at=now - timedelta(seconds=5))
    orphan = running("dead", now - timedelta(seconds=90))
    busy = running("alive", now - timedelta(hours=3))  # long, but its worker beats
    assert worker.requeue_stale(now=now) == [str(orphan.pk)]
    orphan.refresh_from_db()
    busy.refresh_from_db()
    assert orphan.status == TaskResultStatus.READY and orphan.started_at is None
    assert orphan.worker_ids == ["dead"]  # the history of its runs stays
    assert busy.status == TaskResultStatus.RUNNING
    assert worker.requeue_stale(now=now) == []  # once


def test_a_worker_without_beats_gets_the_longer_bound(settings):
    settings.GENXI_TASK_MAX_RUNTIME = 3600
    now = timezone.now()
    recent = running("plain-db-worker", now - timedelta(minutes=30))
    old = running("plain-db-worker", now - timedelta(minutes=61))
    assert worker.requeue_stale(now=now) == [str(old.pk)]
    recent.refresh_from_db()
    assert recent.status == TaskResultStatus.RUNNING


def test_the_command_and_the_beat(capsys):
    worker.beat("w1")
    first = WorkerBeat.objects.get(worker_id="w1").beat_at
    worker.beat("w1")
    assert WorkerBeat.objects.get(worker_id="w1").beat_at >= first
    orphan = running("gone", timezone.now() - timedelta(hours=2))
    call_command("requeue_stale_tasks")
    assert "1 task(s) put back" in capsys.readouterr().out
    orphan.refresh_from_db()
    assert orphan.status == TaskResultStatus.READY
