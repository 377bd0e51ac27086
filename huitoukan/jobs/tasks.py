"""huey carries only a job's id; the row in the database says what to do (services.job_run)."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from huitoukan.jobs import services


@db_task()
def run_job(job_pk: str) -> None:
    services.job_run(job_pk)


@db_periodic_task(crontab())  # every minute
def requeue_stale_jobs() -> None:
    services.jobs_requeue_stale()
