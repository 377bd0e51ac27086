"""A business object as it stood at the end of a past day, read from its history (django-simple-history): the
reading rule every "as of a day" page uses, written once.

An object as it stood when `day` ended (Asia/Shanghai) is its newest historical row written before then
(`history_date`, then `history_id`), unless that row records its deletion (`history_type` DELETED): an object
made later has no such row and is absent.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import F, Window
from django.db.models.functions import RowNumber
from django.utils import timezone
from django.utils.translation import gettext as _

DELETED = "-"  # simple_history's history_type of a deletion


def end_of(day: dt.date) -> dt.datetime:
    """The first moment after `day` ends, in the site's time zone (what was written before it counts)."""
    return timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min))


def newest(rows, *, key: str = "id"):
    """Of historical rows, each object's newest (partitioned by `key`): a queryset filtered on a window, which
    pages read whole; a roll-up groups it in SQL around `query.sql_with_params()` (the ORM would group inside
    the window)."""
    return (rows.annotate(newest=Window(RowNumber(), partition_by=[F(key)],
                                        order_by=[F("history_date").desc(), F("history_id").desc()]))
            .filter(newest=1))


def as_of(history, day: dt.date, *conditions, **filters):
    """The rows of `history` (a model's `.history` manager or a queryset of it) that match, each object's newest
    written before `day` ended; those with `history_type` DELETED are for the reader to leave out."""
    return newest(history.filter(*conditions, history_date__lt=end_of(day), **filters))


class DayError(ValueError):
    """A day asked for that is not a past or present day: the message says what was wrong, in Chinese."""


def day_parse(text: str | None, *, today: dt.date | None = None) -> dt.date:
    """The day of `?day=` / `?as_of=` (YYYY-MM-DD): required, a real date, not after today."""
    text = (text or "").strip()
    if not text:
        raise DayError(_("请选择要查看的日期。"))
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        raise DayError(_("日期“%(text)s”不正确，应为 2015-01-20 的格式。") % {"text": text[:20]}) from None
    today = today or timezone.localdate()
    if day > today:
        raise DayError(_("日期%(day)s晚于今天，只能查看今天及以前的状态。") % {"day": text})
    return day


def rows_as_of(history, day: dt.date, *conditions, **filters):
    """`as_of` as a plain queryset of the historical rows it picks, deletions left out: one the ORM may filter
    and group further (a filter on `as_of` itself would run before its window and pick older rows)."""
    picked = as_of(history, day, *conditions, **filters).values("history_id")
    return history.filter(history_id__in=picked).exclude(history_type=DELETED)
