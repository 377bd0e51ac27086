"""The daily refresh of the kept 过关 verdicts (imported by AccountabilityConfig.ready(), which registers it with
huey): the overdue rule changes with the date alone, and units made since the last refresh get a verdict."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from huitoukan.accountability.passing_services import verdicts_refresh_all


@db_periodic_task(crontab(hour="0", minute="20"))
def refresh_verdicts() -> None:
    """Just after midnight: an item due yesterday and still open is overdue from today."""
    verdicts_refresh_all()
