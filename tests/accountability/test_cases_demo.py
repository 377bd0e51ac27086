"""The demo's 责任追究 (accountability.case_demo), run on the loaded demo as the lead's loader calls it: a relapse
case with 一案双查 in 涟源市 naming both people, and a 约谈提醒 of 桥头河镇's head; both show 已立案 among the
suggestions; a second run adds nothing."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from huitoukan.accountability import suggestions
from huitoukan.accountability.case_demo import RELAPSE_TITLE, TALK_TITLE, demo_cases
from huitoukan.accountability.models import ActionKind, Case, Responsibility
from huitoukan.campaigns.models import Campaign
from huitoukan.ledgers.models import ItemStatus
from huitoukan.portal.demo import CAMPAIGN_NAME, demo_calendar, demo_load
from tests.conftest import built_once

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    with built_once(django_db_blocker, tmp_path_factory):
        demo_load()
        yield


def _run():
    users = {u.username: u for u in get_user_model().objects.filter(
        username__in=["discipline", "lianyuan_office", "lianyuan_leader", "lianyuan_head"])}
    campaign = Campaign.objects.get(name=CAMPAIGN_NAME)
    demo_cases(discipline=users["discipline"], office=users["lianyuan_office"], leader=users["lianyuan_leader"],
               head=users["lianyuan_head"], campaign=campaign, today=demo_calendar().today)


def test_the_demo_records_a_relapse_case_with_both_people_and_a_talk(demo):
    _run()
    relapse = Case.objects.get(title=RELAPSE_TITLE)
    assert relapse.double_check and relapse.unit.name == "涟源市"
    assert {(a.responsibility, a.person.name) for a in relapse.actions.all()} == {
        (Responsibility.DIRECT, "周建明"), (Responsibility.LEADER, "罗建华")}
    assert relapse.items.get().status == ItemStatus.RELAPSED
    talk = Case.objects.get(title=TALK_TITLE)
    [action] = talk.actions.all()
    assert (action.person.name, action.kind) == ("彭光辉", ActionKind.TALK) and talk.notices.count() == 1
    discipline = get_user_model().objects.get(username="discipline")
    found = suggestions.suggestions_for(user=discipline)
    acted = {(s.key, s.unit.name) for s in found if s.acted is not None}
    assert {("relapse", "涟源市"), ("talk", "桥头河镇")} <= acted
    _run()
    assert Case.objects.filter(title__in=[RELAPSE_TITLE, TALK_TITLE]).count() == 2
