"""huey carries only a delivery's id; the row says what to send and whether it was sent (services)."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from huitoukan.notifications import services


@db_task()
def deliver(delivery_pk: int) -> None:
    services.delivery_send(delivery_pk)


@db_periodic_task(crontab())  # every minute
def retry_deliveries() -> None:
    services.deliveries_retry()
