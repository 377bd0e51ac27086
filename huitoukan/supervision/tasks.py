from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from huitoukan.supervision.services import covert_releases_due


@db_periodic_task(crontab(hour="0", minute="20"))
def release_covert_visits() -> None:
    """The 暗访 whose 解密日期 came are released each night (their counts move, their findings get deadlines)."""
    covert_releases_due()
