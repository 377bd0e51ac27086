"""红黄绿灯: the one rule that colours a deadline, for campaigns' deadlines and ledgers' items alike."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# Amber from this many days before the due date, the due date included.
AMBER_DAYS = 7


class Light(StrEnum):
    """红黄绿灯: red overdue, amber due within 7 days, green on track, grey closed."""

    RED = "red"
    AMBER = "amber"
    GREEN = "green"
    GREY = "grey"


LIGHT_LABELS = {
    Light.RED: _("已逾期"),
    Light.AMBER: _("临近截止"),
    Light.GREEN: _("正常推进"),
    Light.GREY: _("已办结"),
}


def light_for(*, due_on: dt.date | None, today: dt.date | None = None, closed: bool = False) -> Light:
    """Grey once closed; without a due date (立行立改, 长期坚持, 未定) green; else by the days left."""
    if closed:
        return Light.GREY
    if due_on is None:
        return Light.GREEN
    today = today or timezone.localdate()
    if due_on < today:
        return Light.RED
    if (due_on - today).days <= AMBER_DAYS:
        return Light.AMBER
    return Light.GREEN
