"""The campaign pages of the 活动办: new campaign, its fields, its phases and deadlines; who may, and the rules."""

import datetime as dt

import pytest

from huitoukan.access.models import Role
from huitoukan.campaigns.models import Campaign, Deadline, Phase
from tests.campaigns.test_campaigns import make_campaign
from tests.conftest import user_create

D = dt.date


@pytest.fixture
def office(tree, client):
    user = user_create(Role.CAMPAIGN_OFFICE, tree.lianyuan, username="lianyuan_office")
    client.force_login(user)
    return user


@pytest.fixture
def county_campaign(tree):
    return make_campaign(tree.lianyuan, name="涟源市回头看")


def _campaign_form(**overrides) -> dict:
    return {"name": "涟源市第二轮回头看", "batch": "", "starts_on": "2015-03-01", "ends_on": "2015-06-30",
            "basis": "涟办发〔2015〕3号", "description": "", **overrides}


def _errors(response) -> str:
    return " ".join(str(e) for e in response.context["form"].errors.values())


@pytest.mark.django_db
def test_the_office_creates_a_campaign_of_its_unit_named_in_the_history(tree, client, office):
    # when the 涟源市 office saves the new campaign form for its own unit
    response = client.post("/campaigns/new/", _campaign_form(owner_unit=tree.lianyuan.pk))
    # then the campaign exists, its creation recorded under the office's name, and its page follows
    campaign = Campaign.objects.get(name="涟源市第二轮回头看")
    assert response.status_code == 302 and response["Location"] == f"/campaigns/{campaign.pk}/"
    assert campaign.owner_unit == tree.lianyuan and campaign.basis == "涟办发〔2015〕3号"
    assert campaign.history.get().history_user == office


@pytest.mark.django_db
def test_a_campaign_for_a_unit_out_of_scope_is_404_and_nothing_is_made(tree, client, office):
    response = client.post("/campaigns/new/", _campaign_form(owner_unit=tree.louxing.pk))
    assert response.status_code == 404
    assert not Campaign.objects.exists()


@pytest.mark.django_db
def test_bad_campaign_input_names_its_field_and_writes_nothing(tree, client, office):
    response = client.post("/campaigns/new/", _campaign_form(owner_unit=tree.lianyuan.pk, name="",
                                                             starts_on="2015-13-01"))
    assert response.status_code == 200
    assert "请填写活动名称。" in _errors(response) and "开始日期：格式不正确。" in _errors(response)
    reversed_dates = client.post("/campaigns/new/", _campaign_form(owner_unit=tree.lianyuan.pk, ends_on="2015-02-01"))
    assert "结束日期（2015-02-01）早于开始日期（2015-03-01）" in _errors(reversed_dates)
    assert not Campaign.objects.exists()


@pytest.mark.django_db
def test_readers_who_may_not_manage_get_403_and_out_of_scope_campaigns_404(tree, client):
    campaign, above = make_campaign(tree.lianyuan, name="涟源市回头看"), make_campaign(tree.city, name="娄底市回头看")
    outside = make_campaign(tree.louxing, name="娄星区回头看")
    client.force_login(user_create(Role.UNIT_FILLER, tree.lianyuan))
    assert client.get(f"/campaigns/{campaign.pk}/edit/").status_code == 403
    assert client.get("/campaigns/new/").status_code == 403
    office = user_create(Role.CAMPAIGN_OFFICE, tree.lianyuan)
    client.force_login(office)
    # the city's campaign applies to 涟源市 and is read there, but only 娄底市's office manages it
    assert client.get(f"/campaigns/{above.pk}/").status_code == 200
    assert client.get(f"/campaigns/{above.pk}/edit/").status_code == 403
    assert client.post(f"/campaigns/{above.pk}/phases/new/",
                       {"name": "x", "starts_on": "2015-01-01", "ends_on": "2015-01-02"}).status_code == 403
    assert client.get(f"/campaigns/{outside.pk}/edit/").status_code == 404
    phase = outside.phases.first()
    assert client.post(f"/campaigns/{outside.pk}/phases/{phase.pk}/delete/").status_code == 404
    # a phase of another campaign under this campaign's address is absent
    assert client.post(f"/campaigns/{campaign.pk}/phases/{phase.pk}/delete/").status_code == 404
    assert Phase.objects.filter(pk=phase.pk).exists()


@pytest.mark.django_db
def test_the_manage_buttons_show_only_to_whoever_may_manage(tree, client, county_campaign):
    client.force_login(user_create(Role.UNIT_FILLER, tree.lianyuan))
    assert "新建活动" not in client.get("/campaigns/").content.decode()
    assert "修改活动" not in client.get(f"/campaigns/{county_campaign.pk}/").content.decode()
    client.force_login(user_create(Role.CAMPAIGN_OFFICE, tree.lianyuan))
    assert "新建活动" in client.get("/campaigns/").content.decode()
    page = client.get(f"/campaigns/{county_campaign.pk}/").content.decode()
    assert "修改活动" in page and "添加阶段" in page and "添加报送时限" in page


@pytest.mark.django_db
def test_editing_a_campaign_keeps_its_phases_inside_its_dates(tree, client, office, county_campaign):
    # when the dates would leave the phase 深化整改 (to 2015-02-28) outside
    response = client.post(f"/campaigns/{county_campaign.pk}/edit/", _campaign_form(
        name="改名", starts_on="2014-12-31", ends_on="2015-02-10"))
    # then the error names the phase and nothing changes, not even the name
    assert "阶段“深化整改”在新的起止日期之外" in _errors(response)
    county_campaign.refresh_from_db()
    assert county_campaign.name == "涟源市回头看" and county_campaign.ends_on == D(2015, 2, 28)
    ok = client.post(f"/campaigns/{county_campaign.pk}/edit/", _campaign_form(
        name="改名", starts_on="2014-12-31", ends_on="2015-03-31"))
    assert ok.status_code == 302
    county_campaign.refresh_from_db()
    assert county_campaign.name == "改名" and county_campaign.history.first().history_user == office


@pytest.mark.django_db
def test_a_campaign_name_is_unique_in_its_unit(tree, client, office, county_campaign):
    make_campaign(tree.lianyuan, name="另一活动")
    response = client.post(f"/campaigns/{county_campaign.pk}/edit/", _campaign_form(
        name="另一活动", starts_on="2014-12-31", ends_on="2015-02-28"))
    assert "已有名为“另一活动”的活动" in _errors(response)


@pytest.mark.django_db
def test_phases_stay_inside_the_campaign_apart_and_ordered_by_date(tree, client, office):
    campaign = make_campaign(tree.lianyuan, name="涟源市回头看", phases=[], deadlines=[])
    url = f"/campaigns/{campaign.pk}/phases/new/"
    assert client.post(url, {"name": "深化整改", "starts_on": "2015-01-17", "ends_on": "2015-02-28"}).status_code == 302
    outside = client.post(url, {"name": "总结", "starts_on": "2015-02-20", "ends_on": "2015-03-10"})
    assert "阶段“总结”的日期超出了活动的起止日期" in _errors(outside)
    overlap = client.post(url, {"name": "督查核实", "starts_on": "2015-01-07", "ends_on": "2015-01-17"})
    assert "阶段“督查核实”与“深化整改”的日期重叠" in _errors(overlap)
    same = client.post(url, {"name": "深化整改", "starts_on": "2014-12-31", "ends_on": "2015-01-05"})
    assert "已有名为“深化整改”的阶段" in _errors(same)
    reversed_dates = client.post(url, {"name": "自查自纠", "starts_on": "2015-01-06", "ends_on": "2014-12-31"})
    assert "自查自纠的结束日期（2014-12-31）早于开始日期（2015-01-06）" in _errors(reversed_dates)
    # a phase added before the others comes first
    assert client.post(url, {"name": "自查自纠", "starts_on": "2014-12-31", "ends_on": "2015-01-06"}).status_code == 302
    assert [(p.order, p.name) for p in campaign.phases.all()] == [(1, "自查自纠"), (2, "深化整改")]
    assert all(p.history.first().history_user == office for p in campaign.phases.all())
    # and moved after the other by an edit, it is renumbered
    first = campaign.phases.get(name="自查自纠")
    client.post(url, {"name": "督查核实", "starts_on": "2015-01-07", "ends_on": "2015-01-16"})
    moved = client.post(f"/campaigns/{campaign.pk}/phases/{first.pk}/edit/",
                        {"name": "回访", "starts_on": "2014-12-31", "ends_on": "2015-01-08", "tasks": ""})
    assert "阶段“回访”与“督查核实”的日期重叠" in _errors(moved)
    assert client.post(f"/campaigns/{campaign.pk}/phases/{campaign.phases.get(name='深化整改').pk}/edit/",
                       {"name": "深化整改", "starts_on": "2015-01-17", "ends_on": "2015-02-10"}).status_code == 302
    assert [p.name for p in campaign.phases.all()] == ["自查自纠", "督查核实", "深化整改"]


@pytest.mark.django_db
def test_a_deleted_phase_leaves_its_deadlines_without_a_phase_in_their_history(tree, client, office,
                                                                               county_campaign):
    phase = county_campaign.phases.get(name="深化整改")
    response = client.post(f"/campaigns/{county_campaign.pk}/phases/{phase.pk}/delete/")
    assert response.status_code == 302
    deadline = county_campaign.deadlines.get()
    assert deadline.phase is None and deadline.history.first().history_user == office
    assert Phase.history.get(id=phase.pk, history_type="-").history_user == office
    assert [p.order for p in county_campaign.phases.all()] == [1, 2]


@pytest.mark.django_db
def test_deadlines_are_added_edited_and_removed_with_their_levels_and_phase(tree, client, office, county_campaign):
    url = f"/campaigns/{county_campaign.pk}/deadlines/new/"
    no_levels = client.post(url, {"name": "整改报告", "due_on": "2015-02-20", "phase": ""})
    assert "请选择至少一个适用层级。" in _errors(no_levels)
    bad_level = client.post(url, {"name": "整改报告", "due_on": "2015-02-20", "levels": ["galaxy"]})
    assert "适用层级" in _errors(bad_level)
    bad_phase = client.post(url, {"name": "整改报告", "due_on": "2015-02-20", "levels": ["county"], "phase": "无此阶段"})
    assert "所属阶段" in _errors(bad_phase)
    bad_date = client.post(url, {"name": "整改报告", "due_on": "二月", "levels": ["county"]})
    assert "截止日期：格式不正确。" in _errors(bad_date)
    assert county_campaign.deadlines.count() == 1
    no_contents = client.post(url, {"name": "整改报告", "due_on": "2015-02-20", "levels": ["county"]})
    assert "请选择至少一项报送内容。" in _errors(no_contents)
    assert client.post(url, {"name": "整改报告", "due_on": "2015-02-20", "levels": ["county", "township"],
                             "phase": "深化整改", "basis": "方案第三条", "contents": ["plan:report"]}).status_code == 302
    added = county_campaign.deadlines.get(name="整改报告")
    assert added.levels == ["county", "township"] and added.phase.name == "深化整改"
    assert added.history.get().history_user == office
    edit = client.post(f"/campaigns/{county_campaign.pk}/deadlines/{added.pk}/edit/",
                       {"name": "整改报告", "due_on": "2015-02-25", "levels": ["township"], "phase": "",
                        "contents": ["plan:report"]})
    assert edit.status_code == 302
    added.refresh_from_db()
    assert (added.due_on, added.levels, added.phase) == (D(2015, 2, 25), ["township"], None)
    assert added.history.first().history_user == office
    assert client.post(f"/campaigns/{county_campaign.pk}/deadlines/{added.pk}/delete/").status_code == 302
    assert not Deadline.objects.filter(pk=added.pk).exists()
    assert Deadline.history.get(id=added.pk, history_type="-").history_user == office


@pytest.mark.django_db
def test_the_forms_open_with_the_current_values(tree, client, office, county_campaign):
    deadline = county_campaign.deadlines.get()
    page = client.get(f"/campaigns/{county_campaign.pk}/deadlines/{deadline.pk}/edit/").content.decode()
    assert 'value="信息备案"' in page and 'value="2015-02-05"' in page
    page = client.get(f"/campaigns/{county_campaign.pk}/edit/").content.decode()
    assert 'value="涟源市回头看"' in page and 'value="2014-12-31"' in page
    assert "组织单位" in client.get("/campaigns/new/").content.decode()


@pytest.mark.django_db
def test_the_services_refuse_a_reader_who_may_not_manage(tree, county_campaign):
    from huitoukan.access.policy import Forbidden
    from huitoukan.campaigns import services

    filler = user_create(Role.UNIT_FILLER, tree.lianyuan)
    with pytest.raises(Forbidden):
        services.phase_add(actor=filler, campaign=county_campaign,
                           spec=services.PhaseSpec("总结", D(2015, 2, 1), D(2015, 2, 2)))
    with pytest.raises(Forbidden):
        services.deadline_delete(actor=filler, deadline=county_campaign.deadlines.get())
    assert county_campaign.phases.count() == 3 and county_campaign.deadlines.count() == 1
