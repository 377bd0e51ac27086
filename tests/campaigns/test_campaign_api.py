"""The campaign writes over the API: the pages' services, their errors as JSON with a Chinese detail."""

import datetime as dt

import pytest

from huitoukan.access.models import Role
from huitoukan.campaigns.models import Deadline
from tests.campaigns.test_campaigns import make_campaign
from tests.conftest import user_create

D = dt.date


@pytest.fixture
def office(tree, client):
    user = user_create(Role.CAMPAIGN_OFFICE, tree.lianyuan)
    client.force_login(user)
    return user


@pytest.fixture
def campaign(tree):
    return make_campaign(tree.lianyuan, name="涟源市回头看")


def _patch(client, url, body):
    return client.patch(url, body, content_type="application/json")


@pytest.mark.django_db
def test_a_patch_changes_the_fields_given_and_keeps_the_others(client, office, campaign):
    response = _patch(client, f"/api/v1/campaigns/{campaign.pk}/", {"basis": "涟办发〔2015〕3号"})
    assert response.status_code == 200, response.content
    campaign.refresh_from_db()
    assert (campaign.name, campaign.basis, campaign.ends_on) == ("涟源市回头看", "涟办发〔2015〕3号", D(2015, 2, 28))
    assert campaign.history.first().history_user == office


@pytest.mark.django_db
def test_a_rule_broken_over_the_api_is_a_400_with_a_chinese_detail_and_writes_nothing(client, office, campaign):
    shrink = _patch(client, f"/api/v1/campaigns/{campaign.pk}/", {"name": "改名", "ends_on": "2015-02-10"})
    assert shrink.status_code == 400 and "阶段“深化整改”在新的起止日期之外" in shrink.json()["detail"]
    campaign.refresh_from_db()
    assert campaign.name == "涟源市回头看"
    overlap = client.post(f"/api/v1/campaigns/{campaign.pk}/phases/", {
        "name": "总结", "starts_on": "2015-02-20", "ends_on": "2015-02-28"}, content_type="application/json")
    assert overlap.status_code == 400 and "阶段“深化整改”与“总结”的日期重叠" in overlap.json()["detail"]
    no_levels = client.post(f"/api/v1/campaigns/{campaign.pk}/deadlines/", {
        "name": "整改报告", "due_on": "2015-02-20", "levels": []}, content_type="application/json")
    assert no_levels.status_code == 400 and "适用层级" in no_levels.json()["detail"]
    bad_phase = client.post(f"/api/v1/campaigns/{campaign.pk}/deadlines/", {
        "name": "整改报告", "due_on": "2015-02-20", "levels": ["county"], "phase_name": "无此阶段"},
        content_type="application/json")
    assert bad_phase.status_code == 400 and "所属的阶段“无此阶段”不在本活动的阶段中" in bad_phase.json()["detail"]
    assert campaign.phases.count() == 3 and campaign.deadlines.count() == 1


@pytest.mark.django_db
def test_a_deadline_patch_keeps_its_phase_unless_told(client, office, campaign):
    deadline = campaign.deadlines.get()
    assert _patch(client, f"/api/v1/deadlines/{deadline.pk}/",
                  {"due_on": "2015-02-06"}).status_code == 200
    deadline.refresh_from_db()
    assert (deadline.due_on, deadline.phase.name) == (D(2015, 2, 6), "深化整改")
    assert _patch(client, f"/api/v1/deadlines/{deadline.pk}/",
                  {"phase_name": ""}).json()["phase_id"] is None
    assert client.delete(f"/api/v1/deadlines/{deadline.pk}/").status_code == 204
    assert Deadline.history.get(id=deadline.pk, history_type="-").history_user == office
