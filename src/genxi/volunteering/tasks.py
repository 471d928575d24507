"""Background work of volunteer hours: the daily collection of proposals."""

from django_tasks import task

from . import services


@task()
def collect_hours() -> int:
    return services.collect()
