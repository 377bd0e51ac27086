"""据此建立本单位活动: a county's campaign made from the city's (or from a template), in the service, the page
and the API; and the new campaign and deadline fields over the API."""

import datetime as dt

import pytest
from django.http import Http404

from huitoukan.access.models import Role
from huitoukan.campaigns import services
from huitoukan.campaigns.models import Campaign, PackagePart, TargetRule
from huitoukan.campaigns.services import DeadlineSpec
from tests.campaigns.test_campaigns import make_campaign
from tests.conftest import user_create

D = dt.date
pytestmark = pytest.mark.django_db


@pytest.fixture
def city_campaign(tree):
    return make_campaign(tree.city, name="娄底市回头看", review_levels=["county", "township"], group_audit=True,
                         deadlines=[DeadlineSpec("信息备案", D(2015, 2, 5), target_rule=TargetRule.CHILDREN,
                                                 contents=[PackagePart.REPORT], phase_name="深化整改")])


@pytest.fixture
def office(tree, client):
    user = user_create(Role.CAMPAIGN_OFFICE, tree.lianyuan)
    client.force_login(user)
    return user


def test_a_county_copies_the_city_campaign_phases_and_rules_with_the_city_as_parent(tree, office, city_campaign):
    campaign = services.campaign_copy(actor=office, source=city_campaign, owner_unit=tree.lianyuan,
                                      name="涟源市回头看")
    assert campaign.parent == city_campaign and campaign.owner_unit == tree.lianyuan
    assert [(p.name, p.starts_on, p.ends_on, p.tasks) for p in campaign.phases.all()] == [
        (p.name, p.starts_on, p.ends_on, p.tasks) for p in city_campaign.phases.all()]
    # the county is now the owner: only the township still reviews on the way up
    assert campaign.review_levels == ["township"] and campaign.group_audit
    assert not campaign.deadlines.exists()  # it adds its own
    assert campaign.history.get().history_user == office


def test_a_copy_moves_every_date_with_a_new_start_and_may_bring_the_deadlines(tree, office, city_campaign):
    campaign = services.campaign_copy(actor=office, source=city_campaign, owner_unit=tree.lianyuan,
                                      name="第二轮", starts_on=D(2016, 1, 1), with_deadlines=True)
    shift = D(2016, 1, 1) - D(2014, 12, 31)
    assert (campaign.starts_on, campaign.ends_on) == (D(2016, 1, 1), D(2015, 2, 28) + shift)
    assert [p.starts_on for p in campaign.phases.all()] == [p.starts_on + shift for p in city_campaign.phases.all()]
    deadline = campaign.deadlines.get()
    assert (deadline.name, deadline.due_on, deadline.target_rule, deadline.contents, deadline.phase.name) == (
        "信息备案", D(2015, 2, 5) + shift, TargetRule.CHILDREN, [PackagePart.REPORT], "深化整改")


def test_a_copy_within_the_same_unit_is_a_template_without_parent(tree, city_campaign):
    office = user_create(Role.CAMPAIGN_OFFICE, tree.city)
    copy = services.campaign_copy(actor=office, source=city_campaign, owner_unit=tree.city, name="明年的回头看")
    assert copy.parent is None and copy.review_levels == ["county", "township"]


def test_a_campaign_out_of_sight_cannot_be_copied_nor_into_a_unit_out_of_scope(tree, office):
    neighbour = make_campaign(tree.louxing, name="娄星区回头看")
    with pytest.raises(Http404):
        services.campaign_copy(actor=office, source=neighbour, owner_unit=tree.lianyuan, name="偷来的")
    city = make_campaign(tree.city, name="娄底市回头看")
    with pytest.raises(Http404):
        services.campaign_copy(actor=office, source=city, owner_unit=tree.louxing, name="越界的")
    assert not Campaign.objects.filter(name__in=["偷来的", "越界的"]).exists()


def test_the_page_action_copies_for_the_office_and_the_detail_page_offers_it(tree, client, office, city_campaign):
    detail = client.get(f"/campaigns/{city_campaign.pk}/").content.decode()
    assert "据此建立本单位活动" in detail and "修改活动" not in detail
    form = client.get(f"/campaigns/{city_campaign.pk}/copy/").content.decode()
    assert 'value="娄底市回头看"' in form and 'value="2014-12-31"' in form
    response = client.post(f"/campaigns/{city_campaign.pk}/copy/", {
        "owner_unit": tree.lianyuan.pk, "name": "涟源市回头看", "starts_on": "2014-12-31"})
    campaign = Campaign.objects.get(owner_unit=tree.lianyuan, name="涟源市回头看")
    assert response.status_code == 302 and response["Location"] == f"/campaigns/{campaign.pk}/"
    assert campaign.parent == city_campaign and campaign.phases.count() == 3
    again = client.post(f"/campaigns/{city_campaign.pk}/copy/", {
        "owner_unit": tree.lianyuan.pk, "name": "涟源市回头看", "starts_on": "2014-12-31"})
    assert "已有名为“涟源市回头看”的活动" in str(again.context["form"].non_field_errors())
    # the copy's page names its parent
    assert "娄底市回头看" in client.get(f"/campaigns/{campaign.pk}/").content.decode()
    # a reader who may not make campaigns is offered nothing
    client.force_login(user_create(Role.UNIT_FILLER, tree.lianyuan))
    assert "据此建立本单位活动" not in client.get(f"/campaigns/{city_campaign.pk}/").content.decode()


def _post(client, url, body):
    return client.post(url, body, content_type="application/json")


def test_the_api_copies_and_shows_the_new_fields(tree, client, office, city_campaign):
    response = _post(client, f"/api/v1/campaigns/{city_campaign.pk}/copy/", {
        "owner_unit": tree.lianyuan.pk, "name": "涟源市回头看", "with_deadlines": True})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["parent_id"] == city_campaign.pk and body["review_levels"] == ["township"] and body["group_audit"]
    assert body["item_reminder_steps"][0] == {"days": -7, "to": ["office", "responsible_leader"]}
    deadline = body["deadlines"][0]
    assert (deadline["target_rule"], deadline["contents"], deadline["kinds"]) == ("children", ["plan:report"], [])
    assert deadline["reminder_steps"][-1] == {"days": 1, "to": ["unit_head"]}


def test_the_api_writes_the_new_deadline_and_campaign_fields_with_chinese_errors(tree, client, office):
    campaign = make_campaign(tree.lianyuan, name="涟源市回头看")
    added = _post(client, f"/api/v1/campaigns/{campaign.pk}/deadlines/", {
        "name": "信息备案（乡镇）", "due_on": "2015-02-05", "target_rule": "levels", "levels": ["township"],
        "kinds": ["party_committee"], "contents": ["plan:report", "ledger:leadership"],
        "reminder_steps": [{"days": -3, "to": ["office"]}]})
    assert added.status_code == 201, added.content
    assert added.json()["contents"] == ["ledger:leadership", "plan:report"] and added.json()["expected_units"] == 1
    pk = added.json()["id"]
    patched = client.patch(f"/api/v1/deadlines/{pk}/", {"target_rule": "children"}, content_type="application/json")
    assert patched.status_code == 200 and patched.json()["levels"] == [] and patched.json()["kinds"] == [
        "party_committee"]
    for body, text in (
        ({"reminder_steps": [{"days": 99, "to": ["office"]}]}, "-60 到 60"),
        ({"reminder_steps": [{"days": -1, "to": ["mayor"]}]}, "催办对象"),
        ({"contents": []}, "至少一项报送内容"),
        ({"due_on": "2016-01-01"}, "须在活动的起止日期"),
        ({"target_rule": "levels", "levels": []}, "适用层级"),
    ):
        bad = client.patch(f"/api/v1/deadlines/{pk}/", body, content_type="application/json")
        assert bad.status_code == 400 and text in bad.json()["detail"], (body, bad.json())
    city = make_campaign(tree.city, name="娄底市回头看")
    ok = client.patch(f"/api/v1/campaigns/{campaign.pk}/", {
        "parent": city.pk, "review_levels": ["village"], "group_audit": True,
        "item_reminder_steps": [{"days": 0, "to": ["unit_head"]}]}, content_type="application/json")
    assert ok.status_code == 200, ok.content
    campaign.refresh_from_db()
    assert (campaign.parent, campaign.review_levels, campaign.group_audit, campaign.item_reminder_steps) == (
        city, ["village"], True, [{"days": 0, "to": ["unit_head"]}])
    hidden = make_campaign(tree.louxing, name="娄星区回头看")
    bad_parent = client.patch(f"/api/v1/campaigns/{campaign.pk}/", {"parent": hidden.pk},
                              content_type="application/json")
    assert bad_parent.status_code == 400 and "上级活动" in bad_parent.json()["detail"]
    bad_level = client.patch(f"/api/v1/campaigns/{campaign.pk}/", {"review_levels": ["county"]},
                             content_type="application/json")
    assert bad_level.status_code == 400 and "逐级审阅层级“county”无效" in bad_level.json()["detail"]
