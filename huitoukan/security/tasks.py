"""Periodic jobs of the security policy, run by the huey consumer `huitoukan serve` starts."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from huitoukan.security.services import stale_accounts_disable


@db_periodic_task(crontab(hour="2", minute="23"))
def disable_stale_accounts() -> None:
    stale_accounts_disable()
