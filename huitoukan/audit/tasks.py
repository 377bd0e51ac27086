"""Periodic anchoring of the security log's chain head outside the database."""

from django.conf import settings
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from huitoukan.audit.services import security_log_anchor


@db_periodic_task(crontab(minute="7"))
def anchor_security_log() -> None:
    security_log_anchor(settings.AUDIT_ANCHOR_FILE)
