"""The nightly run of 回头看复查 (imported by RechecksConfig.ready(), which registers it with huey)."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from huitoukan.rechecks.services import rechecks_plan, reminders_send


@db_periodic_task(crontab(hour="0", minute="40"))
def plan_and_remind() -> None:
    """Plan what the hook missed (idempotent), then remind the units of the rechecks coming due or overdue."""
    rechecks_plan()
    reminders_send()
