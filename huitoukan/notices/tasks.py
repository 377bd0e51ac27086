from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from huitoukan.notices.escalation import escalation_start


@db_periodic_task(crontab(hour="7", minute="10"))
def escalate_notices() -> None:
    """督办通知单 colour stages once a day, before the offices start work: each stage notifies once (its key)."""
    escalation_start()
