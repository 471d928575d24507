"""Background work for people: large Excel imports."""

from django_tasks import task

from .import_engine import import_job_run


@task()
def run_import(job_id: int) -> None:
    import_job_run(job_id=job_id)
