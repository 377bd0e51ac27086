"""A ledger as it stood at the end of a past day, from the history already kept (ledgers.past): the page and the
files of 2015-01-20 hold exactly what a test recorded that day, whatever was written after."""

from __future__ import annotations

import datetime as dt
import io
import zoneinfo

import docx
import openpyxl
import pytest
import time_machine
from django.test import Client

from huitoukan.ledgers import exports, past, services
from huitoukan.ledgers.models import Item, ProgressEntry
from tests.ledgers.conftest import lw_build

pytestmark = pytest.mark.django_db

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
DAY = dt.date(2015, 1, 20)


def _at(day: dt.date, hour: int):
    return time_machine.travel(dt.datetime(day.year, day.month, day.day, hour, tzinfo=SHANGHAI), tick=False)


def _cells(data: bytes) -> list[list]:
    sheet = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]
    return [[c.value for c in row] for row in sheet.iter_rows()]


@pytest.fixture
def recorded(tree, make_user, settings, tmp_path):
    """涟源市's ledger written on 2015-01-20, recorded that evening, then changed over the next days."""
    settings.MEDIA_ROOT = tmp_path / "media"
    lw = lw_build(tree, make_user)  # logins made today: a password set in 2015 would be long expired
    with _at(DAY, 9):
        first = services.item_create(actor=lw.office, ledger=lw.ledger, problem="办事窗口服务态度生硬",
                                     measures="开展作风整顿", lead_leaders=[lw.leader_person],
                                     responsible_units=[tree.qiaotouhe], deadline_mode="date",
                                     due_on=dt.date(2015, 2, 10))
        second = services.item_create(actor=lw.office, ledger=lw.ledger, problem="会议文件多而长",
                                      lead_leaders=[lw.other_leader])
    with _at(DAY, 15):
        services.progress_add(actor=lw.leader, item=first, progress="已约谈窗口负责人", next_steps="每月回访",
                              reported_on=DAY)
    with _at(DAY, 20):
        rows = list(exports.ledger_rows(ledgers=[lw.ledger]))[0][1]
        xlsx = _cells(exports.ledger_file(user_or_none=None, ledger=lw.ledger, fmt="xlsx", today=DAY).data)
    with _at(DAY + dt.timedelta(days=1), 10):  # the next day: edits, a back-dated report, a new item
        services.item_update(actor=lw.office, item=Item.objects.get(pk=first.pk), problem="窗口服务态度生硬（已改）",
                             lead_leaders=[lw.other_leader])
        services.progress_add(actor=lw.other, item=Item.objects.get(pk=second.pk), progress="精简会议三成",
                              reported_on=DAY - dt.timedelta(days=1))
        services.progress_add(actor=lw.other, item=Item.objects.get(pk=first.pk), progress="第二次回访",
                              reported_on=DAY + dt.timedelta(days=1))
        services.item_create(actor=lw.office, ledger=lw.ledger, problem="公车私用")
    return lw, rows, xlsx


def test_the_ledger_of_a_past_day_is_exactly_what_was_recorded_that_day(recorded):
    lw, rows_that_day, xlsx_that_day = recorded
    # the ledger has moved on since
    now = list(exports.ledger_rows(ledgers=[lw.ledger]))[0][1]
    assert now != rows_that_day and len(now) == 3
    # as it stood at the end of 2015-01-20: the very rows recorded that evening
    (_ledger, then), = exports.ledger_rows(ledgers=[lw.ledger], as_of=DAY)
    assert then == rows_that_day
    assert [(r.problem, r.lead_leaders, r.responsible_units, r.progress) for r in then] == [
        ("办事窗口服务态度生硬", "吴海波", "桥头河镇", "已约谈窗口负责人"), ("会议文件多而长", "罗建华", "", "")]
    # and its file: every cell as recorded, but the header says the day it shows
    xlsx = _cells(exports.ledger_file(user_or_none=None, ledger=lw.ledger, fmt="xlsx", as_of=DAY,
                                      today=DAY + dt.timedelta(days=5)).data)
    header = exports.HEADER_ROW  # the row of 单位 and 填报时间 (XlsxWriter counts rows from 0, as this list does)
    assert xlsx[:header] + xlsx[header + 1:] == xlsx_that_day[:header] + xlsx_that_day[header + 1:]
    assert xlsx[header][0] == xlsx_that_day[header][0] + f"{exports.HEADER_GAP}状态截至：2015年1月20日"


def test_a_day_before_anything_was_written_shows_an_empty_ledger(recorded):
    lw, _rows, _xlsx = recorded
    (_ledger, rows), = exports.ledger_rows(ledgers=[lw.ledger], as_of=DAY - dt.timedelta(days=1))
    assert rows == []


def test_a_report_entered_later_with_an_earlier_date_is_not_in_the_ledger_of_that_day(recorded):
    lw, _rows, _xlsx = recorded
    late = ProgressEntry.objects.get(progress="精简会议三成")
    assert late.reported_on < DAY < late.created_at.astimezone(SHANGHAI).date()
    (_ledger, rows), = exports.ledger_rows(ledgers=[lw.ledger], as_of=DAY)
    assert all(row.progress != "精简会议三成" for row in rows)
    (_ledger, rows), = exports.ledger_rows(ledgers=[lw.ledger], as_of=DAY + dt.timedelta(days=1))
    assert {row.problem: row.progress for row in rows}["会议文件多而长"] == "精简会议三成"


def test_the_page_and_the_word_file_of_a_past_day(recorded):
    lw, _rows, _xlsx = recorded
    client = Client()
    client.force_login(lw.head)
    page = client.get(f"/ledgers/{lw.ledger.pk}/as-of/?day=2015-01-20")
    assert page.status_code == 200
    text = page.content.decode()
    assert "2015年1月20日结束时的台账" in text and "办事窗口服务态度生硬" in text and "已约谈窗口负责人" in text
    assert "窗口服务态度生硬（已改）" not in text and "公车私用" not in text and "第二次回访" not in text
    assert "as_of=2015-01-20" in text
    response = client.get(f"/ledgers/{lw.ledger.pk}/export/?format=docx&as_of=2015-01-20")
    assert response.status_code == 200 and "2015-01-20" in response["Content-Disposition"]
    paragraphs = "\n".join(p.text for p in docx.Document(io.BytesIO(response.content)).paragraphs)
    assert "状态截至：2015年1月20日" in paragraphs


@pytest.mark.parametrize(("day", "message"), [("2015-13-01", "应为 2015-01-20 的格式"), ("", "请选择要查看的日期"),
                                              ("2999-01-01", "晚于今天")])
def test_a_bad_day_is_refused_with_a_message_naming_it(recorded, day, message):
    lw, _rows, _xlsx = recorded
    client = Client()
    client.force_login(lw.head)
    page = client.get(f"/ledgers/{lw.ledger.pk}/as-of/?day={day}")
    assert page.status_code == 400 and message in page.content.decode()
    export = client.get(f"/ledgers/{lw.ledger.pk}/export/?format=xlsx&as_of={day}")
    assert export.status_code == 400 and message in export.content.decode()
    with pytest.raises(past.DayError, match=message):
        past.day_parse(day)


MARKUP = "<svg/onload=alert()>"  # twenty characters: all of it is quoted back in the message


def test_a_day_typed_as_markup_is_quoted_back_as_text(recorded):
    lw, _rows, _xlsx = recorded
    client = Client()
    client.force_login(lw.head)
    page = client.get(f"/ledgers/{lw.ledger.pk}/as-of/", {"day": MARKUP})
    assert page.status_code == 400 and MARKUP not in page.content.decode()
    export = client.get(f"/ledgers/{lw.ledger.pk}/export/", {"format": "xlsx", "as_of": MARKUP})
    # a download's refusal has no page: its message, quoting the input, is plain text a browser will not render
    assert export.status_code == 400 and export["Content-Type"].startswith("text/plain")
    assert MARKUP in export.content.decode()
