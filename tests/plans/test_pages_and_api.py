"""The plan pages and API, happy paths and what they show; the permissions per role are in tests/plans/routes.py."""

import datetime as dt

import pytest

from huitoukan.plans import services
from huitoukan.plans.models import Plan, PlanKind
from tests.plans.world import build, pdf, plan_with_parts


@pytest.fixture
def world(tree):
    return build(tree)


@pytest.fixture
def office(client, world):
    client.force_login(world.office)
    return world.office


@pytest.mark.django_db
def test_the_list_shows_the_four_documents_with_new_for_the_missing(client, world, office):
    plan = plan_with_parts(world, actor=office)
    response = client.get(f"/plans/?unit={world.tree.lianyuan.pk}&campaign={world.campaign.pk}")
    page = response.content.decode()
    assert response.status_code == 200
    for label in ("整改方案", "专项整治方案", "制度建设计划", "“回头看”情况报告"):
        assert label in page
    assert f"/plans/{plan.pk}/" in page
    assert page.count("/plans/new/?") == 3


@pytest.mark.django_db
def test_the_list_without_a_unit_opens_the_readers_own(client, world, office):
    response = client.get("/plans/")
    assert response.status_code == 200 and response.context["unit"] == world.tree.lianyuan
    assert response.context["campaign"] in (world.campaign, world.other_campaign)


@pytest.mark.django_db
def test_creating_a_plan_from_its_page(client, world, office):
    url = f"/plans/new/?unit={world.tree.lianyuan.pk}&campaign={world.campaign.pk}&kind=report"
    response = client.post(url, {"title": "涟源市“回头看”情况报告", "body": "一、基本情况\n\n二、存在问题"})
    plan = Plan.objects.get(kind=PlanKind.REPORT)
    assert response.status_code == 302 and response["Location"] == f"/plans/{plan.pk}/"
    assert plan.body == "<p>一、基本情况</p><p>二、存在问题</p>"
    # a second one of the kind is refused on the form, in Chinese
    again = client.post(url, {"title": "又一份", "body": ""})
    assert again.status_code == 200 and "已有“回头看”情况报告" in again.content.decode()


@pytest.mark.django_db
def test_the_detail_shows_every_section_and_no_script(client, world, office):
    plan = plan_with_parts(world, actor=office)
    services.plan_file_attach(actor=office, plan=plan, upload=pdf())
    # a row written around the services
    Plan.objects.filter(pk=plan.pk).update(body='<p>正文</p><script>alert("x")</script>')
    response = client.get(f"/plans/{plan.pk}/")
    page = response.content.decode()
    for section in ("正文", "路线图", "任务书", "时间表", "关联问题", "附件"):
        assert f">{section}<" in page
    assert "<p>正文</p>" in page and "alert(" not in page
    assert f"/ledgers/items/{world.items[0].pk}/" in page
    assert [t.task for t, light in response.context["timeline"]] == ["精简文件简报", "压缩会议数量", "建立长效机制"]
    download = client.get(f"/plans/{plan.pk}/file/download/")
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")


@pytest.mark.django_db
def test_linking_items_offers_only_the_units_items_in_the_campaign(client, world, office):
    plan = plan_with_parts(world, actor=office)
    form = client.get(f"/plans/{plan.pk}/items/").context["form"]
    assert set(form.fields["items"].queryset) == set(world.items)
    # an item of another campaign is not offered; one out of the reader's scope is absent to them
    refused = client.post(f"/plans/{plan.pk}/items/", {"items": [world.item_other_campaign.pk]})
    assert refused.status_code == 200 and "不存在或不在您的权限范围内" in refused.content.decode()
    assert client.post(f"/plans/{plan.pk}/items/", {"items": [world.item_other_unit.pk]}).status_code == 404
    assert client.post(f"/plans/{plan.pk}/items/", {"items": [world.items[2].pk]}).status_code == 302
    assert list(plan.items.all()) == [world.items[2]]


@pytest.mark.django_db
def test_a_hostile_upload_is_refused_on_the_page(client, world, office):
    plan = plan_with_parts(world, actor=office)
    response = client.post(f"/plans/{plan.pk}/file/", {"file": pdf("方案.pdf", b"MZ\x90 not a pdf")})
    assert response.status_code == 200 and "不是有效的 PDF 文件" in response.content.decode()


@pytest.mark.django_db
def test_the_unit_page_links_to_the_units_plans(client, world, office):
    plan_with_parts(world, actor=office)
    page = client.get(f"/units/{world.tree.lianyuan.pk}/").content.decode()
    assert f"/plans/?unit={world.tree.lianyuan.pk}" in page and "本单位已制定 1 份" in page


@pytest.mark.django_db
def test_the_menu_leads_readers_of_business_data_to_the_plans(client, world, office):
    menu = client.get("/plans/").context["nav_menu"]
    assert ("方案计划", "/plans/", "plans") in [(str(label), href, key) for label, href, key in menu]


@pytest.mark.django_db
def test_the_template_downloads_as_xlsx(client, world, office):
    response = client.get("/plans/tasks/template/")
    assert response.status_code == 200 and response.content.startswith(b"PK")
    assert "filename*=UTF-8''" in response["Content-Disposition"]


# --- the API ---------------------------------------------------------------------------------------------


def _json(client, method, url, body=None):
    return getattr(client, method)(url, body, content_type="application/json")


@pytest.mark.django_db
def test_the_api_creates_a_plan_then_its_tasks_and_steps(client, world, office):
    created = _json(client, "post", "/api/v1/plans/", {
        "unit": world.tree.lianyuan.pk, "campaign": world.campaign.pk, "kind": "institution",
        "title": "制度建设计划", "body": "<p onclick='x()'>废改立</p>"})
    assert created.status_code == 201, created.content
    plan = created.json()
    assert plan["body"] == "<p>废改立</p>" and plan["steps"] == [] and plan["tasks"] == []
    task = _json(client, "post", f"/api/v1/plans/{plan['id']}/tasks/",
                 {"task": "修订公务接待制度", "owner": world.person.pk, "due_on": "2015-03-31"})
    assert task.status_code == 201 and task.json()["owner_name"] == "彭光辉"
    step = _json(client, "post", f"/api/v1/plans/{plan['id']}/steps/", {"title": "梳理制度"})
    assert step.status_code == 201 and step.json()["order"] == 1
    patched = _json(client, "patch", f"/api/v1/plan-tasks/{task.json()['id']}/", {"done": True})
    assert patched.json()["done"] is True and patched.json()["due_on"] == "2015-03-31"
    detail = client.get(f"/api/v1/plans/{plan['id']}/").json()
    assert [t["task"] for t in detail["tasks"]] == ["修订公务接待制度"]
    listed = client.get(f"/api/v1/plans/?unit={world.tree.lianyuan.pk}&campaign={world.campaign.pk}").json()
    assert [p["kind"] for p in listed["results"]] == ["institution"]


@pytest.mark.django_db
def test_api_errors_have_a_chinese_detail(client, world, office):
    plan = plan_with_parts(world, actor=office)
    duplicate = _json(client, "post", "/api/v1/plans/", {
        "unit": world.tree.lianyuan.pk, "campaign": world.campaign.pk, "kind": "rectification", "title": "又一份"})
    assert duplicate.status_code == 400 and duplicate.json()["code"] == "DUPLICATE_KIND"
    assert "已有整改方案" in duplicate.json()["detail"]
    foreign = _json(client, "patch", f"/api/v1/plans/{plan.pk}/", {"item_ids": [world.item_other_campaign.pk]})
    assert foreign.status_code == 400 and "不属于本方案的单位和活动" in foreign.json()["detail"]
    assert world.item_other_campaign.problem not in foreign.json()["detail"]
    out_of_scope = _json(client, "patch", f"/api/v1/plans/{plan.pk}/", {"item_ids": [world.item_other_unit.pk]})
    assert out_of_scope.status_code == 404 and out_of_scope.json()["detail"]
    assert list(plan.items.all()) == world.items[:2]
    missing = _json(client, "patch", "/api/v1/plan-tasks/999999/", {"done": True})
    assert missing.status_code == 404 and missing.json()["detail"]
    empty = _json(client, "post", f"/api/v1/plans/{plan.pk}/tasks/", {"task": ""})
    assert empty.status_code == 400 and "任务" in empty.json()["detail"]


@pytest.mark.django_db
def test_the_api_links_items_of_the_plans_unit_and_campaign(client, world, office):
    plan = plan_with_parts(world, actor=office)
    response = _json(client, "patch", f"/api/v1/plans/{plan.pk}/", {"item_ids": [world.items[2].pk]})
    assert response.status_code == 200 and response.json()["item_ids"] == [world.items[2].pk]
    assert plan.tasks.filter(due_on=dt.date(2015, 3, 31)).exists()


@pytest.mark.django_db
def test_picking_another_unit_shows_it_in_a_campaign_it_takes_part_in(client, world, office):
    from tests.plans.world import _campaign

    township = world.tree.qiaotouhe
    township_campaign = _campaign(township, "桥头河镇回头看")
    services.plan_create(actor=office, unit=township, campaign=township_campaign, kind=PlanKind.REPORT,
                         title="镇报告")
    # given the township's own campaign in the query
    shown = client.get(f"/plans/?unit={township.pk}&campaign={township_campaign.pk}").context
    assert shown["campaign"] == township_campaign and shown["slots"][3].plan.title == "镇报告"
    # when the county is picked with it, then the county's plans are shown in a campaign the county takes part in
    shown = client.get(f"/plans/?unit={world.tree.lianyuan.pk}&campaign={township_campaign.pk}").context
    assert shown["campaign"] in (world.campaign, world.other_campaign)
    assert township_campaign not in shown["campaigns"]
