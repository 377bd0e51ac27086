"""The colour stage of a notice (the 宿迁/三明 practice): 蓝 until overdue, 黄 then 红 by days overdue."""

from __future__ import annotations

import datetime as dt

from huitoukan.notices.models import COLOUR_RANK, Colour


def colour_of(*, due_on: dt.date, today: dt.date, yellow_after_days: int, red_after_days: int) -> Colour:
    """蓝 while not overdue by `yellow_after_days`; 黄 once overdue by that many days; 红 once overdue by
    `red_after_days` (days overdue = today − due date; the due date itself is not overdue)."""
    overdue = (today - due_on).days
    if overdue >= red_after_days:
        return Colour.RED
    if overdue >= yellow_after_days:
        return Colour.YELLOW
    return Colour.BLUE


def higher(a: str, b: str) -> str:
    """The more serious of two colours."""
    return a if COLOUR_RANK[Colour(a)] >= COLOUR_RANK[Colour(b)] else b
