"""报送情况: who is expected, who reported on time or late, was returned or approved; kept expected units
that follow the tree; the same queries for a small and a larger part of the tree."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from huitoukan.campaigns.models import Deadline
from huitoukan.orgs import services as org_services
from huitoukan.orgs.models import UnitKind, UnitLevel
from huitoukan.reviews import selectors, services
from huitoukan.reviews.models import PackageAction, ReportState, Submission

A = PackageAction


def _status(loop, within=None, **kwargs):
    deadline = Deadline.objects.select_related("campaign__owner_unit").get(pk=loop.deadline.pk)
    return selectors.reporting_status(user=loop.city_office, deadline=deadline, within=within or loop.tree.city,
                                      **kwargs)


def _submit(loop):
    version = services.package_build(actor=loop.office, deadline=loop.deadline, unit=loop.tree.lianyuan)
    services.package_act(actor=loop.head, version=version, action=A.HEAD_APPROVE)
    return services.package_act(actor=loop.office, version=version, action=A.SUBMIT)


def test_the_status_lists_each_expected_unit_with_its_standing_and_counts_them(loop):
    # given 涟源市 reported (on time: the test runs after the due date of 2015, so the submission is made late)
    _submit(loop)
    # when the city reads the status of its deadline
    status = _status(loop)
    # then the three direct subordinates are expected; 涟源市 reported late, the others not yet
    assert [r.unit.name for r in status.rows] == ["涟源市", "娄星区", "市教育局"]
    by_name = {r.unit.name: r for r in status.rows}
    assert by_name["涟源市"].state == ReportState.SUBMITTED and by_name["涟源市"].on_time is False
    assert by_name["娄星区"].state == ReportState.NOT_SUBMITTED and by_name["娄星区"].on_time is None
    assert (status.total.expected, status.total.submitted, status.total.late, status.total.not_submitted) == (3, 1, 1, 2)
    assert {t.key: t.expected for t in status.by_level} == {UnitLevel.COUNTY: 2, UnitLevel.CITY: 1}
    assert {t.key: t.expected for t in status.by_kind} == {UnitKind.PARTY_COMMITTEE: 2, UnitKind.ORGAN: 1}
    assert {child.name: t.submitted for child, t in status.children} == {"涟源市": 1, "娄星区": 0, "市教育局": 0}
    # and the laggards alone, by state
    assert [r.unit.name for r in _status(loop, state=ReportState.NOT_SUBMITTED).rows] == ["娄星区", "市教育局"]


def test_a_submission_before_the_end_of_the_due_date_is_on_time(loop):
    _submit(loop)
    Submission.objects.filter(unit=loop.tree.lianyuan).update(
        first_submitted_at=timezone.make_aware(dt.datetime(2015, 2, 5, 23, 30)))
    assert next(r for r in _status(loop).rows if r.unit.pk == loop.tree.lianyuan.pk).on_time is True
    Submission.objects.filter(unit=loop.tree.lianyuan).update(
        first_submitted_at=timezone.make_aware(dt.datetime(2015, 2, 6, 0, 1)))
    assert next(r for r in _status(loop).rows if r.unit.pk == loop.tree.lianyuan.pk).on_time is False


def test_the_kept_expected_units_follow_the_tree(loop):
    assert _status(loop).total.expected == 3
    # when a new county is set up (established before the due date), the kept units are worked out again
    org_services.unit_create(actor=None, parent=loop.tree.city, name="新化县", level=UnitLevel.COUNTY,
                             kind=UnitKind.PARTY_COMMITTEE, established_on=dt.date(2013, 1, 1))
    assert _status(loop).total.expected == 4


def test_a_county_sees_its_own_part(loop):
    status = _status(loop, within=loop.tree.lianyuan)
    assert [r.unit.name for r in status.rows] == ["涟源市"]


def test_the_status_costs_the_same_queries_for_a_small_and_a_larger_tree(loop):
    _status(loop)  # the kept expected units worked out once
    with CaptureQueriesContext(connection) as small:
        _status(loop)
    # given thirty more counties, a third of them reporting
    for n in range(30):
        unit = org_services.unit_create(actor=None, parent=loop.tree.city, name=f"合成县{n}", level=UnitLevel.COUNTY,
                                        kind=UnitKind.PARTY_COMMITTEE, established_on=dt.date(2013, 1, 1))
        if n % 3 == 0:
            Submission.objects.create(deadline=loop.deadline, unit=unit, state=ReportState.APPROVED,
                                      first_submitted_at=timezone.now(), versions_count=1)
    _status(loop)
    with CaptureQueriesContext(connection) as large:
        status = _status(loop)
    assert status.total.expected == 33 and status.total.approved == 10
    assert len(large) == len(small)
