"""督查督办's rules: who orders, records, answers and closes; findings into ledgers; evidence checks."""

from __future__ import annotations

import datetime as dt

import pytest

from huitoukan.access import policy
from huitoukan.ledgers.models import Item, ItemEvent, ItemEventKind, ItemStatus, Source
from huitoukan.orgs import totals as unit_totals
from huitoukan.supervision import selectors, services
from huitoukan.supervision.errors import SupervisionError
from huitoukan.supervision.evidence import evidence_path
from huitoukan.supervision.models import (
    FindingState,
    InspectionEvidence,
    InspectionKind,
    InspectionState,
    LinkKind,
    Method,
    Severity,
)
from tests.supervision.conftest import MP4, PDF, upload

START = dt.date(2015, 3, 2)


def _inspection(w, *, actor=None, kind=InspectionKind.OPEN, team=None, units=None):
    return services.inspection_create(
        actor=actor or w.city_office, kind=kind, title="市委第二督导组督查涟源市", ordering_unit=w.tree.city,
        group=w.group, team=[w.supervisor] if team is None else team, units=units or [w.tree.lianyuan],
        starts_on=START, methods=[Method.BRIEFING, Method.SITE])


def _finding(w, inspection=None, **kwargs):
    inspection = inspection or _inspection(w)
    return services.finding_record(actor=w.supervisor, inspection=inspection, unit=w.tree.lianyuan,
                                   description="会议仍然偏多", severity=Severity.SERIOUS, **kwargs)


# --- ordering ---------------------------------------------------------------------------------------------


def test_the_office_orders_an_inspection_of_units_in_its_tree(w):
    # when 娄底市's office orders an inspection of 涟源市
    inspection = _inspection(w)
    # then it is planned, with its team, units, methods and a history row naming the office
    assert inspection.state == InspectionState.PLANNED
    assert list(inspection.units.all()) == [w.tree.lianyuan]
    assert list(inspection.team.all()) == [w.supervisor]
    assert inspection.method_labels == ["听汇报", "看现场"]
    assert inspection.history.first().history_user == w.city_office


def test_an_office_cannot_order_an_inspection_above_or_beside_it(w):
    # 涟源市's office reads 娄底市 nowhere: 404 for ordering at the city
    with pytest.raises(policy.Denied):
        _inspection(w, actor=w.office)
    # 娄星区's office cannot order one at 涟源市 either
    with pytest.raises(policy.Denied):
        services.inspection_create(actor=w.outsider, kind=InspectionKind.OPEN, title="x",
                                   ordering_unit=w.tree.lianyuan, units=[w.tree.lianyuan], starts_on=START)


def test_a_reader_without_the_right_to_order_gets_403(w):
    with pytest.raises(policy.Forbidden):
        services.inspection_create(actor=w.head, kind=InspectionKind.OPEN, title="x", ordering_unit=w.tree.lianyuan,
                                   units=[w.tree.lianyuan], starts_on=START)


def test_inspected_units_lie_under_the_ordering_unit(w):
    with pytest.raises(SupervisionError, match="不在组织单位"):
        services.inspection_create(actor=w.office, kind=InspectionKind.OPEN, title="x", ordering_unit=w.tree.lianyuan,
                                   units=[w.tree.louxing], starts_on=START)


def test_team_members_must_read_the_inspected_units(w):
    # the group member reads 涟源市 only, not 娄星区
    with pytest.raises(SupervisionError, match="无权查看"):
        _inspection(w, units=[w.tree.louxing])


def test_unknown_method_is_refused(w):
    with pytest.raises(SupervisionError, match="督查方法"):
        services.inspection_create(actor=w.office, kind=InspectionKind.OPEN, title="x", ordering_unit=w.tree.lianyuan,
                                   units=[w.tree.lianyuan], starts_on=START, methods=["喝茶"])


def test_only_the_ordering_office_edits_and_not_once_done(w):
    inspection = _inspection(w)
    with pytest.raises(policy.Forbidden):
        services.inspection_update(actor=w.supervisor, inspection=inspection, kind=inspection.kind, title="新名称",
                                   units=[w.tree.lianyuan], starts_on=START)
    services.inspection_update(actor=w.city_office, inspection=inspection, kind=inspection.kind, title="新名称",
                               units=[w.tree.lianyuan], starts_on=START, team=[w.supervisor],
                               state=InspectionState.ONGOING)
    services.inspection_complete(actor=w.supervisor, inspection=inspection, record="听取汇报，查阅台账")
    inspection.refresh_from_db()
    assert (inspection.state, inspection.completed_by, inspection.record) == (
        InspectionState.DONE, w.supervisor, "听取汇报，查阅台账")
    with pytest.raises(SupervisionError, match="已完成"):
        services.inspection_update(actor=w.city_office, inspection=inspection, kind=inspection.kind, title="再改",
                                   units=[w.tree.lianyuan], starts_on=START)


# --- reading ----------------------------------------------------------------------------------------------


def test_a_covert_visit_is_read_by_its_team_and_the_ordering_office_only(w):
    covert = _inspection(w, kind=InspectionKind.COVERT)
    for user in (w.city_office, w.supervisor):
        assert selectors.inspection_get_for(user=user, pk=covert.pk) == covert
        assert covert in selectors.inspections_for(user=user)
    # the inspected unit's office and head, and another member of the group, never see it
    for user in (w.office, w.head, w.other_supervisor):
        with pytest.raises(Exception) as refused:
            selectors.inspection_get_for(user=user, pk=covert.pk)
        assert refused.type.__name__ == "Http404"
        assert covert not in selectors.inspections_for(user=user)


def test_an_open_inspection_is_read_by_the_inspected_units_readers(w):
    inspection = _inspection(w)
    assert inspection in selectors.inspections_for(user=w.head)
    assert inspection not in selectors.inspections_for(user=w.outsider)


# --- evidence ---------------------------------------------------------------------------------------------


def test_evidence_is_stored_by_digest_with_its_kind(w):
    inspection = _inspection(w)
    rows = services.evidence_attach(actor=w.supervisor, inspection=inspection,
                                    files=[upload(), upload("录像.mp4", MP4), upload("汇报.pdf", PDF)])
    assert [r.kind for r in rows] == ["photo", "video", "document"]
    assert all(evidence_path(r.sha256).is_file() for r in rows)
    assert rows[0].uploaded_by == w.supervisor


@pytest.mark.parametrize("name, body", [("病毒.exe", b"MZ\x90\0"), ("假照片.jpg", b"MZ\x90\0 not a jpeg"),
                                        ("空.pdf", b"")])
def test_evidence_of_a_wrong_type_or_empty_is_refused_and_nothing_kept(w, name, body):
    inspection = _inspection(w)
    with pytest.raises(SupervisionError):
        services.evidence_attach(actor=w.supervisor, inspection=inspection, files=[upload(), upload(name, body)])
    assert not InspectionEvidence.objects.filter(inspection=inspection).exists()


def test_evidence_over_the_size_limit_is_refused(w, settings):
    settings.EVIDENCE_MAX_BYTES = 16
    inspection = _inspection(w)
    with pytest.raises(SupervisionError, match="上限"):
        services.evidence_attach(actor=w.supervisor, inspection=inspection, files=[upload("大.pdf", PDF)])
    # a recording may be larger than a document (5×)
    services.evidence_attach(actor=w.supervisor, inspection=inspection, files=[upload("录音.amr", b"#!AMR\n" + b"1" * 40)])


def test_only_recorders_attach_evidence(w):
    inspection = _inspection(w)
    with pytest.raises(policy.Forbidden):
        services.evidence_attach(actor=w.other_supervisor, inspection=inspection, files=[upload()])
    with pytest.raises(policy.Denied):
        services.evidence_attach(actor=w.outsider, inspection=inspection, files=[upload()])


# --- findings ---------------------------------------------------------------------------------------------


def test_a_team_member_and_the_ordering_office_record_findings_others_not(w):
    inspection = _inspection(w)
    assert _finding(w, inspection).recorded_by == w.supervisor
    services.finding_record(actor=w.city_office, inspection=inspection, unit=w.tree.qiaotouhe, description="x")
    # a member of the group not on the team, and the inspected unit's own office: 403
    for user in (w.other_supervisor, w.office):
        with pytest.raises(policy.Forbidden):
            services.finding_record(actor=user, inspection=inspection, unit=w.tree.lianyuan, description="x")
    with pytest.raises(policy.Denied):
        services.finding_record(actor=w.outsider, inspection=inspection, unit=w.tree.lianyuan, description="x")


def test_a_finding_is_of_an_inspected_unit(w):
    inspection = _inspection(w)
    with pytest.raises(SupervisionError, match="被检查单位"):
        services.finding_record(actor=w.city_office, inspection=inspection, unit=w.tree.louxing, description="x")


def test_the_units_own_office_answers_not_the_office_above(w):
    finding = _finding(w)
    for user in (w.city_office, w.head, w.supervisor):
        with pytest.raises(policy.Forbidden):
            services.finding_answer(actor=user, finding=finding, answer="已整改")
    with pytest.raises(policy.Denied):
        services.finding_answer(actor=w.outsider, finding=finding, answer="已整改")
    answered = services.finding_answer(actor=w.office, finding=finding, answer="已压缩会议")
    assert (answered.state, answered.answered_by, answered.answer) == (FindingState.ANSWERED, w.office, "已压缩会议")


def test_the_inspection_side_closes_and_a_closed_finding_stays_closed(w):
    finding = _finding(w)
    with pytest.raises(policy.Forbidden):
        services.finding_close(actor=w.other_supervisor, finding=finding)
    closed = services.finding_close(actor=w.supervisor, finding=finding, note="整改到位")
    assert (closed.state, closed.closed_by) == (FindingState.CLOSED, w.supervisor)
    with pytest.raises(SupervisionError, match="已办结"):
        services.finding_answer(actor=w.office, finding=finding, answer="补充")


def test_a_finding_becomes_a_ledger_item_linked_both_ways(w):
    finding = _finding(w)
    item = services.finding_to_item(actor=w.city_office, finding=finding, ledger=w.ledger, measures="压缩会议",
                                    due_on=dt.date(2015, 5, 1))
    finding.refresh_from_db()
    assert (finding.linked_item, finding.link_kind) == (item, LinkKind.CREATED)
    assert list(item.supervision_findings.all()) == [finding]
    assert (item.source, item.problem, item.ledger) == (Source.HIGHER_LEVEL, "会议仍然偏多", w.ledger)
    assert ItemEvent.objects.get(item=item, kind=ItemEventKind.CREATED).actor == w.city_office
    with pytest.raises(SupervisionError, match="重复"):
        services.finding_to_item(actor=w.city_office, finding=finding, ledger=w.ledger)


def test_a_group_member_may_point_out_but_not_write_the_ledger(w):
    # the ledger's own rule applies to the same actor: the group has no right to edit ledgers
    finding = _finding(w)
    with pytest.raises(policy.Forbidden):
        services.finding_to_item(actor=w.supervisor, finding=finding, ledger=w.ledger)
    assert not Item.objects.filter(problem="会议仍然偏多").exists()


def test_a_finding_sends_its_item_back_linked_both_ways(w):
    item = w.items[0]
    finding = _finding(w, item=item)
    sent = services.finding_send_back(actor=w.supervisor, finding=finding, reason="整改不到位",
                                      due_on=dt.date(2015, 6, 1))
    finding.refresh_from_db()
    assert sent.status == ItemStatus.SENT_BACK
    assert (finding.linked_item, finding.link_kind) == (item, LinkKind.SENT_BACK)
    assert finding in item.supervision_findings.all()
    event = ItemEvent.objects.get(item=item, kind=ItemEventKind.SENT_BACK)
    assert event.actor == w.supervisor and f"编号 {finding.pk}" in event.note


def test_sending_back_needs_an_item_of_the_unit_and_a_reason(w):
    finding = _finding(w)
    with pytest.raises(SupervisionError, match="回炉的台账事项"):
        services.finding_send_back(actor=w.supervisor, finding=finding, reason="x")
    with pytest.raises(SupervisionError, match="理由"):
        services.finding_send_back(actor=w.supervisor, finding=finding, reason=" ", item=w.items[0])


def test_a_finding_of_a_unit_outside_an_inspection(w):
    finding = services.finding_record(actor=w.supervisor, unit=w.tree.lianyuan, description="台账不规范")
    assert finding.inspection is None
    with pytest.raises(policy.Forbidden):
        services.finding_record(actor=w.head, unit=w.tree.lianyuan, description="x")
    with pytest.raises(policy.Denied):
        services.finding_record(actor=w.outsider, unit=w.tree.lianyuan, description="x")


# --- selectors --------------------------------------------------------------------------------------------


def test_the_chain_finding_item_progress_closing_reads_in_three_queries(w, django_assert_num_queries):
    finding = _finding(w, item=w.items[1])
    services.finding_send_back(actor=w.supervisor, finding=finding, reason="整改不到位")
    with django_assert_num_queries(3):
        read = selectors.finding_get_for(user=w.city_office, pk=finding.pk)
        chain = (read.linked_item.ledger.unit.name, [p.progress for p in read.linked_item.progress.all()],
                 [c.state for c in read.linked_item.closing_requests.all()], read.inspection.ordering_unit.name)
    assert chain[0] == "涟源市" and chain[1] == ["已整改一部分"]


def test_the_work_list_of_a_group_member(w):
    inspection = _inspection(w)
    finding = _finding(w, inspection)
    work = selectors.work_list(user=w.supervisor)
    assert [u for u, _light in work.units] == [w.tree.lianyuan]
    assert inspection in work.inspections
    assert finding in work.awaiting
    # the inspected unit's office sees it as waiting for its answer
    assert finding in selectors.work_list(user=w.office).to_answer


def test_a_units_findings(w):
    finding = _finding(w)
    assert list(selectors.findings_of_unit(user=w.head, unit=w.tree.lianyuan)) == [finding]
    with pytest.raises(policy.Denied):
        selectors.findings_of_unit(user=w.outsider, unit=w.tree.lianyuan)


def test_the_group_is_one_sent_by_the_ordering_unit_or_above(w):
    # 市委第二督导组 is the city's: 涟源市's office cannot put it on an inspection of the city's ordering
    from huitoukan.orgs import services as org_services

    county_group = org_services.supervision_group_create(actor=None, dispatched_by=w.tree.lianyuan, name="涟源市督导组",
                                                         assigned_units=[w.tree.qiaotouhe])
    with pytest.raises(SupervisionError, match="派出"):
        services.inspection_create(actor=w.city_office, kind=InspectionKind.OPEN, title="x", ordering_unit=w.tree.city,
                                   group=county_group, units=[w.tree.lianyuan], starts_on=START)


def test_an_inspection_ends_after_it_starts(w):
    with pytest.raises(SupervisionError, match="结束日期"):
        services.inspection_create(actor=w.office, kind=InspectionKind.OPEN, title="x", ordering_unit=w.tree.lianyuan,
                                   units=[w.tree.lianyuan], starts_on=START, ends_on=START - dt.timedelta(days=1))


def test_a_finding_about_an_item_of_another_unit_is_refused(w):
    inspection = _inspection(w, units=[w.tree.lianyuan])
    with pytest.raises(SupervisionError, match="不属于"):
        services.finding_record(actor=w.supervisor, inspection=inspection, unit=w.tree.qiaotouhe,
                                item=w.items[0], description="x")


def test_a_finding_goes_into_a_ledger_of_its_own_unit_only(w):
    from huitoukan.ledgers import services as ledger_services
    from huitoukan.ledgers.layouts import LedgerKind

    other = ledger_services.ledger_open(actor=None, campaign=w.campaign, unit=w.tree.qiaotouhe,
                                        kind=LedgerKind.LEADERSHIP)
    finding = _finding(w)
    with pytest.raises(SupervisionError, match="台账不属于"):
        services.finding_to_item(actor=w.city_office, finding=finding, ledger=other)


def test_the_findings_kept_counts_follow_every_write(w):
    """Recorded, answered, closed: the counts under 涟源市 and 娄底市 (orgs.WorkTally) match a recount."""
    inspection = services.inspection_create(
        actor=w.city_office, kind=InspectionKind.OPEN, title="明察", ordering_unit=w.tree.city,
        units=[w.tree.lianyuan], starts_on=dt.date(2015, 3, 2))
    first = services.finding_record(actor=w.city_office, inspection=inspection, unit=w.tree.lianyuan,
                                    description="会议偏多")
    services.finding_record(actor=w.city_office, inspection=inspection, unit=w.tree.qiaotouhe,
                            description="公开栏过期")
    services.finding_answer(actor=w.office, finding=first, answer="已压缩")
    counts = selectors.open_findings_by_unit([w.tree.city, w.tree.lianyuan, w.tree.qiaotouhe, w.tree.louxing])
    assert counts[w.tree.city.pk] == {"awaiting": 1, "answered": 1, "open": 2}
    assert counts[w.tree.qiaotouhe.pk]["open"] == 1 and counts[w.tree.louxing.pk]["open"] == 0
    services.finding_close(actor=w.city_office, finding=first)
    assert selectors.open_findings_by_unit([w.tree.lianyuan])[w.tree.lianyuan.pk]["open"] == 1
    assert unit_totals.work_kept(selectors.FINDINGS_TOPIC) == selectors.findings_recount()
