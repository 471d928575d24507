"""Background work of field work: the morning's missed care-round warnings."""

from django.utils import timezone
from django_tasks import task

from . import services


@task()
def warn_missed_care_rounds() -> int:
    """Run each morning (`genxi care_warnings` from cron, 07:00): warns the grid's workers
    of the rounds missed yesterday, the community's staff of those missed the day before."""
    return services.care_warn_missed(today=timezone.localdate())
