"""The nightly 形式主义预警 scan (imported by FormalismConfig.ready(), which registers it with huey)."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from huitoukan.formalism.services import formalism_scan_all


@db_periodic_task(crontab(hour="1", minute="10"))
def scan_formalism() -> None:
    """After the midnight tasks (00:20): every campaign's checks, their flags refreshed by their stable keys."""
    formalism_scan_all()
