"""Background work of cases: retraining the category suggestions (never on a request)."""

from django_tasks import task

from . import suggestions


@task()
def retrain_suggestions(force: bool = False) -> None:
    suggestions.retrain(force=force)
