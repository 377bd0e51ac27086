"""The 责任追究 pages: they render for discipline staff and unit heads, refuse everyone else (404), record a case
with 一案双查 from the form (pre-filled from a suggestion), and show its chain, documents and history."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django.test import Client
from django.utils import timezone

from huitoukan.accountability import case_selectors
from huitoukan.accountability.models import ActionKind, Case, CaseCause, CaseState, Responsibility
from tests.accountability.case_world import build_case_world, pdf, relapse_case
from tests.conftest import built_once

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def case_world(django_db_setup, django_db_blocker, tmp_path_factory):
    with built_once(django_db_blocker, tmp_path_factory):
        yield build_case_world()


@pytest.fixture
def w(case_world, db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return case_world


def _as(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _form(w, **extra) -> dict:
    today = timezone.localdate().isoformat()
    data = {"title": "涟源市文山会海反弹", "cause": CaseCause.RELAPSE, "double_check": "on", "facts": "会议数量反弹。",
            "decided_on": today, "decider": "中共娄底市纪委", "campaign": w.campaign.pk, "items": [w.relapsed.pk],
            "findings": [w.finding.pk], "notices": [w.notice.pk],
            "actions-TOTAL_FORMS": "3", "actions-INITIAL_FORMS": "0", "actions-MIN_NUM_FORMS": "0",
            "actions-MAX_NUM_FORMS": "30",
            "actions-0-person": w.cadre.pk, "actions-0-responsibility": Responsibility.DIRECT,
            "actions-0-kind": ActionKind.CIRCULATE, "actions-0-decided_on": today,
            "actions-1-person": w.leader_person.pk, "actions-1-responsibility": Responsibility.LEADER,
            "actions-1-kind": ActionKind.ADMONISH, "actions-1-decided_on": today}
    data.update(extra)
    return data


def test_discipline_records_a_double_check_case_from_the_form(w):
    client = _as(w.discipline)
    url = f"/accountability/cases/new/?unit={w.tree.lianyuan.pk}"
    assert client.get(url).status_code == 200
    response = client.post(url, {**_form(w), "files": pdf()})
    assert response.status_code == 302, response.content.decode()[:3000]
    case = Case.objects.get(title="涟源市文山会海反弹")
    assert case.actions.count() == 2 and case.documents.count() == 1 and case.campaign == w.campaign
    page = client.get(f"/accountability/cases/{case.pk}/").content.decode()
    for words in ("李明", "吴海波", "一案双查", "问题链条", "处理决定.pdf", "登记责任追究", "case_discipline"):
        assert words in page


def test_the_form_names_what_double_check_lacks(w):
    client = _as(w.discipline)
    data = _form(w, **{"actions-1-person": "", "actions-1-responsibility": "", "actions-1-kind": "",
                       "actions-1-decided_on": ""})
    response = client.post(f"/accountability/cases/new/?unit={w.tree.lianyuan.pk}", data)
    assert response.status_code == 200
    assert "缺少相关领导责任的处理措施" in response.content.decode()
    assert not Case.objects.filter(title="涟源市文山会海反弹").exists()


def test_a_person_of_another_unit_is_not_a_choice(w):
    data = _form(w, **{"actions-0-person": w.outsider_person.pk})
    response = _as(w.discipline).post(f"/accountability/cases/new/?unit={w.tree.lianyuan.pk}", data)
    assert response.status_code == 200 and "责任人不是本单位或下级单位的人员" in response.content.decode()


def test_a_suggestion_prefills_the_new_case(w):
    client = _as(w.discipline)
    page = client.get("/accountability/cases/suggestions/").content.decode()
    assert "约谈提醒" in page and "逾期未销号事项≥3项" in page and "立案" in page and "依据" in page
    query = (f"unit={w.tree.lianyuan.pk}&cause=relapse&double_check=1&items={w.relapsed.pk}&title=反弹"
             f"&action=direct:circulate:&action=leader:admonish:{w.leader_person.pk}")
    form = client.get(f"/accountability/cases/new/?{query}").content.decode()
    assert "吴海波" in form and 'value="反弹"' in form and "actions-1-kind" in form


def test_the_head_reads_but_does_not_record_and_others_get_404(w):
    case = relapse_case(w)
    head = _as(w.head)
    assert head.get("/accountability/cases/").status_code == 200
    assert head.get(f"/accountability/cases/{case.pk}/").status_code == 200
    assert head.get("/accountability/cases/suggestions/").status_code == 200
    assert head.get(f"/accountability/cases/{case.pk}/edit/").status_code == 403
    assert head.post(f"/accountability/cases/{case.pk}/conclude/").status_code == 403
    assert _as(w.louxing_head).get(f"/accountability/cases/{case.pk}/").status_code == 404
    office = _as(w.office)
    assert office.get("/accountability/cases/").status_code == 404
    assert office.get(f"/accountability/cases/{case.pk}/").status_code == 404


def test_edit_add_remove_upload_download_and_conclude(w):
    case = relapse_case(w)
    client = _as(w.discipline)
    today = timezone.localdate().isoformat()
    response = client.post(f"/accountability/cases/{case.pk}/edit/", {
        "title": "改后的案由", "cause": CaseCause.RELAPSE, "double_check": "on", "facts": "改", "decided_on": today,
        "decider": "市纪委", "items": [w.relapsed.pk]})
    assert response.status_code == 302
    response = client.post(f"/accountability/cases/{case.pk}/actions/", {
        "person": w.head_person.pk, "responsibility": Responsibility.LEADER, "kind": ActionKind.TALK,
        "decided_on": today, "note": "约谈"})
    assert response.status_code == 302
    added = case.actions.get(person=w.head_person)
    assert client.post(f"/accountability/cases/actions/{added.pk}/remove/").status_code == 302
    assert not case.actions.filter(pk=added.pk).exists()
    assert client.post(f"/accountability/cases/{case.pk}/documents/", {"files": pdf("决定书.pdf")}).status_code == 302
    document = case.documents.get()
    response = client.get(f"/accountability/cases/documents/{document.pk}/")
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")
    assert _as(w.office).get(f"/accountability/cases/documents/{document.pk}/").status_code == 404
    assert client.post(f"/accountability/cases/{case.pk}/conclude/").status_code == 302
    case.refresh_from_db()
    assert case.state == CaseState.CONCLUDED and case.title == "改后的案由"
    page = client.get(f"/accountability/cases/{case.pk}/").content.decode()
    assert "添加处理措施：张卫国" in page and "删除处理措施：张卫国" in page and "办结" in page


def test_the_list_searches_by_cause_and_kind(w):
    relapse_case(w)
    client = _as(w.discipline)
    assert "涟源市文山会海问题反弹" in client.get("/accountability/cases/?cause=relapse&kind=admonish").content.decode()
    assert "涟源市文山会海问题反弹" not in client.get("/accountability/cases/?cause=slack").content.decode()
    assert client.get("/accountability/cases/new/").status_code == 200  # the unit step


def test_the_unit_filter_offers_only_units_of_the_readers_scope(w):
    # Given the head of 娄星区, who reads 娄星区's cases and not 涟源市's
    client = _as(w.louxing_head)
    # When they filter by 涟源市's id, then the page says nothing of 涟源市 (the picker renders no name for it)
    response = client.get(f"/accountability/cases/?unit={w.tree.lianyuan.pk}")
    assert response.status_code == 200
    page = response.content.decode()
    assert "涟源市" not in page and w.tree.lianyuan.full_name not in page
    # …while their own unit is chosen and shown
    own = client.get(f"/accountability/cases/?unit={w.tree.louxing.pk}").content.decode()
    assert f'value="{w.tree.louxing.pk}" selected' in own and w.tree.louxing.full_name in own


def test_an_untouched_extra_row_of_actions_is_skipped(w):
    # The browser sends every row: the extra ones with their blank selects and dates.
    blank = {f"actions-2-{name}": "" for name in ("person", "responsibility", "kind", "decided_on", "note")}
    response = _as(w.discipline).post(f"/accountability/cases/new/?unit={w.tree.lianyuan.pk}", _form(w, **blank))
    assert response.status_code == 302
    assert Case.objects.get(title="涟源市文山会海反弹").actions.count() == 2


def test_the_item_and_finding_pages_show_the_cases_citing_them_to_case_readers(w):
    case = relapse_case(w)
    for client in (_as(w.discipline), _as(w.head)):
        for url in (f"/ledgers/items/{w.relapsed.pk}/", f"/supervision/findings/{w.finding.pk}/"):
            page = client.get(url).content.decode()
            assert 'id="citing-cases"' in page and f"/accountability/cases/{case.pk}/" in page
    office_page = _as(w.office).get(f"/ledgers/items/{w.relapsed.pk}/").content.decode()
    assert 'id="citing-cases"' not in office_page


class _MarksInPhrasing(HTMLParser):
    """Counts the 依据 marks (<details class="basis">) opened inside a <p>, <label> or <summary>."""

    def __init__(self):
        super().__init__()
        self.open: list[str] = []
        self.marks = self.misplaced = 0

    def handle_starttag(self, tag, attrs):
        if tag == "details" and "basis" in (dict(attrs).get("class") or ""):
            self.marks += 1
            self.misplaced += any(t in ("p", "label", "summary") for t in self.open)
        if tag in ("p", "label", "summary"):
            self.open.append(tag)

    def handle_endtag(self, tag):
        if tag in self.open:
            del self.open[len(self.open) - 1 - self.open[::-1].index(tag)]


def test_the_basis_marks_of_the_new_case_form_stand_outside_paragraphs_and_labels(w):
    page = _as(w.discipline).get(f"/accountability/cases/new/?unit={w.tree.lianyuan.pk}").content.decode()
    parser = _MarksInPhrasing()
    parser.feed(page)
    assert parser.marks >= 2 and parser.misplaced == 0
    # 处理日期 may be left blank: it takes the case's 决定日期.
    assert "留空则同决定日期" in page and 'name="actions-0-decided_on" required' not in page


def test_a_blank_action_date_on_the_form_takes_the_decision_date(w):
    data = _form(w, **{"actions-0-decided_on": ""})
    response = _as(w.discipline).post(f"/accountability/cases/new/?unit={w.tree.lianyuan.pk}", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    case = Case.objects.get(title="涟源市文山会海反弹")
    assert {a.decided_on for a in case.actions.all()} == {case.decided_on}


def test_the_chain_marks_what_the_case_cites_as_linked_and_the_rest_as_linkable(w):
    # given a case citing the relapsed item and a letter, not the finding about the item nor its notice
    case = relapse_case(w, findings=[], notices=[])
    page = _as(w.discipline).get(f"/accountability/cases/{case.pk}/").content.decode()
    chain = page[page.index("问题链条"):page.index("材料")]
    # then the finding and its notice are reached from the item, marked 可关联, as are the other letters about
    # it; the letter cited is 已关联
    row = case_selectors.case_chain(case, w.discipline).rows[0]
    reached = [*row.findings, *row.notices, *row.opinions]
    assert [(f.obj, f.linked) for f in row.findings] == [(w.finding, False)]
    assert [(n.obj, n.linked) for n in row.notices] == [(w.notice, False)]
    assert f'{w.notice.title[:20]}' in chain
    assert chain.count('data-link="linkable"') == sum(not r.linked for r in reached) >= 2
    assert chain.count('data-link="linked"') == sum(r.linked for r in reached) == 1
