"""Background work of the stations, run daily and hourly (`genxi station_duties` enqueues
or runs them): duty reminders the day before, warnings about unstaffed shifts within 48
hours, and medicines about to expire."""

from django_tasks import task

from . import services


@task()
def duty_reminders() -> int:
    return services.send_reminders()


@task()
def unstaffed_warnings() -> int:
    return services.warn_unstaffed()


@task()
def medicine_warnings() -> int:
    return services.warn_expiring()
