"""报送情况 as it stood at the end of a past day, from the versions' history (reviews.past): the status of
2015-02-04 and of 2015-02-07 hold exactly what the present status said on those evenings, whatever came after."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import zoneinfo
from urllib.parse import unquote

import openpyxl
import pytest
import time_machine
from django.test import Client

from huitoukan.access.models import Role
from huitoukan.campaigns.models import Deadline
from huitoukan.reviews import exports, selectors, services
from huitoukan.reviews.models import PackageAction, PackageVersion, ReportState
from tests.conftest import built_once, user_create
from tests.reviews.conftest import build_loop

pytestmark = pytest.mark.django_db

A = PackageAction
SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
DAY1, DAY2, DAY3 = dt.date(2015, 2, 4), dt.date(2015, 2, 7), dt.date(2015, 2, 10)  # due 2015-02-05


def _at(day: dt.date, hour: int):
    return time_machine.travel(dt.datetime(day.year, day.month, day.day, hour, tzinfo=SHANGHAI), tick=False)


def _status(loop, within=None, **kwargs):
    deadline = Deadline.objects.select_related("campaign__owner_unit").get(pk=loop.deadline.pk)
    return selectors.reporting_status(user=loop.city_office, deadline=deadline, within=within or loop.tree.city,
                                      per_page=None, **kwargs)


def _submitted(*, office, head, deadline, unit):
    version = services.package_build(actor=office, deadline=deadline, unit=unit)
    services.package_act(actor=head, version=version, action=A.HEAD_APPROVE)
    return services.package_act(actor=office, version=version, action=A.SUBMIT)


def _cells(data: bytes) -> list[list]:
    sheet = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]
    return [[c.value for c in row] for row in sheet.iter_rows()]


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """涟源市 reports on time on 2015-02-04 and is returned on the 7th, when 娄星区 reports late; 涟源市 reports
    again and is approved on the 10th. The status recorded on the evenings of the 4th and the 7th."""
    with built_once(django_db_blocker, tmp_path_factory):
        loop = build_loop()
        louxing_head = user_create(Role.UNIT_HEAD, loop.tree.louxing)
        recorded, files = {}, {}
        with _at(DAY1, 10):
            first = _submitted(office=loop.office, head=loop.head, deadline=loop.deadline, unit=loop.tree.lianyuan)
        with _at(DAY1, 20):
            recorded[DAY1] = _status(loop)
            files[DAY1] = _cells(exports.status_xlsx(recorded[DAY1], user=loop.city_office))
        with _at(DAY2, 10):
            services.package_act(actor=loop.city_office, version=first, action=A.RETURN, reason="台账缺整改时限")
            _submitted(office=loop.outsider, head=louxing_head, deadline=loop.deadline, unit=loop.tree.louxing)
        with _at(DAY2, 20):
            recorded[DAY2] = _status(loop)
        with _at(DAY3, 10):
            second = _submitted(office=loop.office, head=loop.head, deadline=loop.deadline, unit=loop.tree.lianyuan)
            services.package_act(actor=loop.city_office, version=second, action=A.APPROVE)
        yield loop, recorded, files


def _same(past, recorded) -> bool:
    return dataclasses.replace(past, as_of=None) == recorded


def test_the_status_of_a_past_day_is_exactly_what_it_was_that_evening(world, db):
    loop, recorded, _files = world
    now = _status(loop)
    assert {r.unit.name: r.state for r in now.rows}["涟源市"] == ReportState.APPROVED
    for day in (DAY1, DAY2):
        past = _status(loop, as_of=day)
        assert past.as_of == day and past.today == day
        assert _same(past, recorded[day]), day
        assert not _same(now, recorded[day])
    # what the recorded ones said (so the equality above is about something)
    day1 = {r.unit.name: (r.state, r.on_time, r.versions) for r in recorded[DAY1].rows}
    assert day1 == {"涟源市": (ReportState.SUBMITTED, True, 1), "娄星区": (ReportState.NOT_SUBMITTED, None, 0),
                    "市教育局": (ReportState.NOT_SUBMITTED, None, 0)}
    day2 = {r.unit.name: (r.state, r.on_time, r.versions) for r in recorded[DAY2].rows}
    assert day2["涟源市"] == (ReportState.RETURNED, True, 1) and day2["娄星区"] == (ReportState.SUBMITTED, False, 1)
    assert (recorded[DAY2].total.returned, recorded[DAY2].total.late, recorded[DAY2].total.waiting) == (1, 1, 1)


def test_a_version_built_but_not_yet_submitted_leaves_the_standing_as_it_was(world, db):
    loop, _recorded, _files = world
    later = DAY3 + dt.timedelta(days=1)
    with _at(later, 10):
        first = next(r for r in _status(loop).rows if r.unit.name == "娄星区")
        services.package_act(actor=loop.city_office, version=PackageVersion.objects.get(pk=first.version_id),
                             action=A.RETURN, reason="缺少附件")
    with _at(later, 11):
        second = services.package_build(actor=loop.outsider, deadline=loop.deadline, unit=loop.tree.louxing)
    row = {r.unit.name: r for r in _status(loop, as_of=later).rows}["娄星区"]
    # returned, its second version built but still inside the unit: 已退回, two versions, the second current
    assert (row.state, row.versions, row.version_id, row.on_time) == (ReportState.RETURNED, 2, second.pk, False)


def test_a_day_before_anything_was_reported_shows_every_unit_not_submitted(world, db):
    loop, _recorded, _files = world
    past = _status(loop, as_of=DAY1 - dt.timedelta(days=1))
    assert past.total.expected == 3 and past.total.not_submitted == 3 and past.total.submitted == 0


def test_a_past_day_costs_the_queries_of_today_whatever_the_part_of_the_tree(world, db, django_assert_num_queries):
    loop, _recorded, _files = world
    _status(loop)  # the kept expected units worked out once
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as today:
        _status(loop)
    for within in (loop.tree.city, loop.tree.lianyuan):
        with django_assert_num_queries(len(today)):
            _status(loop, within=within, as_of=DAY2)


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_page_and_the_file_of_a_past_day(world, db):
    loop, _recorded, files = world
    client = _client(loop.city_office)
    base = f"/reviews/deadlines/{loop.deadline.pk}/"
    present = client.get(base).content.decode()
    assert 'name="as_of"' in present and "历史状态" in present
    page = client.get(f"{base}?as_of=2015-02-04")
    assert page.status_code == 200
    text = page.content.decode()
    assert "状态截至：2015年2月4日" in text and "as_of=2015-02-04" in text
    response = client.get(f"/reviews/deadlines/{loop.deadline.pk}/export/?unit={loop.tree.city.pk}&as_of=2015-02-04")
    assert response.status_code == 200 and "状态截至20150204.xlsx" in unquote(response["Content-Disposition"])
    cells = _cells(response.content)
    # every cell as recorded that evening but the header line, which says the day it shows
    assert cells[:1] + cells[2:] == files[DAY1][:1] + files[DAY1][2:]
    assert cells[1][0] == "范围：娄底市　　状态截至：2015年2月4日"


@pytest.mark.parametrize(("day", "message"), [("2015-13-01", "应为 2015-01-20 的格式"), ("", "请选择要查看的日期"),
                                              ("2999-01-01", "晚于今天")])
def test_a_bad_day_is_refused_with_a_message_naming_it(world, db, day, message):
    loop, _recorded, _files = world
    client = _client(loop.city_office)
    page = client.get(f"/reviews/deadlines/{loop.deadline.pk}/?as_of={day}")
    assert page.status_code == 400 and message in page.content.decode()
    export = client.get(f"/reviews/deadlines/{loop.deadline.pk}/export/?as_of={day}")
    assert export.status_code == 400 and message in export.content.decode()


def test_out_of_scope_is_404_before_the_day_is_read(world, db):
    loop, _recorded, _files = world
    client = _client(loop.outsider)
    for query in ("as_of=2015-02-04", "as_of=bad"):
        for path in ("", "export/"):
            url = f"/reviews/deadlines/{loop.deadline.pk}/{path}?unit={loop.tree.lianyuan.pk}&{query}"
            assert client.get(url).status_code == 404, url


MARKUP = "<svg/onload=alert()>"  # twenty characters: all of it is quoted back in the message


def test_a_day_typed_as_markup_is_quoted_back_as_text(world, db):
    loop, _recorded, _files = world
    client = _client(loop.city_office)
    page = client.get(f"/reviews/deadlines/{loop.deadline.pk}/", {"as_of": MARKUP})
    assert page.status_code == 400 and MARKUP not in page.content.decode()
    export = client.get(f"/reviews/deadlines/{loop.deadline.pk}/export/", {"as_of": MARKUP})
    # a download's refusal has no page: its message, quoting the input, is plain text a browser will not render
    assert export.status_code == 400 and export["Content-Type"].startswith("text/plain")
    assert MARKUP in export.content.decode()


def test_a_part_s_past_status_reads_the_history_of_its_own_part_only(world, db):
    """The derived table of a part holds the submissions of the units the deadline expects there, and no
    other's: a township's past status does not read the history of every unit of the province."""
    from huitoukan.core import sql
    from huitoukan.reviews import past

    loop, _recorded, _files = world

    def units_read(within):
        derived, params = past.submissions_as_of(loop.deadline, DAY2, within)
        return {unit_id for (unit_id,) in sql.fetch(f'SELECT t."unit_id" FROM {derived} t', params)}

    assert units_read(loop.tree.city) == {loop.tree.lianyuan.pk, loop.tree.louxing.pk}
    assert units_read(loop.tree.lianyuan) == {loop.tree.lianyuan.pk}
    assert units_read(loop.tree.louxing) == {loop.tree.louxing.pk}
