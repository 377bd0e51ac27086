"""The campaign and deadline forms with their rows (phases, reminder steps), the detail page in words, and
deletes that confirm on a page first."""

import datetime as dt

import pytest

from huitoukan.access.models import Role
from huitoukan.campaigns.models import Campaign, Deadline, Phase, TargetRule
from tests.campaigns.test_campaigns import make_campaign
from tests.conftest import user_create

D = dt.date
pytestmark = pytest.mark.django_db


@pytest.fixture
def office(tree, client):
    user = user_create(Role.CAMPAIGN_OFFICE, tree.lianyuan)
    client.force_login(user)
    return user


@pytest.fixture
def county_campaign(tree):
    return make_campaign(tree.lianyuan, name="涟源市回头看")


def _errors(response) -> str:
    form = response.context["form"]
    return " ".join(str(e) for e in [*form.non_field_errors(), *(e for errs in form.errors.values() for e in errs)])


def _new_campaign(tree, **overrides) -> dict:
    return {"owner_unit": tree.lianyuan.pk, "name": "涟源市回头看", "batch": "", "starts_on": "2014-12-31",
            "ends_on": "2015-02-28", "basis": "", "description": "",
            "phase_0_name": "自查自纠", "phase_0_starts_on": "2014-12-31", "phase_0_ends_on": "2015-01-06",
            "phase_0_tasks": "逐项梳理",
            "phase_1_name": "深化整改", "phase_1_starts_on": "2015-01-17", "phase_1_ends_on": "2015-02-28",
            "review_levels": ["township"], "group_audit": "on",
            "step_0_days": "-3", "step_0_to": ["office"], "step_1_days": "2", "step_1_to": ["unit_head", "deputy_leader"],
            **overrides}


def test_a_new_campaign_takes_its_phases_parent_review_levels_audit_and_item_reminders(tree, client, office):
    city = make_campaign(tree.city, name="娄底市回头看")
    response = client.post("/campaigns/new/", _new_campaign(tree, parent=city.pk))
    assert response.status_code == 302, _errors(response)
    campaign = Campaign.objects.get(owner_unit=tree.lianyuan)
    assert [(p.order, p.name, p.tasks) for p in campaign.phases.all()] == [(1, "自查自纠", "逐项梳理"), (2, "深化整改", "")]
    assert campaign.parent == city and campaign.review_levels == ["township"] and campaign.group_audit
    assert campaign.item_reminder_steps == [{"days": -3, "to": ["office"]},
                                            {"days": 2, "to": ["deputy_leader", "unit_head"]}]
    assert all(p.history.get().history_user == office for p in campaign.phases.all())


def test_a_half_filled_phase_row_names_its_row_and_nothing_is_made(tree, client, office):
    response = client.post("/campaigns/new/", _new_campaign(tree, phase_1_starts_on="", phase_1_ends_on=""))
    assert "阶段2：请填写开始日期。" in _errors(response) and "阶段2：请填写结束日期。" in _errors(response)
    overlapping = client.post("/campaigns/new/", _new_campaign(tree, phase_1_starts_on="2015-01-05"))
    assert "阶段“自查自纠”与“深化整改”的日期重叠" in _errors(overlapping)
    level = client.post("/campaigns/new/", _new_campaign(tree, review_levels=["city"]))
    assert "逐级审阅层级“city”无效" in _errors(level)
    assert not Campaign.objects.exists() and not Phase.objects.exists()


def test_the_forms_prefill_the_default_reminder_steps(tree, client, office, county_campaign):
    page = client.get(f"/campaigns/{county_campaign.pk}/deadlines/new/").content.decode()
    assert 'name="step_0_days" id="id_step_0_days" value="-7"' in page
    assert 'name="step_1_days" id="id_step_1_days" value="-1"' in page
    assert 'name="step_3_days" id="id_step_3_days" value=""' in page
    assert 'name="step_0_to" value="office" id="id_step_0_to_0" checked' in page
    assert "天数（负数为到期前，正数为逾期后）" in page
    # the package holds the four ledgers unless told otherwise
    assert 'name="contents" value="ledger:leadership" id="id_contents_0" checked' in page
    assert 'name="contents" value="plan:report" id="id_contents_7">' in page


def test_a_deadline_takes_its_rule_kinds_contents_and_reminder_steps(tree, client, office, county_campaign):
    url = f"/campaigns/{county_campaign.pk}/deadlines/new/"
    body = {"name": "信息备案（乡镇）", "due_on": "2015-02-05", "target_rule": "children", "kinds": ["party_committee"],
            "contents": ["plan:report"], "phase": "深化整改",
            "step_0_days": "-5", "step_0_to": ["office", "responsible_leader"], "step_1_days": "", "step_2_days": "3",
            "step_2_to": ["unit_head"]}
    assert client.post(url, body).status_code == 302
    deadline = county_campaign.deadlines.get(name="信息备案（乡镇）")
    assert (deadline.target_rule, deadline.levels, deadline.kinds, deadline.contents) == (
        TargetRule.CHILDREN, [], ["party_committee"], ["plan:report"])
    assert deadline.reminder_steps == [{"days": -5, "to": ["office", "responsible_leader"]},
                                       {"days": 3, "to": ["unit_head"]}]
    # the edit form opens with them
    page = client.get(f"/campaigns/{county_campaign.pk}/deadlines/{deadline.pk}/edit/").content.decode()
    assert 'value="children" id="id_target_rule_0" checked' in page and 'value="-5"' in page


@pytest.mark.parametrize("overrides, message", [
    ({"step_0_days": "-61"}, "第1步：天数须为 -60 到 60 之间的整数"),
    ({"step_0_days": "三"}, "第1步 天数：格式不正确。"),
    ({"step_0_days": "-7", "step_0_to": []}, "第1步：须选择至少一类催办对象。"),
    ({"step_0_days": "", "step_0_to": ["office"]}, "第1步：请填写天数。"),
    ({"step_1_days": "-7", "step_1_to": ["office"]}, "天数 -7 与前面的步骤重复"),
    ({"target_rule": "levels"}, "请选择至少一个适用层级。"),
    ({"due_on": "2015-03-01"}, "截止日期（2015-03-01）须在活动的起止日期（2014-12-31至2015-02-28）之内"),
    ({"kinds": ["martian"]}, "适用单位类型"),
])
def test_bad_deadline_input_names_its_field_or_row_and_writes_nothing(tree, client, office, county_campaign,
                                                                       overrides, message):
    body = {"name": "整改报告", "due_on": "2015-02-20", "target_rule": "children", "contents": ["plan:report"],
            "step_0_days": "-7", "step_0_to": ["office"], **overrides}
    response = client.post(f"/campaigns/{county_campaign.pk}/deadlines/new/", body)
    assert response.status_code == 200 and message in _errors(response)
    assert not county_campaign.deadlines.filter(name="整改报告").exists()


def test_the_detail_page_says_targets_contents_reminders_and_review_in_words(tree, client, office):
    campaign = make_campaign(tree.lianyuan, name="涟源市回头看", review_levels=["township"])
    page = client.get(f"/campaigns/{campaign.pk}/").content.decode()
    assert "到期前7天：本单位活动办、责任领导" in page and "到期前1天：分管领导" in page and "逾期1天：主要负责同志" in page
    assert "下辖各级单位：县、市（各类单位）" in page
    assert "领导班子整改落实工作台帐、党员领导干部整改落实工作台帐" in page
    assert "经乡镇街道级单位逐级审阅，最后报娄底市/涟源市" in page


def test_a_delete_asks_first_on_a_page_that_posts(tree, client, office, county_campaign):
    deadline = county_campaign.deadlines.get()
    url = f"/campaigns/{county_campaign.pk}/deadlines/{deadline.pk}/delete/"
    detail = client.get(f"/campaigns/{county_campaign.pk}/").content.decode()
    assert f'href="{url}"' in detail  # a link to the confirmation, not a form that deletes at once
    page = client.get(url).content.decode()
    assert "确定删除" in page and 'method="post"' in page and "<script>" not in page
    assert Deadline.objects.filter(pk=deadline.pk).exists()
    assert client.post(url).status_code == 302
    assert not Deadline.objects.filter(pk=deadline.pk).exists()
    phase = county_campaign.phases.first()
    phase_page = client.get(f"/campaigns/{county_campaign.pk}/phases/{phase.pk}/delete/").content.decode()
    assert "其下的报送时限保留" in phase_page and Phase.objects.filter(pk=phase.pk).exists()
