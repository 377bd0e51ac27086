from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from huitoukan.rollups.services import daily_figures_record


@db_periodic_task(crontab(hour="23", minute="55"))
def record_daily_figures() -> None:
    """The day's figures, just before it ends (the chart's point for that day)."""
    daily_figures_record()
