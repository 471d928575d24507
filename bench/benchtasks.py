"""The baseline task of bench/task_queue.py: does nothing, so what it measures is the
queue itself (enqueue, claim, mark) without the work."""

from django_tasks import task


@task()
def noop(n: int) -> int:
    return n
