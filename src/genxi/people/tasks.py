"""Background work for people: large Excel imports."""

from django_tasks import task


@task()
def run_import(job_id: int) -> None:
    from .services import import_job_run

    import_job_run(job_id=job_id)
