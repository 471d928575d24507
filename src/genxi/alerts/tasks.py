"""Background work of the early warnings: the daily scan (enqueued by `genxi alerts scan
--enqueue` from cron, or run in process by `genxi alerts scan`)."""

from django_tasks import task

from . import services


@task()
def scan_daily() -> dict[str, int]:
    return services.scan().__dict__
