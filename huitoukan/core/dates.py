"""Dates as the official attachments and the pages write them."""

from __future__ import annotations

import datetime as dt


def chinese_date(day: dt.date) -> str:
    """2015年1月6日, as the attachments write dates."""
    return f"{day.year}年{day.month}月{day.day}日"
