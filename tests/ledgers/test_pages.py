"""The ledger screens: the attachment's table, filters, adding items, progress, closing, and 404 out of scope."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from huitoukan.access.models import Role
from huitoukan.ledgers import services
from huitoukan.ledgers.evidence import evidence_root
from huitoukan.ledgers.layouts import LAYOUTS, LedgerKind
from huitoukan.ledgers.models import (
    ClosingRequest,
    ClosingState,
    DeadlineMode,
    FourWinds,
    Item,
    ItemStatus,
    Ledger,
    ProgressEntry,
    TaskTier,
)
from huitoukan.orgs import services as org_services
from tests.ledgers.conftest import PDF, pdf, reported

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture
def lw(lw_shared):
    # Every test here uses the ledger world: it is built once for the module (tests/ledgers/conftest.py).
    return lw_shared


def make_item(lw, ledger=None, **overrides):
    params = dict(
        actor=lw.office, ledger=ledger or lw.ledger, problem="文山会海问题突出", measures="精简会议文件，压缩发文数量30%",
        four_winds=FourWinds.FORMALISM, deadline_mode=DeadlineMode.DATE, due_on=TODAY + dt.timedelta(days=30),
        lead_leaders=[lw.leader_person], responsible_units=[lw.tree.qiaotouhe],
    )
    params.update(overrides)
    return services.item_create(**params)


def logged_in(client, user):
    client.force_login(user)
    return client


def headings(html: str) -> list[str]:
    return [re.sub(r"<[^>]+>", "", h).strip() for h in re.findall(r'<th data-col="[^"]+"[^>]*>(.*?)</th>', html, re.S)]


def row_ids(html: str) -> list[int]:
    return [int(i) for i in re.findall(r'<tr id="item-(\d+)"', html)]


def ledger_of(lw, kind):
    person = lw.leader_person if kind == LedgerKind.PERSONAL else None
    return services.ledger_open(actor=lw.office, campaign=lw.campaign, unit=lw.tree.lianyuan, kind=kind,
                                person=person)


# --- the ledger as the attachment's table --------------------------------------------------------------------


@pytest.mark.parametrize("kind", list(LedgerKind))
def test_each_ledger_shows_its_attachment_headings_in_order_and_the_latest_progress(lw, client, kind):
    # given a ledger of this kind with an item reported on twice
    ledger = ledger_of(lw, kind)
    extra = {"category": "作风建设"} if kind == LedgerKind.INSTITUTION else {}
    if kind == LedgerKind.PERSONAL:
        item = make_item(lw, ledger=ledger, lead_leaders=[], responsible_units=[])
    else:
        item = make_item(lw, ledger=ledger, **extra)
    services.progress_add(actor=lw.leader, item=item, progress="已压缩会议12个", next_steps="继续压缩",
                          reported_on=TODAY - dt.timedelta(days=5))
    services.progress_add(actor=lw.leader, item=item, progress="发文数量下降35%", next_steps="建立长效机制",
                          strict_execution="每月通报", reported_on=TODAY)

    # when the office opens it
    html = logged_in(client, lw.office).get(f"/ledgers/{ledger.pk}/").content.decode()

    # then the table has the attachment's headings, in order, under its label and title (附件2, which
    # prints no deadline, shows the items' 整改时限 after the measures on screen)
    layout = LAYOUTS[kind]
    expected = list(layout.headings)
    if kind == LedgerKind.PERSONAL:
        expected.insert(expected.index("具体整改措施") + 1, "整改时限")
    assert headings(html) == expected
    assert layout.attachment in html and layout.title in html
    for field in layout.header_fields:
        assert f"{field}：" in html
    # and the progress columns show the newest entry only
    assert "发文数量下降35%" in html and "建立长效机制" in html
    assert "已压缩会议12个" not in html
    assert layout.notes in html
    if kind == LedgerKind.INSTITUTION:
        assert "每月通报" in html and "作风建设" in html


def test_a_personal_ledger_heads_with_the_persons_name_and_post(lw, client):
    ledger = ledger_of(lw, LedgerKind.PERSONAL)
    html = logged_in(client, lw.office).get(f"/ledgers/{ledger.pk}/").content.decode()
    assert "姓名：吴海波" in html and "职务：市委常委、组织部长" in html


def test_rows_carry_status_tags_and_lights(lw, client):
    overdue = make_item(lw, problem="逾期未改", due_on=TODAY - dt.timedelta(days=3))
    soon = make_item(lw, problem="临近截止", due_on=TODAY + dt.timedelta(days=2))
    html = logged_in(client, lw.office).get(f"/ledgers/{lw.ledger.pk}/").content.decode()
    rows = {int(i): body for i, body in re.findall(r'<tr id="item-(\d+)"(.*?)</tr>', html, re.S)}
    assert "light-red" in rows[overdue.pk] and "逾期3天" in rows[overdue.pk] and "未启动" in rows[overdue.pk]
    assert "light-amber" in rows[soon.pk]


def test_filters_overdue_status_and_lead_leader(lw, client):
    late = make_item(lw, problem="逾期未改", due_on=TODAY - dt.timedelta(days=3))
    shared = make_item(lw, problem="两位领导共同负责", lead_leaders=[lw.leader_person, lw.other_leader])
    other = make_item(lw, problem="罗建华牵头", lead_leaders=[lw.other_leader], due_on=TODAY + dt.timedelta(days=60))
    services.progress_add(actor=lw.other, item=other, progress="已启动", status_after=ItemStatus.BASICALLY_DONE)
    client = logged_in(client, lw.office)
    url = f"/ledgers/{lw.ledger.pk}/"

    assert row_ids(client.get(url, {"overdue": "on"}).content.decode()) == [late.pk]
    assert row_ids(client.get(url, {"status": ItemStatus.BASICALLY_DONE}).content.decode()) == [other.pk]
    assert row_ids(client.get(url, {"lead_leader": lw.other_leader.pk}).content.decode()) == [shared.pk, other.pk]
    assert row_ids(client.get(url, {"q": "共同"}).content.decode()) == [shared.pk]
    assert row_ids(client.get(url, {"order": "-due_on"}).content.decode())[0] == other.pk
    # a leader who leads nothing here is not a choice: the filter is ignored rather than leaking
    assert len(row_ids(client.get(url, {"lead_leader": 999999}).content.decode())) == 3


def test_the_ledger_page_reads_as_many_queries_for_5_items_as_for_60(lw, client):
    # given the page read with 5 items and with 60 (more than its 50 rows), each item with two leaders, two
    # units and progress, some overdue, some done, one with a closing request pending: every filter too
    urls = [f"/ledgers/{lw.ledger.pk}/", f"/ledgers/{lw.ledger.pk}/?lead_leader={lw.other_leader.pk}",
            f"/ledgers/{lw.ledger.pk}/?responsible_unit={lw.tree.shishi.pk}",
            f"/ledgers/{lw.ledger.pk}/?status={ItemStatus.IN_PROGRESS}&overdue=on&order=-due_on"]

    def queries_for(n):
        for i in range(n - Item.objects.filter(ledger=lw.ledger).count()):
            item = make_item(lw, problem=f"问题{i}", lead_leaders=[lw.leader_person, lw.other_leader],
                             responsible_units=[lw.tree.qiaotouhe, lw.tree.shishi],
                             due_on=TODAY + dt.timedelta(days=i % 7 * 10 - 20))
            services.progress_add(actor=lw.leader, item=item, progress=f"进展{i}",
                                  status_after=ItemStatus.BASICALLY_DONE if i % 3 else ItemStatus.IN_PROGRESS)
            if i == 1:
                services.closing_request(actor=lw.leader, item=item, summary="已整改", files=[pdf("done.pdf")])
        c = logged_in(client, lw.office)
        c.get(urls[0])  # warm the session
        counts = []
        for url in urls:
            with CaptureQueriesContext(connection) as ctx:
                response = c.get(url)
            assert response.status_code == 200
            counts.append(len(ctx.captured_queries))
        # when no filter is set, the page shows up to 50 rows
        assert len(row_ids(c.get(urls[0]).content.decode())) == min(n, 50)
        return counts

    # when it is read at both sizes, then each page reads as many queries at 60 items as at 5
    few, many = queries_for(5), queries_for(60)
    assert few == many and max(few) < 20, (few, many)


def test_the_toolbar_links_the_exports_and_the_import(lw, client):
    html = logged_in(client, lw.office).get(f"/ledgers/{lw.ledger.pk}/").content.decode()
    assert f"/ledgers/{lw.ledger.pk}/export/?format=xlsx" in html and "format=docx" in html
    assert f"/ledgers/import/?ledger={lw.ledger.pk}" in html
    leader = logged_in(client.__class__(), lw.leader).get(f"/ledgers/{lw.ledger.pk}/").content.decode()
    assert "format=xlsx" in leader and "/ledgers/import/" not in leader


# --- adding and editing items --------------------------------------------------------------------------------


def item_post(lw, **overrides):
    data = {
        "problem": "调研走过场", "measures": "建立调研成果转化机制", "four_winds": FourWinds.FORMALISM,
        "subject": "team", "problem_level": "work", "handling": "within_deadline", "source": "public_opinion",
        "deadline_mode": DeadlineMode.DATE, "due_on": "2015-03-31", "review_on": "",
        "lead_leaders": [lw.leader_person.pk, lw.other_leader.pk], "responsible_units": [lw.tree.qiaotouhe.pk],
    }
    data.update(overrides)
    return data


def test_the_office_adds_an_item_through_the_page(lw, client):
    client = logged_in(client, lw.office)
    form = client.get(f"/ledgers/{lw.ledger.pk}/items/new/").content.decode()
    assert "突出问题" in form and "具体整改措施" in form and "data-remote" in form

    response = client.post(f"/ledgers/{lw.ledger.pk}/items/new/", item_post(lw))

    item = Item.objects.get(ledger=lw.ledger)
    assert response.status_code == 302 and response.url.endswith(f"#item-{item.pk}")
    assert item.problem == "调研走过场" and item.due_on == dt.date(2015, 3, 31)
    assert set(item.lead_leaders.all()) == {lw.leader_person, lw.other_leader}
    assert "调研走过场" in client.get(f"/ledgers/{lw.ledger.pk}/").content.decode()


def test_htmx_save_returns_the_new_row_for_the_table(lw, client):
    client = logged_in(client, lw.office)
    fragment = client.get(f"/ledgers/{lw.ledger.pk}/items/new/", HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in fragment and 'hx-post="' in fragment

    response = client.post(f"/ledgers/{lw.ledger.pk}/items/new/", item_post(lw), HTTP_HX_REQUEST="true")

    html = response.content.decode()
    item = Item.objects.get(ledger=lw.ledger)
    assert response.status_code == 200 and "已新增第1项" in html
    assert 'hx-swap-oob="beforeend:#item-rows"' in html and f'<tr id="item-{item.pk}"' in html
    assert "<template><tbody" in html  # rows parse only inside a template


def test_htmx_edit_swaps_the_row_back(lw, client):
    item = make_item(lw)
    client = logged_in(client, lw.office)
    fragment = client.get(f"/ledgers/items/{item.pk}/edit/", HTTP_HX_REQUEST="true").content.decode()
    assert "文山会海问题突出" in fragment

    response = client.post(f"/ledgers/items/{item.pk}/edit/", item_post(lw, problem="文山会海仍较突出"),
                           HTTP_HX_REQUEST="true")

    assert f'<tr id="item-{item.pk}" hx-swap-oob="true"' in response.content.decode()
    assert Item.objects.get(pk=item.pk).problem == "文山会海仍较突出"


def test_a_service_error_is_shown_in_the_form(lw, client):
    response = logged_in(client, lw.office).post(f"/ledgers/{lw.ledger.pk}/items/new/",
                                                  item_post(lw, due_on=""))
    assert response.status_code == 200
    assert "时限类型为“限期”时须填写整改时限日期。" in response.content.decode()
    assert not Item.objects.exists()


def test_a_leader_outside_the_ledgers_unit_is_not_a_choice(lw, client):
    outsider = org_services.person_create(actor=None, unit=lw.tree.louxing, name="贺军", is_party_leader=True)
    response = logged_in(client, lw.office).post(f"/ledgers/{lw.ledger.pk}/items/new/",
                                                  item_post(lw, lead_leaders=[outsider.pk]))
    assert response.status_code == 200 and not Item.objects.exists()


def test_each_kind_labels_the_form_with_its_own_headings(lw, client):
    services.special_task_create(actor=None, tier=TaskTier.CENTRAL, name="整治“文山会海”", order=1)
    client = logged_in(client, lw.office)
    special = client.get(f"/ledgers/{ledger_of(lw, LedgerKind.SPECIAL).pk}/items/new/").content.decode()
    assert "项目" in special and "任务目标" in special and "整治“文山会海”" in special
    institution = client.get(f"/ledgers/{ledger_of(lw, LedgerKind.INSTITUTION).pk}/items/new/").content.decode()
    assert "制度名称" in institution and "废/改/立" in institution and "完成时限" in institution
    personal = client.get(f"/ledgers/{ledger_of(lw, LedgerKind.PERSONAL).pk}/items/new/").content.decode()
    assert "“四风”方面突出问题" in personal and 'name="lead_leaders"' not in personal


def test_a_special_item_takes_its_tasks_name(lw, client):
    task = services.special_task_create(actor=None, tier=TaskTier.CENTRAL, name="整治“文山会海”", order=1)
    ledger = ledger_of(lw, LedgerKind.SPECIAL)
    logged_in(client, lw.office).post(f"/ledgers/{ledger.pk}/items/new/",
                                      item_post(lw, problem="", special_task=task.pk))
    assert Item.objects.get(ledger=ledger).problem == "整治“文山会海”"


def test_a_responsible_leader_cannot_add_items(lw, client):
    client = logged_in(client, lw.leader)
    assert client.get(f"/ledgers/{lw.ledger.pk}/items/new/").status_code == 403
    assert client.post(f"/ledgers/{lw.ledger.pk}/items/new/", item_post(lw)).status_code == 403
    assert "新增事项" not in client.get(f"/ledgers/{lw.ledger.pk}/").content.decode()


# --- progress, evidence, closing --------------------------------------------------------------------------


def test_a_lead_leader_reports_with_a_file_and_the_item_page_links_it(lw, client, make_user):
    item = make_item(lw)
    client = logged_in(client, lw.leader)

    response = client.post(f"/ledgers/items/{item.pk}/progress/", {
        "progress": "已压缩会议12个", "next_steps": "继续压缩", "status_after": ItemStatus.IN_PROGRESS,
        "reported_on": "2015-01-20", "files": [pdf("会议台账.pdf"), pdf("发文统计.pdf", PDF + b"%2")],
    })

    assert response.status_code == 302
    entry = ProgressEntry.objects.get(item=item)
    assert entry.leader == lw.leader_person and not entry.by_office
    page = client.get(f"/ledgers/items/{item.pk}/").content.decode()
    assert "已压缩会议12个" in page and "会议台账.pdf" in page and "发文统计.pdf" in page
    evidence = entry.evidence.get(original_name="会议台账.pdf")
    assert f'href="/ledgers/evidence/{evidence.pk}/"' in page
    download = client.get(f"/ledgers/evidence/{evidence.pk}/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert "attachment" in download["Content-Disposition"]

    outsider = logged_in(client.__class__(), make_user(Role.CAMPAIGN_OFFICE, lw.tree.louxing))
    assert outsider.get(f"/ledgers/evidence/{evidence.pk}/").status_code == 404


def test_a_refused_progress_form_leaves_none_of_its_files_on_disk(lw, client):
    # given a lead leader's report with one good file and one that is not what its name says
    item = make_item(lw)
    client = logged_in(client, lw.leader)

    # when the form is sent
    response = client.post(f"/ledgers/items/{item.pk}/progress/", {
        "progress": "已压缩会议12个", "status_after": ItemStatus.IN_PROGRESS, "reported_on": "2015-01-20",
        "files": [pdf("会议台账.pdf"), pdf("病毒.pdf", b"MZ not a pdf")],
    })

    # then the form is refused with the bad file named, and the good file was not kept either
    assert response.status_code == 200 and "病毒.pdf" in response.content.decode()
    assert not ProgressEntry.objects.exists()
    assert not [p for p in evidence_root().rglob("*") if p.is_file()]


def test_the_offices_entry_for_a_leader_is_marked_daitian(lw, client):
    item = make_item(lw)
    client = logged_in(client, lw.office)
    form = client.get(f"/ledgers/items/{item.pk}/").content.decode()
    assert 'name="leader"' in form

    client.post(f"/ledgers/items/{item.pk}/progress/", {
        "leader": lw.leader_person.pk, "progress": "活动办汇总录入", "status_after": ItemStatus.IN_PROGRESS,
        "reported_on": "2015-01-21",
    })

    entry = ProgressEntry.objects.get(item=item)
    assert entry.by_office and entry.leader == lw.leader_person and entry.author == lw.office
    assert "代填" in client.get(f"/ledgers/items/{item.pk}/").content.decode()
    assert "代填" in client.get(f"/ledgers/{lw.ledger.pk}/").content.decode()


def test_a_leader_who_does_not_lead_the_item_cannot_report_on_it(lw, client):
    item = make_item(lw, lead_leaders=[lw.leader_person])
    client = logged_in(client, lw.other)
    assert "提交进展" not in client.get(f"/ledgers/items/{item.pk}/").content.decode()
    response = client.post(f"/ledgers/items/{item.pk}/progress/", {"progress": "冒名填报",
                                                                   "status_after": "in_progress",
                                                                   "reported_on": "2015-01-21"})
    assert response.status_code == 403 and not ProgressEntry.objects.exists()


def test_closing_asked_by_the_leader_and_verified_by_the_head(lw, client):
    item = reported(lw, make_item(lw))
    leader = logged_in(client, lw.leader)
    response = leader.post(f"/ledgers/items/{item.pk}/closing/", {"summary": "会议数量下降40%",
                                                                  "files": [pdf("验收.pdf")]})
    assert response.status_code == 302
    request = ClosingRequest.objects.get(item=item)
    assert request.state == ClosingState.PENDING

    head = logged_in(client.__class__(), lw.head)
    page = head.get(f"/ledgers/items/{item.pk}/").content.decode()
    assert "会议数量下降40%" in page and "核验销号" in page and "验收.pdf" in page
    response = head.post(f"/ledgers/closings/{request.pk}/decide/", {"decision": "verify", "note": "材料齐全"})

    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == ItemStatus.CLOSED
    page = head.get(f"/ledgers/items/{item.pk}/").content.decode()
    assert "已核验销号" in page and "材料齐全" in page
    assert "反弹" in page  # a closed item can now be reopened as relapsed


def test_returning_a_closing_needs_a_reason(lw, client):
    item = make_item(lw)
    request = services.closing_request(actor=lw.leader, item=reported(lw, item), summary="已完成", files=[pdf()])
    head = logged_in(client, lw.head)
    response = head.post(f"/ledgers/closings/{request.pk}/decide/", {"decision": "return", "note": ""})
    assert response.status_code == 200 and "请填写理由。" in response.content.decode()
    head.post(f"/ledgers/closings/{request.pk}/decide/", {"decision": "return", "note": "佐证不足"})
    assert ClosingRequest.objects.get(pk=request.pk).state == ClosingState.RETURNED


def test_a_responsible_leader_cannot_verify_a_closing(lw, client):
    item = make_item(lw, lead_leaders=[lw.leader_person, lw.other_leader])
    request = services.closing_request(actor=lw.leader, item=reported(lw, item), summary="已完成", files=[pdf()])
    other = logged_in(client, lw.other)
    assert 'value="verify"' not in other.get(f"/ledgers/items/{item.pk}/").content.decode()
    response = other.post(f"/ledgers/closings/{request.pk}/decide/", {"decision": "verify"})
    assert response.status_code == 403
    assert ClosingRequest.objects.get(pk=request.pk).state == ClosingState.PENDING


def test_send_back_and_relapse_through_the_page(lw, client):
    item = make_item(lw)
    request = services.closing_request(actor=lw.leader, item=reported(lw, item), summary="已完成", files=[pdf()])
    services.closing_verify(actor=lw.head, request=request)
    office = logged_in(client, lw.office)

    office.post(f"/ledgers/items/{item.pk}/relapse/", {"reason": "群众反映会议又增多"})
    item.refresh_from_db()
    assert item.status == ItemStatus.RELAPSED

    office.post(f"/ledgers/items/{item.pk}/send-back/", {"reason": "整改不彻底", "due_on": "2015-04-30"})
    item.refresh_from_db()
    assert item.status == ItemStatus.SENT_BACK and item.due_on == dt.date(2015, 4, 30)
    page = office.get(f"/ledgers/items/{item.pk}/").content.decode()
    assert "群众反映会议又增多" in page and "整改不彻底" in page
    assert page.index("整改不彻底") < page.index("群众反映会议又增多")  # newest first


def test_relapse_of_an_open_item_is_refused_in_the_form(lw, client):
    item = make_item(lw)
    response = logged_in(client, lw.office).post(f"/ledgers/items/{item.pk}/relapse/", {"reason": "反弹"})
    assert response.status_code == 200 and "只有已销号的事项才能标记为反弹。" in response.content.decode()


# --- who sees what -------------------------------------------------------------------------------------------


def test_out_of_scope_users_get_404_on_every_ledger_page(lw, client, make_user):
    item = make_item(lw)
    services.progress_add(actor=lw.leader, item=item, progress="进展", files=[pdf()])
    request = services.closing_request(actor=lw.leader, item=reported(lw, item), summary="已完成")
    evidence = item.evidence.first()
    client = logged_in(client, make_user(Role.CAMPAIGN_OFFICE, lw.tree.louxing))
    gets = [f"/ledgers/?unit={lw.tree.lianyuan.pk}", f"/ledgers/tree/?node={lw.tree.lianyuan.pk}",
            f"/ledgers/{lw.ledger.pk}/", f"/ledgers/{lw.ledger.pk}/items/new/", f"/ledgers/items/{item.pk}/",
            f"/ledgers/items/{item.pk}/edit/", f"/ledgers/evidence/{evidence.pk}/"]
    for url in gets:
        assert client.get(url).status_code == 404, url
    posts = {
        f"/ledgers/{lw.ledger.pk}/items/new/": item_post(lw),
        f"/ledgers/items/{item.pk}/progress/": {"progress": "x", "status_after": "in_progress",
                                                "reported_on": "2015-01-01", "leader": lw.leader_person.pk},
        f"/ledgers/items/{item.pk}/send-back/": {"reason": "x"},
        f"/ledgers/closings/{request.pk}/decide/": {"decision": "verify"},
        "/ledgers/open/": {"campaign": lw.campaign.pk, "unit": lw.tree.lianyuan.pk, "kind": "special"},
    }
    for url, data in posts.items():
        assert client.post(url, data).status_code == 404, url
    assert Item.objects.get(pk=item.pk).status != ItemStatus.SENT_BACK
    assert not Ledger.objects.filter(kind=LedgerKind.SPECIAL).exists()


def test_the_ledger_list_shows_the_units_ledgers_with_counts_and_opens_a_new_one(lw, client):
    late = make_item(lw, due_on=TODAY - dt.timedelta(days=1))
    make_item(lw)
    services.progress_add(actor=lw.leader, item=late, progress="进展")
    client = logged_in(client, lw.office)

    html = client.get("/ledgers/", {"campaign": lw.campaign.pk, "unit": lw.tree.lianyuan.pk}).content.decode()

    for kind in LedgerKind:
        assert LAYOUTS[kind].title in html
    assert "整改中 1" in html and "未启动 1" in html and "逾期 1" in html
    assert "为党员领导干部建立个人台账" in html
    response = client.post("/ledgers/open/", {"campaign": lw.campaign.pk, "unit": lw.tree.lianyuan.pk,
                                              "kind": LedgerKind.SPECIAL})
    special = Ledger.objects.get(kind=LedgerKind.SPECIAL)
    assert response.status_code == 302 and response.url == f"/ledgers/{special.pk}/"
    client.post("/ledgers/open/", {"campaign": lw.campaign.pk, "unit": lw.tree.lianyuan.pk,
                                   "kind": LedgerKind.PERSONAL, "person": lw.leader_person.pk})
    assert Ledger.objects.get(kind=LedgerKind.PERSONAL).person == lw.leader_person


def test_a_leader_reads_but_cannot_open_ledgers(lw, client):
    client = logged_in(client, lw.leader)
    html = client.get("/ledgers/", {"campaign": lw.campaign.pk, "unit": lw.tree.lianyuan.pk}).content.decode()
    assert LAYOUTS[LedgerKind.LEADERSHIP].title in html and "新建台账" not in html
    assert client.post("/ledgers/open/", {"campaign": lw.campaign.pk, "unit": lw.tree.lianyuan.pk,
                                          "kind": LedgerKind.SPECIAL}).status_code == 403


def test_my_items_lists_what_the_leader_leads_with_a_report_link(lw, client):
    mine = make_item(lw, problem="我牵头的问题", due_on=TODAY - dt.timedelta(days=2))
    make_item(lw, problem="别人牵头的问题", lead_leaders=[lw.other_leader])
    html = logged_in(client, lw.leader).get("/ledgers/my-items/").content.decode()
    assert "我牵头的问题" in html and "别人牵头的问题" not in html
    assert "light-red" in html and f"/ledgers/items/{mine.pk}/#progress" in html


def test_the_home_page_lists_what_waits_for_each_user(lw, client):
    item = make_item(lw, problem="会议过多", due_on=TODAY - dt.timedelta(days=2))
    services.closing_request(actor=lw.leader, item=reported(lw, item), summary="已完成", files=[pdf()])

    head = logged_in(client, lw.head).get("/").content.decode()
    assert "待核验的销号申请" in head and "会议过多" in head
    leader = logged_in(client.__class__(), lw.leader).get("/").content.decode()
    assert "我牵头的事项" in leader and "light-red" in leader and "待核验的销号申请" not in leader
    office = logged_in(client.__class__(), lw.office).get("/").content.decode()
    assert "逾期事项" in office and re.search(r'text-danger">1<', office)
