"""报送 and 逐级审阅 through the services: build, approve, submit, return with comments, v2, compare, approve."""

from __future__ import annotations

import pytest
from django.http import Http404

from huitoukan.access import policy
from huitoukan.access.models import Role
from huitoukan.campaigns.models import Campaign
from huitoukan.ledgers import services as ledger_services
from huitoukan.orgs.models import UnitLevel
from huitoukan.reviews import rules, selectors, services
from huitoukan.reviews.diff import compare
from huitoukan.reviews.errors import ReviewError, ReviewErrorCode
from huitoukan.reviews.models import (
    PackageAction,
    PackageState,
    PackageVersion,
    ReportState,
    Submission,
)
from huitoukan.reviews.snapshot import content_of, digest_of

A = PackageAction


def _submitted(loop):
    version = services.package_build(actor=loop.office, deadline=loop.deadline, unit=loop.tree.lianyuan)
    services.package_act(actor=loop.head, version=version, action=A.HEAD_APPROVE)
    return services.package_act(actor=loop.office, version=version, action=A.SUBMIT)


def test_the_whole_loop_returns_version_one_and_approves_version_two_leaving_version_one_unchanged(loop):
    # given 涟源市's office builds its package and its head approves it
    v1 = services.package_build(actor=loop.office, deadline=loop.deadline, unit=loop.tree.lianyuan)
    assert v1.state == PackageState.AWAITING_HEAD
    assert v1.digest == digest_of(v1.content)
    v1_bytes, v1_digest = v1.content.encode(), v1.digest
    services.package_act(actor=loop.head, version=v1, action=A.HEAD_APPROVE)
    # when the office submits it, it waits for 娄底市
    v1 = services.package_act(actor=loop.office, version=v1, action=A.SUBMIT)
    assert v1.state == PackageState.SUBMITTED and v1.reviewer_unit == loop.tree.city
    assert Submission.objects.get(pk=v1.submission_id).state == ReportState.SUBMITTED
    # and 娄底市 comments on two rows and returns it with a reason
    first, second = (f"ledger:leadership#item:{item.pk}" for item in loop.items[:2])
    services.package_comment(actor=loop.city_office, version=v1, text="措施不具体", anchor=first)
    services.package_comment(actor=loop.city_office, version=v1, text="缺少时限", anchor=second)
    with pytest.raises(ReviewError) as refused:
        services.package_act(actor=loop.city_office, version=v1, action=A.RETURN, reason="  ")
    assert refused.value.code == ReviewErrorCode.REASON_REQUIRED
    v1 = services.package_act(actor=loop.city_office, version=v1, action=A.RETURN, reason="两项措施须细化")
    assert v1.state == PackageState.RETURNED and v1.return_reason == "两项措施须细化"
    assert Submission.objects.get(pk=v1.submission_id).state == ReportState.RETURNED
    # then 涟源市 changes the two rows and goes round again with version 2
    ledger_services.item_update(actor=loop.office, item=loop.items[0], measures="压缩会议数量，全年会议减少30%")
    ledger_services.item_update(actor=loop.office, item=loop.items[1], measures="每月下基层调研不少于4天")
    v2 = services.package_build(actor=loop.office, deadline=loop.deadline, unit=loop.tree.lianyuan)
    assert v2.number == 2
    services.package_act(actor=loop.head, version=v2, action=A.HEAD_APPROVE)
    services.package_act(actor=loop.office, version=v2, action=A.SUBMIT)
    parts = compare(content_of(PackageVersion.objects.get(pk=v1.pk)), content_of(v2))
    changed = [row for row in parts[0].rows if row.change == "changed"]
    assert [row.key for row in changed] == [f"item:{loop.items[0].pk}", f"item:{loop.items[1].pk}"]
    assert any(s.op == "insert" and "全年会议减少30%" in s.text for s in changed[0].cells[0].segments)
    v2 = services.package_act(actor=loop.city_office, version=v2, action=A.APPROVE)
    assert v2.state == PackageState.APPROVED
    assert Submission.objects.get(pk=v2.submission_id).state == ReportState.APPROVED
    # and version 1 is unchanged byte for byte
    stored = PackageVersion.objects.get(pk=v1.pk)
    assert stored.content.encode() == v1_bytes and stored.digest == v1_digest == digest_of(stored.content)


def test_nobody_reviews_their_own_units_package(loop):
    version = _submitted(loop)
    # the unit's own office cannot, nor a login holding both its office and the reviewing office
    for who in (loop.office, loop.both_offices):
        with pytest.raises(policy.Forbidden):
            services.package_act(actor=who, version=version, action=A.APPROVE)
    # nor the unit's head, who may not review at all
    with pytest.raises(policy.Forbidden):
        services.package_act(actor=loop.head, version=version, action=A.APPROVE)
    assert PackageVersion.objects.get(pk=version.pk).state == PackageState.SUBMITTED


def test_a_login_outside_the_chain_sees_nothing_of_the_package(loop):
    version = _submitted(loop)
    with pytest.raises(Http404):
        selectors.version_get_for(user=loop.outsider, pk=version.pk)
    with pytest.raises(Http404):
        services.package_act(actor=loop.outsider, version=version, action=A.RETURN, reason="越权")


def test_only_the_units_own_office_builds_and_submits_and_only_its_head_approves(loop):
    # an office above may read but not build 涟源市's package: 403
    with pytest.raises(policy.Forbidden):
        services.package_build(actor=loop.city_office, deadline=loop.deadline, unit=loop.tree.lianyuan)
    version = services.package_build(actor=loop.office, deadline=loop.deadline, unit=loop.tree.lianyuan)
    # the office cannot approve its own package as if it were the head, nor can the city's head
    for who in (loop.office, loop.city_head, loop.filler):
        with pytest.raises(policy.Forbidden):
            services.package_act(actor=who, version=version, action=A.HEAD_APPROVE)
    # nothing goes up before the head has approved it
    with pytest.raises(ReviewError) as refused:
        services.package_act(actor=loop.office, version=version, action=A.SUBMIT)
    assert refused.value.code == ReviewErrorCode.WRONG_STATE


def test_a_unit_the_deadline_does_not_expect_cannot_build(loop, make_user):
    township_office = make_user(Role.CAMPAIGN_OFFICE, loop.tree.qiaotouhe)
    with pytest.raises(ReviewError) as refused:
        services.package_build(actor=township_office, deadline=loop.deadline, unit=loop.tree.qiaotouhe)
    assert refused.value.code == ReviewErrorCode.NOT_EXPECTED


def test_a_rebuild_withdraws_the_version_still_in_the_unit_but_not_one_under_review(loop):
    first = services.package_build(actor=loop.office, deadline=loop.deadline, unit=loop.tree.lianyuan)
    second = services.package_build(actor=loop.office, deadline=loop.deadline, unit=loop.tree.lianyuan)
    assert PackageVersion.objects.get(pk=first.pk).state == PackageState.WITHDRAWN
    services.package_act(actor=loop.head, version=second, action=A.HEAD_APPROVE)
    services.package_act(actor=loop.office, version=second, action=A.SUBMIT)
    with pytest.raises(ReviewError) as refused:
        services.package_build(actor=loop.office, deadline=loop.deadline, unit=loop.tree.lianyuan)
    assert refused.value.code == ReviewErrorCode.IN_REVIEW


def test_where_the_campaign_says_so_the_supervision_group_audits_before_submission(loop):
    Campaign.objects.filter(pk=loop.campaign.pk).update(group_audit=True)
    loop.deadline.campaign.refresh_from_db()
    version = services.package_build(actor=loop.office, deadline=loop.deadline, unit=loop.tree.lianyuan)
    version = services.package_act(actor=loop.head, version=version, action=A.HEAD_APPROVE)
    assert version.state == PackageState.AWAITING_GROUP
    with pytest.raises(ReviewError):
        services.package_act(actor=loop.office, version=version, action=A.SUBMIT)
    # the group's 督导意见 decides nothing; its audit lets the office submit
    services.package_comment(actor=loop.supervisor, version=version, text="请补充群众意见来源")
    version = services.package_act(actor=loop.supervisor, version=version, action=A.GROUP_AUDIT)
    assert version.state == PackageState.READY and version.group_audited_by == loop.supervisor


def test_a_comment_must_name_a_row_of_the_version(loop):
    version = _submitted(loop)
    with pytest.raises(ReviewError) as refused:
        services.package_comment(actor=loop.city_office, version=version, text="?", anchor="ledger:leadership#item:0")
    assert refused.value.code == ReviewErrorCode.ANCHOR_UNKNOWN


def test_the_review_chain_follows_the_campaigns_levels_and_ends_at_the_owner(loop):
    campaign = Campaign.objects.get(pk=loop.campaign.pk)
    assert rules.review_chain(loop.tree.shishi, campaign) == [loop.tree.city]
    campaign.review_levels = [UnitLevel.TOWNSHIP, UnitLevel.COUNTY]
    assert rules.review_chain(loop.tree.shishi, campaign) == [loop.tree.qiaotouhe, loop.tree.lianyuan,
                                                              loop.tree.city]
    assert rules.next_reviewer(loop.tree.shishi, campaign, loop.tree.lianyuan) == loop.tree.city
    assert rules.next_reviewer(loop.tree.shishi, campaign, loop.tree.city) is None


def test_each_step_tells_who_acts_next(loop):
    from huitoukan.notifications.models import Notification

    def told(user):
        return list(Notification.objects.filter(recipient=user, kind="review").values_list("title", flat=True))

    version = services.package_build(actor=loop.office, deadline=loop.deadline, unit=loop.tree.lianyuan)
    assert len(told(loop.head)) == 1
    services.package_act(actor=loop.head, version=version, action=A.HEAD_APPROVE)
    services.package_act(actor=loop.office, version=version, action=A.SUBMIT)
    assert any("待您审阅" in t for t in told(loop.city_office))
    services.package_act(actor=loop.city_office, version=version, action=A.RETURN, reason="缺少时限")
    assert any("被退回" in t for t in told(loop.office))
    assert told(loop.outsider) == []


def test_the_supervision_group_is_told_when_a_package_waits_for_its_audit(loop):
    from huitoukan.notifications.models import Notification

    Campaign.objects.filter(pk=loop.campaign.pk).update(group_audit=True)
    loop.deadline.campaign.refresh_from_db()
    version = services.package_build(actor=loop.office, deadline=loop.deadline, unit=loop.tree.lianyuan)
    services.package_act(actor=loop.head, version=version, action=A.HEAD_APPROVE)
    assert Notification.objects.filter(recipient=loop.supervisor, title__contains="待督导组审核").count() == 1


def test_the_redline_marks_the_changed_words_and_shows_a_rewritten_text_whole():
    from huitoukan.reviews.diff import redline

    edited = redline("压缩会议数量", "压缩会议数量，全年会议减少30%")
    assert [(s.op, s.text) for s in edited] == [("equal", "压缩会议数量"), ("insert", "，全年会议减少30%")]
    # a number is one word: the year changes as a whole
    assert [(s.op, s.text) for s in redline("2015年底前完成", "2016年底前完成")] == [
        ("delete", "2015"), ("insert", "2016"), ("equal", "年底前完成")]
    rewritten = redline("全年召开会议减少38%", "已按市委活动办意见细化措施")
    assert [(s.op, s.text) for s in rewritten] == [("delete", "全年召开会议减少38%"), ("insert", "已按市委活动办意见细化措施")]


def test_a_returned_package_waits_in_the_offices_queue_and_building_is_offered_only_when_it_can_be(loop):
    version = _submitted(loop)
    submission = selectors.submission_of(deadline=loop.deadline, unit=loop.tree.lianyuan)
    assert not selectors.may_build(user=loop.office, deadline=loop.deadline, unit=loop.tree.lianyuan,
                                   submission=submission)  # under review above
    services.package_act(actor=loop.city_office, version=version, action=A.RETURN, reason="缺少时限")
    assert [v.pk for v in selectors.waiting_for(user=loop.office)] == [version.pk]
    submission = selectors.submission_of(deadline=loop.deadline, unit=loop.tree.lianyuan)
    assert selectors.may_build(user=loop.office, deadline=loop.deadline, unit=loop.tree.lianyuan,
                               submission=submission)
    # an office above, or a unit the deadline does not expect, is never offered it
    assert not selectors.may_build(user=loop.city_office, deadline=loop.deadline, unit=loop.tree.lianyuan,
                                   submission=submission)
    assert selectors.own_expected_units(user=loop.city_office, deadline=loop.deadline) == []
