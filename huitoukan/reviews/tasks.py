from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from huitoukan.reviews.reminders import reminders_start


@db_periodic_task(crontab(hour="7,13", minute="30"))
def send_reminders() -> None:
    """催办 twice a day: each reminder goes once (its key), so the second run only catches what the first
    could not (a unit that fell behind since the morning, a worker that was down)."""
    reminders_start()
