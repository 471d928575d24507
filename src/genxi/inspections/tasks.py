"""Background work of inspections: escalating the notices whose deadline has come."""

from django_tasks import task

from . import services


@task()
def escalate_due_notices() -> int:
    return len(services.escalate_due())
