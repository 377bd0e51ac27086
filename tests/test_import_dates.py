"""The one parser of whole dates in imported files (core.importing.full_date), for both imports."""

import datetime as dt

import pytest

from huitoukan.core.importing import BadDate, full_date

D = dt.date(2015, 3, 31)


@pytest.mark.parametrize("cell", [
    D, dt.datetime(2015, 3, 31, 0, 0), "2015年3月31日", "2015年3月31号", "2015年03月31日", "2015-03-31", "2015-3-31",
    "2015/3/31", "2015.3.31", "20150331", " 2015 年 3 月 31 日 ", "2015-03-31 00:00:00", "2015-03-31T00:00",
    "2015-03-31 00:00:00.000",
])
def test_every_form_either_import_took_is_read(cell):
    assert full_date(cell) == D


@pytest.mark.parametrize("cell", [None, "", "   ", "    年   月   日"])
def test_an_empty_cell_or_a_blank_template_date_is_no_date(cell):
    assert full_date(cell) is None


@pytest.mark.parametrize("cell, impossible", [("2015-02-30", True), ("2015年13月1日", True), ("3月底", False),
                                              ("明年", False), ("2015-03-31 12:30", False)])
def test_anything_else_is_refused_saying_whether_it_only_looks_like_a_date(cell, impossible):
    with pytest.raises(BadDate) as refused:
        full_date(cell)
    assert refused.value.impossible is impossible
