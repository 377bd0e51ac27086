"""The 过关 pages: the campaign's units with verdicts, reasons and their 依据; the unit page's panel; recording a
述职评议考核 through the form; the 汇总's 过关 card and its API figures from the kept counts."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from huitoukan.accountability import passing_selectors, passing_services
from huitoukan.accountability.models import AppraisalResult, ReportAppraisal, UnitVerdict
from huitoukan.rollups.supervision import supervision_rows
from tests.accountability.passing_world import accept_failed, build_world, seriously_low, today
from tests.conftest import built_once


@pytest.fixture(scope="module")
def passing_world(django_db_setup, django_db_blocker, tmp_path_factory):
    with built_once(django_db_blocker, tmp_path_factory):
        yield build_world()


@pytest.fixture
def w(passing_world, db):
    return passing_world


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def failing(w):
    """桥头河镇 fails its acceptance, 六亩塘镇's satisfaction is seriously low; every verdict worked out."""
    accept_failed(w)
    seriously_low(w, w.liumutang)
    passing_services.verdicts_refresh(w.campaign)


def test_the_index_lists_the_units_with_their_verdicts_reasons_and_basis(w):
    failing(w)
    page = client_of(w.filler).get(f"/accountability/passing/?campaign={w.campaign.pk}").content.decode()
    assert "娄底市/涟源市/桥头河镇" in page and "专项整治评估验收不合格" in page and "整治乱收费乱罚款乱摊派" in page
    assert "群众满意度严重偏低" in page and 'data-basis="passing.acceptance"' in page
    assert 'data-basis="passing.satisfaction"' in page
    # the reader's scope: 涟源市 and its townships, not 娄星区
    assert "娄星区" not in page
    assert re.search(r'data-count="failed">2<', page) and re.search(r'data-count="passed">2<', page)


def test_the_failed_filter_keeps_only_the_units_not_passing(w):
    failing(w)
    page = client_of(w.filler).get(f"/accountability/passing/?campaign={w.campaign.pk}&failed=1").content.decode()
    assert "桥头河镇" in page and "六亩塘镇" in page and "七星街镇" not in page


def test_a_campaign_the_reader_does_not_see_is_404(w):
    from huitoukan.campaigns import services as campaign_services

    other = campaign_services.campaign_create(actor=None, owner_unit=w.tree.louxing, name="娄星区回头看",
                                              starts_on=dt.date(2015, 1, 1), ends_on=dt.date(2015, 6, 30))
    assert client_of(w.filler).get(f"/accountability/passing/?campaign={other.pk}").status_code == 404
    assert client_of(w.filler).get("/accountability/passing/?campaign=abc").status_code == 404


def test_the_unit_page_shows_the_verdict_worked_out_now_with_every_reason(w):
    accept_failed(w)
    page = client_of(w.filler).get(f"/units/{w.tree.qiaotouhe.pk}/").content.decode()
    assert 'id="passing"' in page and "不过关" in page and "整治乱收费乱罚款乱摊派" in page
    assert 'data-basis="passing.acceptance"' in page
    page = client_of(w.filler).get(f"/units/{w.qixing.pk}/").content.decode()
    assert 'id="passing"' in page and "不过关原因" not in page and ">过关<" in page


def test_a_filler_reads_the_failed_appraisal_as_a_reason_but_never_its_note(w):
    # given discipline staff record 七星街镇's 述职评议考核 不合格 with a note
    passing_services.appraisal_record(actor=w.discipline, campaign=w.campaign, unit=w.qixing,
                                      result=AppraisalResult.FAILED, appraised_on=today(), note="班子成员述职避重就轻")
    filler = client_of(w.filler)
    # when the unit's 填报员 (WORK_VIEW, not ACCOUNTABILITY_VIEW) reads the 过关 list and the unit page
    index = filler.get(f"/accountability/passing/?campaign={w.campaign.pk}").content.decode()
    unit_page = filler.get(f"/units/{w.qixing.pk}/").content.decode()
    # then both say 不过关 for the failed appraisal, with its date, and neither shows the note
    day = f"{today().year}年{today().month}月{today().day}日述职评议考核不合格"
    assert day in index and day in unit_page and 'data-basis="passing.appraisal"' in unit_page
    assert "班子成员述职避重就轻" not in index and "班子成员述职避重就轻" not in unit_page
    # while the appraisal list, which the filler may not read, keeps it for those who may
    assert filler.get(f"/accountability/passing/appraisals/?campaign={w.campaign.pk}").status_code == 404
    listing = client_of(w.head).get(f"/accountability/passing/appraisals/?campaign={w.campaign.pk}").content.decode()
    assert "班子成员述职避重就轻" in listing


def test_discipline_staff_record_an_appraisal_through_the_form_and_the_verdict_follows(w):
    client = client_of(w.discipline)
    assert client.get("/accountability/passing/appraisals/new/").status_code == 200
    response = client.post("/accountability/passing/appraisals/new/", {
        "campaign": w.campaign.pk, "unit": w.qixing.pk, "result": AppraisalResult.FAILED,
        "appraised_on": today().isoformat(), "note": "述职报告未联系整改实际"})
    assert response.status_code == 302
    assert not UnitVerdict.objects.get(campaign=w.campaign, unit=w.qixing).passed
    listing = client.get(response["Location"]).content.decode()
    assert "述职报告未联系整改实际" in listing and "七星街镇" in listing


def test_a_bad_date_is_named_on_the_form_and_nothing_is_recorded(w):
    response = client_of(w.discipline).post("/accountability/passing/appraisals/new/", {
        "campaign": w.campaign.pk, "unit": w.qixing.pk, "result": AppraisalResult.FAILED,
        "appraised_on": (today() + dt.timedelta(days=3)).isoformat()})
    assert response.status_code == 200 and "考核日期不能晚于今天" in response.content.decode()
    assert not ReportAppraisal.objects.exists()


def test_the_rollup_card_and_api_show_the_units_passed_and_not_passed_per_child(w):
    failing(w)
    client = client_of(w.office)
    page = client.get(f"/rollups/{w.tree.lianyuan.pk}/?campaign={w.campaign.pk}").content.decode()
    card = page.split('id="passing"')[1].split("</table>")[0]
    rows = re.findall(r"<tr><td><a [^>]*>([^<]+)</a></td>\s*<td class=\"text-end\">(\d+)</td><td[^>]*>(\d+)</td>", card)
    assert set(rows) == {("桥头河镇", "0", "1"), ("六亩塘镇", "0", "1"), ("七星街镇", "1", "0")}
    data = client.get(f"/api/v1/rollups/{w.tree.lianyuan.pk}/supervision/?campaign={w.campaign.pk}").json()
    assert data["total"]["passing"] == {"passed": 2, "failed": 2}
    assert {c["name"]: c["passing"] for c in data["children"]}["桥头河镇"] == {"passed": 0, "failed": 1}


def test_the_rollup_reads_the_passing_counts_in_its_one_query(w, django_assert_num_queries):
    failing(w)
    t = w.tree
    with django_assert_num_queries(1):
        rows, total = supervision_rows(unit=t.city, children=[t.lianyuan, t.louxing], campaign=w.campaign)
    assert rows[0].passing == {"passed": 2, "failed": 2} and total.passing["failed"] == 2


def test_the_index_reads_a_fixed_number_of_queries_whatever_the_units(w):
    client = client_of(w.filler)
    url = f"/accountability/passing/?campaign={w.campaign.pk}"
    client.get(url)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    before = queries()
    failing(w)
    assert queries() == before


def test_the_index_figures_and_its_pages_are_the_kept_counts_not_a_count_per_request(w, monkeypatch):
    failing(w)
    client = client_of(w.filler)
    url = f"/accountability/passing/?campaign={w.campaign.pk}"
    # given the kept verdicts gone behind the services' back: the kept counts (the 汇总's) still say 2 and 2
    UnitVerdict.objects.filter(campaign=w.campaign).delete()
    with CaptureQueriesContext(connection) as captured:
        page = client.get(url).content.decode()
    # then the figures are the kept counts, and nothing counted the verdicts or the units on the way
    assert re.search(r'data-count="failed">2<', page) and re.search(r'data-count="passed">2<', page)
    counting = [q["sql"] for q in captured if "COUNT(" in q["sql"].upper()
                and ("accountability_unitverdict" in q["sql"] or '"orgs_unit"' in q["sql"])]
    assert counting == []
    # and the list goes by pages of PER_PAGE, their number from the kept count of the units judged
    monkeypatch.setattr(passing_selectors, "PER_PAGE", 3)
    first, second = (client.get(f"{url}&page={n}").content.decode() for n in (1, 2))
    assert "共 4 条，第 1/2 页" in first and "七星街镇" not in first and "七星街镇" in second
    assert "共 4 条，第 2/2 页" in second and "六亩塘镇" not in second


def test_the_demo_fails_one_township_and_works_out_every_verdict(w):
    from huitoukan.accountability.passing_demo import demo_passing

    accept_failed(w)  # as the assessments demo leaves 涟源市's acceptance failed
    appraisal = demo_passing(discipline=w.discipline, campaign=w.campaign, unit=w.qixing, today=today())
    assert appraisal.result == AppraisalResult.FAILED
    judged = UnitVerdict.objects.filter(campaign=w.campaign)
    assert judged.count() == 8 and set(judged.filter(passed=False).values_list("unit__name", flat=True)) == {
        "桥头河镇", "七星街镇"}
    page = client_of(w.office).get(f"/rollups/{w.tree.lianyuan.pk}/?campaign={w.campaign.pk}").content.decode()
    assert 'id="passing"' in page and "七星街镇" in page.split('id="passing"')[1]


def test_the_appraisal_list_shows_only_the_readers_units_and_the_unit_head_reads_it(w):
    passing_services.appraisal_record(actor=w.discipline, campaign=w.campaign, unit=w.qixing,
                                      result=AppraisalResult.FAILED, appraised_on=today(), note="涟源市的考核")
    # 娄星区's discipline staff appraise 乐坪街道 in the same city campaign
    passing_services.appraisal_record(actor=w.outsider, campaign=w.campaign, unit=w.tree.leping,
                                      result=AppraisalResult.FAILED, appraised_on=today(), note="娄星区的考核")
    page = client_of(w.head).get(f"/accountability/passing/appraisals/?campaign={w.campaign.pk}").content.decode()
    assert "涟源市的考核" in page and "娄星区的考核" not in page
    # the unit head reads but records nothing: the form is refused with 403
    assert client_of(w.head).get("/accountability/passing/appraisals/new/").status_code == 403


def test_the_unit_page_has_no_verdict_panel_for_a_login_without_business_data(w):
    from huitoukan.access.models import Role
    from tests.conftest import user_create

    admin = user_create(Role.SYSTEM_ADMIN, w.tree.lianyuan, username="passing_sysadmin")
    response = client_of(admin).get(f"/units/{w.tree.qiaotouhe.pk}/")
    assert response.status_code == 200 and 'id="passing"' not in response.content.decode()
