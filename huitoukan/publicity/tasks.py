from captcha.models import CaptchaStore
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from huitoukan.publicity.opinion_reminders import reminders_start
from huitoukan.publicity.throttle import throttle_purge


@db_periodic_task(crontab(hour="7", minute="20"))
def remind_opinions() -> None:
    """群众意见 answer deadlines once a day, before the offices start work: each step reminds once (its key)."""
    reminders_start()


@db_periodic_task(crontab(hour="3", minute="40"))
def purge_public_throttle() -> None:
    """Drop the public forms' counts of windows long past: the table holds only the last day's addresses."""
    throttle_purge()


@db_periodic_task(crontab(hour="3", minute="45"))
def purge_expired_captchas() -> None:
    """Every visit of a public form draws a captcha row: drop the expired ones (the package never does)."""
    CaptchaStore.remove_expired()
