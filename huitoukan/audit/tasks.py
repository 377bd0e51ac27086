"""Anchoring the security log's chain head outside the database, by the running system itself.

`huitoukan serve` starts the huey consumer beside gunicorn; the consumer anchors once as it starts
and then every minute the head has moved. Deleting the newest rows and rewinding the head is then
caught by every verification, unless done within the minute since the last anchor.
"""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, on_startup

from huitoukan.audit.services import security_log_anchor, security_log_anchor_if_moved


@db_periodic_task(crontab())  # every minute
def anchor_security_log() -> None:
    security_log_anchor_if_moved()


@on_startup()
def anchor_security_log_at_start() -> None:
    """One anchor as the consumer starts, even of an unchanged head: the file shows the system ran.

    The worker's connection opened here is checked before each task by db_periodic_task and db_task.
    """
    security_log_anchor()
