"""Background work of the monthly reports: each street's report for the last complete
month, made once (enqueued daily by `genxi report due --enqueue` from the daily timer)."""

from django.utils import timezone
from django_tasks import task

from . import services


@task()
def make_due_reports() -> int:
    return len(services.reports_due(today=timezone.localdate()))
