"""The demo's 责任追究 (accountability.case_demo), run on the loaded demo as the lead's loader calls it: a relapse
case with 一案双查 in 涟源市 naming both people, whose 问题链条 shows the letter about the item 已关联; it is 已立案
among the suggestions while 桥头河镇's 约谈提醒 stays open for the clerk; a second run adds nothing."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from huitoukan.accountability import case_selectors, suggestions
from huitoukan.accountability.case_demo import RELAPSE_TITLE, demo_cases
from huitoukan.accountability.models import Case, Responsibility
from huitoukan.campaigns.models import Campaign
from huitoukan.ledgers.models import ItemStatus
from huitoukan.portal.demo import CAMPAIGN_NAME, demo_calendar, demo_load
from huitoukan.supervision.models import Finding
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


def test_the_demo_records_a_relapse_case_whose_chain_shows_what_it_cites_and_leaves_a_suggestion_open(demo):
    _run()
    discipline = get_user_model().objects.get(username="discipline")
    relapse = Case.objects.get(title=RELAPSE_TITLE)
    assert relapse.double_check and relapse.unit.name == "涟源市"
    assert {(a.responsibility, a.person.name) for a in relapse.actions.all()} == {
        (Responsibility.DIRECT, "周建明"), (Responsibility.LEADER, "罗建华")}
    item = relapse.items.get()
    assert item.status == ItemStatus.RELAPSED
    # The chain, from the item: the letter sent from it is cited (已关联); the 暗访's finding about it is sealed.
    [row] = case_selectors.case_chain(relapse, discipline).rows
    assert [(o.obj.subject, o.linked) for o in row.opinions] == [("政务服务中心窗口午休无人", True)]
    assert Finding.objects.filter(item=item).exists() and row.findings == []
    client = Client()
    client.force_login(discipline)
    page = client.get(reverse("case-detail", args=[relapse.pk])).content.decode()
    assert "政务服务中心窗口午休无人" in page and 'data-link="linked"' in page
    # One suggestion is acted on, one is left for the clerk to 立案.
    found = {(s.key, s.unit.name): s for s in suggestions.suggestions_for(user=discipline)}
    assert found[("relapse", "涟源市")].acted == relapse
    talk = found[("talk", "桥头河镇")]
    assert talk.acted is None and talk.may_record
    listing = client.get(reverse("case-suggestions")).content.decode()
    assert "待研究" in listing and f'{reverse("case-create")}?' in listing
    _run()
    assert Case.objects.filter(title=RELAPSE_TITLE).count() == 1
