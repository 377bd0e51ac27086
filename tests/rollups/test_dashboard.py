"""驾驶舱 (issue 15 item 5): a leader's one screen from the kept totals — the figures after known changes, the
cost that does not grow with the subtree, and the scope."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from huitoukan.access.models import Role
from huitoukan.accountability import case_tally, passing_services
from huitoukan.accountability.models import ActionKind, Case, CaseAction, CaseCause, Responsibility
from huitoukan.ledgers import services
from huitoukan.ledgers.layouts import LedgerKind
from huitoukan.ledgers.models import FourWinds
from huitoukan.notices import services as notice_services
from huitoukan.notices.escalation import escalation_run_now
from huitoukan.orgs import services as org_services
from huitoukan.orgs import totals as unit_totals
from huitoukan.rollups.dashboard import dashboard_for
from huitoukan.rollups.models import DailyFigures
from tests.ledgers.conftest import lw_build, pdf, reported

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
DAY = dt.timedelta(days=1)


@pytest.fixture
def lw(tree, make_user, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return lw_build(tree, make_user)


def _item(lw, ledger, *, due_on=None, four_winds="", leader=None):
    return services.item_create(actor=lw.office, ledger=ledger, problem="会议多", four_winds=four_winds,
                                deadline_mode="date" if due_on else "long_term", due_on=due_on,
                                lead_leaders=[leader or lw.leader_person], responsible_units=[ledger.unit])


@pytest.fixture
def township(lw):
    leader = org_services.person_create(actor=None, unit=lw.tree.qiaotouhe, name="彭光辉", is_party_leader=True)
    ledger = services.ledger_open(actor=lw.office, campaign=lw.campaign, unit=lw.tree.qiaotouhe,
                                  kind=LedgerKind.LEADERSHIP)
    return ledger, leader


def _close(lw, item):
    request = services.closing_request(actor=lw.leader, item=reported(lw, item), summary="已完成", files=[pdf()])
    services.closing_verify(actor=lw.head, request=request)


def _case_action(lw, unit, kind, person=None):
    case = Case.objects.create(campaign=lw.campaign, unit=unit, title="文山会海反弹", cause=CaseCause.RELAPSE,
                               facts="会议偏多", double_check=True, decided_on=TODAY, decider="涟源市纪委",
                               recorded_by=lw.office)
    action = CaseAction.objects.create(case=case, person=person, unit=unit, kind=kind, decided_on=TODAY,
                                       responsibility=Responsibility.LEADER if person else Responsibility.UNIT)
    case_tally.case_actions_counted(after=[action])
    return action


def _red_notice(lw, make_user, unit):
    city_office = make_user(Role.CAMPAIGN_OFFICE, lw.tree.city, username="loudi_office")
    notice_services.notice_issue(actor=city_office, addressed_unit=unit, title="关于督促整改的通知",
                                 problems="台账不完善", requirements="限期整改", answer_due_on=TODAY - 10 * DAY,
                                 today=TODAY - 20 * DAY)
    escalation_run_now(today=TODAY)


def test_the_screen_of_lianyuan_shows_the_figures_after_known_changes(lw, township, make_user, client):
    ledger, leader = township
    _item(lw, lw.ledger, due_on=TODAY - 3 * DAY, four_winds=FourWinds.FORMALISM)  # overdue
    _item(lw, lw.ledger, due_on=TODAY + 2 * DAY, four_winds=FourWinds.FORMALISM)  # due soon
    _close(lw, _item(lw, lw.ledger, due_on=TODAY - 30 * DAY, four_winds=FourWinds.HEDONISM))  # closed
    _item(lw, ledger, due_on=TODAY - DAY, leader=leader, four_winds=FourWinds.EXTRAVAGANCE)  # overdue, 桥头河镇
    _red_notice(lw, make_user, lw.tree.qiaotouhe)
    _case_action(lw, lw.tree.qiaotouhe, ActionKind.TALK, person=leader)
    DailyFigures.objects.create(unit=lw.tree.lianyuan, campaign=lw.campaign, day=TODAY - 2 * DAY, total=4, closed=0)
    passing_services.verdicts_refresh(lw.campaign, today=TODAY)  # 涟源市 and 桥头河镇 have overdue items

    board = dashboard_for(unit=lw.tree.lianyuan, campaign=lw.campaign, today=TODAY)
    f = board.figures
    assert (f.total, f.closed, f.closed_percent, f.overdue) == (4, 1, 25, 2)
    # (open, overdue) by 四风: the closed 享乐主义 item is neither; the 形式主义 one due in two days is open, not overdue
    assert {label: (n, o) for label, n, o in board.by_four_winds} == {"形式主义": (2, 1), "奢靡之风": (1, 1)}
    city = dashboard_for(unit=lw.tree.city, campaign=lw.campaign, today=TODAY)
    assert {label: (n, o) for label, n, o in city.by_four_winds} == {"形式主义": (2, 1), "奢靡之风": (1, 1)}
    children = {row.unit.name: row for row in board.children}
    assert children["桥头河镇"].light == "red" and children["桥头河镇"].notices["red"] == 1
    assert board.notices["red"] == 1 and board.notices_open == 1
    assert dict(board.accountability)["约谈提醒"] == 1 and board.actions_total == 1
    assert board.trend["rates"] == [0, 25]  # the recorded day, then today
    assert board.passing == {"passed": 0, "failed": 2}
    city = dashboard_for(unit=lw.tree.city, campaign=lw.campaign, today=TODAY)
    assert city.passing == {"passed": 4, "failed": 2}  # 娄星区, 乐坪街道, 市教育局 and 娄底市 itself pass
    assert [(light, n) for light, _label, n in city.light_counts if n] == [("red", 1), ("none", 2)]

    client.force_login(lw.head)
    page = client.get(f"/rollups/dashboard/?unit={lw.tree.lianyuan.pk}&campaign={lw.campaign.pk}").content.decode()
    assert "驾驶舱 · 涟源市" in page
    for figure, shown in (("total", "4"), ("closed", "1"), ("rate", "25%"), ("overdue", "2")):
        assert f'data-figure="{figure}">{shown}<' in page
    assert 'data-notices="red" class="text-danger">1<' in page and 'data-action="约谈提醒">1<' in page
    assert 'data-figure="failed">2<' in page
    assert f'href="/rollups/dashboard/?unit={lw.tree.qiaotouhe.pk}&amp;campaign={lw.campaign.pk}"' in page
    assert 'id="dashboard-trend"' in page and 'id="dashboard-four-winds"' in page

    # Drilling down: 桥头河镇's own screen, with the way back up.
    below = client.get(f"/rollups/dashboard/?unit={lw.tree.qiaotouhe.pk}&campaign={lw.campaign.pk}").content.decode()
    assert 'data-figure="total">1<' in below and 'data-action="约谈提醒">1<' in below
    assert f'href="/rollups/dashboard/?unit={lw.tree.lianyuan.pk}&amp;campaign={lw.campaign.pk}"' in below

    # The office reads no case: of the actions it counts only the public kinds (通报批评, 公开曝光).
    client.force_login(lw.office)
    office_page = client.get(f"/rollups/dashboard/?unit={lw.tree.lianyuan.pk}&campaign={lw.campaign.pk}").content.decode()
    assert 'data-action="约谈提醒"' not in office_page and 'data-action="通报批评">0<' in office_page
    assert "其他处理方式由主要负责同志和纪检、组织部门查看" in office_page


def test_the_accountability_counts_follow_an_edit_and_equal_a_recount(lw, township):
    ledger, leader = township
    action = _case_action(lw, lw.tree.qiaotouhe, ActionKind.TALK, person=leader)
    _case_action(lw, lw.tree.lianyuan, ActionKind.CIRCULATE)
    before = case_tally.counted_as(action)
    action.kind = ActionKind.ADMONISH
    action.save()
    case_tally.case_actions_counted(before=[before], after=[action])

    board = dict(dashboard_for(unit=lw.tree.lianyuan, campaign=lw.campaign, today=TODAY).accountability)
    assert (board["约谈提醒"], board["诫勉批评"], board["通报批评"]) == (0, 1, 1)
    assert dict(dashboard_for(unit=lw.tree.city, campaign=lw.campaign, today=TODAY).accountability)["诫勉批评"] == 1
    kept = unit_totals.work_kept(case_tally.ACCOUNTABILITY_TOPIC)
    assert +kept == unit_totals.work_recount(case_tally.case_actions_own())

    case_tally.case_actions_counted(before=[action])  # removed
    action.delete()
    assert +unit_totals.work_kept(case_tally.ACCOUNTABILITY_TOPIC) == unit_totals.work_recount(
        case_tally.case_actions_own())


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_screen_costs_the_same_queries_for_a_small_and_a_large_subtree(lw, township, make_user, client):
    ledger, leader = township
    client.force_login(lw.office)
    url = f"/rollups/dashboard/?unit={lw.tree.lianyuan.pk}&campaign={lw.campaign.pk}"
    _item(lw, lw.ledger)
    _queries(client, url)  # the first request of a session also writes the session's start
    small = _queries(client, url)
    for day in range(12):  # more items, under more units and dates; notices, actions, recorded days
        _item(lw, ledger, due_on=TODAY + (day - 6) * DAY, leader=leader, four_winds=FourWinds.FORMALISM)
        _item(lw, lw.ledger, due_on=TODAY + day * DAY, four_winds=FourWinds.EXTRAVAGANCE)
        DailyFigures.objects.create(unit=lw.tree.lianyuan, campaign=lw.campaign, day=TODAY - (day + 1) * DAY,
                                    total=day, closed=0)
    for kind in (ActionKind.TALK, ActionKind.SANCTION):
        _case_action(lw, lw.tree.qiaotouhe, kind, person=leader)
    _red_notice(lw, make_user, lw.tree.qiaotouhe)
    passing_services.verdicts_refresh(lw.campaign, today=TODAY)
    for name in ("杨市镇", "七星街镇", "蓝田街道"):
        org_services.unit_create(actor=None, parent=lw.tree.lianyuan, name=name, level="township",
                                 kind="party_committee")
    assert _queries(client, url) == small


def test_out_of_scope_units_and_foreign_campaigns_answer_404_and_the_default_is_the_readers_unit(
        lw, client, make_user):
    client.force_login(lw.office)
    assert client.get(f"/rollups/dashboard/?unit={lw.tree.louxing.pk}").status_code == 404
    assert client.get(f"/rollups/dashboard/?unit={lw.tree.city.pk}").status_code == 404  # above the reader
    assert client.get("/rollups/dashboard/?unit=abc").status_code == 404
    assert client.get(f"/rollups/dashboard/?unit={lw.tree.lianyuan.pk}&campaign=999999").status_code == 404
    page = client.get("/rollups/dashboard/")
    assert page.status_code == 200 and page.context["unit"] == lw.tree.lianyuan
    client.force_login(make_user(Role.SYSTEM_ADMIN, lw.tree.city))
    assert client.get("/rollups/dashboard/").status_code == 404  # the 三员 read no business data
    assert client.get(f"/rollups/dashboard/?unit={lw.tree.city.pk}").status_code == 404


def test_the_children_s_rows_escape_a_unit_s_name_as_the_template_did():
    """The rows made in Python (rollups.markup) escape what a unit's manager typed, as the template did."""
    import types

    from huitoukan.orgs.models import Unit
    from huitoukan.rollups.dashboard import ChildRow
    from huitoukan.rollups.markup import dashboard_child_rows
    from huitoukan.rollups.selectors import Figures

    named = Unit(pk=7, name='<img src=x onerror="alert(1)">&镇', abolished_on=dt.date(2015, 1, 1))
    html = dashboard_child_rows([ChildRow(named, Figures(total=3, closed=1, overdue=1), {"red": 2})],
                                types.SimpleNamespace(pk=5))
    assert "<img" not in html and "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;&amp;镇" in html
    assert 'href="/rollups/dashboard/?unit=7&amp;campaign=5"' in html and "已撤销" in html
    assert 'title="已逾期"' in html and '<td class="text-end text-danger fw-bold">2</td>' in html
