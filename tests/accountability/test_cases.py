"""责任追究: the rules of a case (一案双查, people of the unit's subtree, what it cites), its state table, its
history with the actor, and who reads it (the unit's head and above; 404 to everyone else)."""

from __future__ import annotations

import pytest
from django.http import Http404
from django.utils import timezone

from huitoukan.access.policy import Denied, Forbidden
from huitoukan.accountability import case_selectors, case_services
from huitoukan.accountability.case_errors import CaseError, CaseErrorCode
from huitoukan.accountability.models import (
    ActionKind,
    Case,
    CaseAction,
    CaseCause,
    CaseState,
    Responsibility,
)
from tests.accountability.case_world import build_case_world, pdf, relapse_case
from tests.conftest import built_once

pytestmark = pytest.mark.django_db
E = CaseErrorCode


@pytest.fixture(scope="module")
def case_world(django_db_setup, django_db_blocker, tmp_path_factory):
    with built_once(django_db_blocker, tmp_path_factory):
        yield build_case_world()


@pytest.fixture
def w(case_world, db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return case_world


def _code(excinfo) -> CaseErrorCode:
    return excinfo.value.code


def _today():
    return timezone.localdate()


# --- 一案双查 -------------------------------------------------------------------------------------------------------

def test_a_relapse_case_with_both_people_is_recorded_with_its_actions_and_links(w):
    case = relapse_case(w)
    assert case.double_check and case.state == CaseState.OPEN
    assert {(a.person.name, a.responsibility) for a in case.actions.all()} == {
        ("李明", Responsibility.DIRECT), ("吴海波", Responsibility.LEADER)}
    # The person's own unit is kept on the action (李明 is of 桥头河镇, below the case's 涟源市).
    assert case.actions.get(person=w.cadre).unit == w.tree.qiaotouhe
    assert list(case.items.all()) == [w.relapsed] and list(case.notices.all()) == [w.notice]


def test_double_check_without_the_person_directly_responsible_is_refused_naming_it(w):
    today = _today()
    with pytest.raises(CaseError) as e:
        relapse_case(w, actions=[(w.leader_person, Responsibility.LEADER, ActionKind.ADMONISH, today, "")])
    assert _code(e) == E.DOUBLE_CHECK_DIRECT and "当事人责任" in e.value.message
    assert not Case.objects.filter(title="涟源市文山会海问题反弹").exists()


def test_double_check_without_the_leader_responsible_is_refused_naming_it(w):
    with pytest.raises(CaseError) as e:
        relapse_case(w, actions=[(w.cadre, Responsibility.DIRECT, ActionKind.CIRCULATE, _today(), "")])
    assert _code(e) == E.DOUBLE_CHECK_LEADER and "相关领导责任" in e.value.message


def test_double_check_on_one_person_twice_is_refused(w):
    today = _today()
    with pytest.raises(CaseError) as e:
        relapse_case(w, actions=[(w.cadre, Responsibility.DIRECT, ActionKind.CIRCULATE, today, ""),
                                 (w.cadre, Responsibility.LEADER, ActionKind.ADMONISH, today, "")])
    assert _code(e) == E.DOUBLE_CHECK_SAME_PERSON


def test_a_relapse_cause_needs_double_check_even_when_the_box_is_not_ticked(w):
    with pytest.raises(CaseError) as e:
        relapse_case(w, double_check=False,
                     actions=[(w.cadre, Responsibility.DIRECT, ActionKind.CIRCULATE, _today(), "")])
    assert _code(e) == E.DOUBLE_CHECK_LEADER
    case = relapse_case(w, double_check=False)
    assert case.double_check  # kept as 一案双查


def test_defiance_needs_double_check_too(w):
    with pytest.raises(CaseError) as e:
        relapse_case(w, cause=CaseCause.DEFIANCE, double_check=False, actions=[])
    assert _code(e) == E.DOUBLE_CHECK_DIRECT


def test_a_slack_case_without_double_check_may_name_one_person(w):
    case = relapse_case(w, cause=CaseCause.SLACK, double_check=False, items=[w.overdue[0]], findings=[],
                        notices=[], opinions=[],
                        actions=[(w.head_person, Responsibility.LEADER, ActionKind.TALK, _today(), "约谈")])
    assert not case.double_check and case.actions.count() == 1


def test_an_action_without_a_date_takes_the_cases_decision_date(w):
    decided = _today().replace(day=1)
    case = relapse_case(w, cause=CaseCause.SLACK, double_check=False, decided_on=decided,
                        actions=[(w.head_person, Responsibility.LEADER, ActionKind.TALK, None, "约谈")])
    assert case.actions.get().decided_on == decided
    added = case_services.case_action_add(actor=w.discipline, case=case, person=w.cadre,
                                          responsibility=Responsibility.DIRECT, kind=ActionKind.TALK, decided_on=None)
    assert added.decided_on == decided


# --- people and what the case cites ---------------------------------------------------------------------------

def test_a_person_of_another_unit_is_refused_naming_them(w):
    today = _today()
    with pytest.raises(CaseError) as e:
        relapse_case(w, actions=[(w.outsider_person, Responsibility.DIRECT, ActionKind.CIRCULATE, today, ""),
                                 (w.leader_person, Responsibility.LEADER, ActionKind.ADMONISH, today, "")])
    assert _code(e) == E.PERSON_OTHER_UNIT and "王强" in e.value.message


def test_a_unit_action_names_no_person_and_a_personal_one_needs_one(w):
    today = _today()
    with pytest.raises(CaseError) as e:
        relapse_case(w, cause=CaseCause.SLACK, double_check=False,
                     actions=[(w.head_person, Responsibility.UNIT, ActionKind.REORGANISE, today, "")])
    assert _code(e) == E.UNIT_ACTION_NO_PERSON
    with pytest.raises(CaseError) as e:
        relapse_case(w, cause=CaseCause.SLACK, double_check=False,
                     actions=[(None, Responsibility.DIRECT, ActionKind.TALK, today, "")])
    assert _code(e) == E.PERSON_REQUIRED
    case = relapse_case(w, cause=CaseCause.SLACK, double_check=False,
                        actions=[(None, Responsibility.UNIT, ActionKind.REORGANISE, today, "组织整顿")])
    action = case.actions.get()
    assert action.person is None and action.unit == w.tree.lianyuan


def test_a_finding_of_another_unit_is_refused(w):
    with pytest.raises(CaseError) as e:
        relapse_case(w, findings=[w.louxing_finding])
    assert _code(e) == E.LINK_OTHER_UNIT


def test_a_campaign_of_a_unit_not_above_the_case_unit_is_refused_naming_it(w):
    # Given a campaign of 娄星区 (a sibling of 涟源市, not above it) and one of 涟源市 itself
    from huitoukan.campaigns import services as campaign_services

    today = _today()
    louxing = campaign_services.campaign_create(actor=None, owner_unit=w.tree.louxing, name="娄星区回头看",
                                                starts_on=today, ends_on=today)
    own = campaign_services.campaign_create(actor=None, owner_unit=w.tree.lianyuan, name="涟源市回头看",
                                            starts_on=today, ends_on=today)
    # When a case of 涟源市 names 娄星区's campaign, then it is refused with a message naming the 活动, and nothing kept
    with pytest.raises(CaseError) as e:
        relapse_case(w, campaign=louxing)
    assert _code(e) == E.CAMPAIGN_OTHER_UNIT and "活动" in e.value.message and "娄星区回头看" in e.value.message
    assert not Case.objects.filter(title="涟源市文山会海问题反弹").exists()
    # …and one of 涟源市 itself (as of the city above it) is taken
    assert relapse_case(w, campaign=own).campaign == own
    assert relapse_case(w).campaign == w.campaign


def test_what_the_actor_may_not_read_is_refused_as_absent(w):
    # 涟源市's head reads its notices but records no case; a recorder over 娄星区 alone cannot cite 涟源市's item.
    from huitoukan.access.models import Role
    from tests.conftest import user_create

    louxing_discipline = user_create(Role.DISCIPLINE, w.tree.louxing, username="case_louxing_discipline")
    with pytest.raises(Denied):
        relapse_case(w, actor=louxing_discipline, unit=w.tree.louxing, items=[w.relapsed], findings=[], notices=[],
                     opinions=[], cause=CaseCause.SLACK, double_check=False, actions=[])


def test_required_fields_are_named(w):
    with pytest.raises(CaseError) as e:
        relapse_case(w, title="  ")
    assert _code(e) == E.TITLE_REQUIRED
    with pytest.raises(CaseError) as e:
        relapse_case(w, decider="")
    assert _code(e) == E.DECIDER_REQUIRED


def test_only_discipline_records_a_head_gets_403_an_office_404(w):
    with pytest.raises(Forbidden):
        relapse_case(w, actor=w.head)
    with pytest.raises(Denied):
        relapse_case(w, actor=w.office)


# --- the state table, actions, documents, history ------------------------------------------------------------

def test_removing_the_only_leader_action_of_a_double_check_case_is_refused(w):
    case = relapse_case(w)
    leader_action = case.actions.get(responsibility=Responsibility.LEADER)
    with pytest.raises(CaseError) as e:
        case_services.case_action_remove(actor=w.discipline, action=leader_action)
    assert _code(e) == E.DOUBLE_CHECK_LEADER
    case_services.case_action_add(actor=w.discipline, case=case, person=w.head_person,
                                  responsibility=Responsibility.LEADER, kind=ActionKind.TALK, decided_on=_today())
    case_services.case_action_remove(actor=w.discipline, action=leader_action)
    assert not CaseAction.objects.filter(pk=leader_action.pk).exists()


def test_the_kept_counts_of_actions_follow_record_add_and_remove_and_equal_a_recount(w):
    from collections import Counter

    from huitoukan.accountability import case_tally
    from huitoukan.orgs import totals

    def kept():
        return +Counter(totals.work_kept(case_tally.ACCOUNTABILITY_TOPIC))

    case = relapse_case(w)
    added = case_services.case_action_add(actor=w.discipline, case=case, person=w.head_person,
                                          responsibility=Responsibility.LEADER, kind=ActionKind.TALK,
                                          decided_on=_today())
    at_city = kept()[(w.tree.city.pk, w.campaign.pk, case_tally.ACCOUNTABILITY_TOPIC, ActionKind.TALK)]
    assert at_city == 1 and kept() == totals.work_recount(case_tally.case_actions_own())
    case_services.case_action_remove(actor=w.discipline, action=added)
    assert kept() == totals.work_recount(case_tally.case_actions_own())
    assert (w.tree.city.pk, w.campaign.pk, case_tally.ACCOUNTABILITY_TOPIC, ActionKind.TALK) not in kept()


def test_a_concluded_case_takes_no_more_actions_nor_edits_but_documents(w):
    case = case_services.case_conclude(actor=w.discipline, case=relapse_case(w))
    assert case.state == CaseState.CONCLUDED
    with pytest.raises(CaseError) as e:
        case_services.case_action_add(actor=w.discipline, case=case, person=w.head_person,
                                      responsibility=Responsibility.LEADER, kind=ActionKind.TALK, decided_on=_today())
    assert _code(e) == E.WRONG_STATE
    with pytest.raises(CaseError):
        case_services.case_conclude(actor=w.discipline, case=case)
    with pytest.raises(CaseError):
        case_services.case_update(actor=w.discipline, case=case, title="x", cause=case.cause, facts="x",
                                  double_check=True, decided_on=_today(), decider="x")
    rows = case_services.case_documents_add(actor=w.discipline, case=case, files=[pdf()])
    assert rows[0].original_name == "处理决定.pdf"


def test_an_update_keeps_double_check_and_checks_links(w):
    case = relapse_case(w)
    with pytest.raises(CaseError) as e:
        case_services.case_update(actor=w.discipline, case=case, title="改", cause=case.cause, facts="改",
                                  double_check=True, decided_on=_today(), decider="市纪委",
                                  findings=[w.louxing_finding])
    assert _code(e) == E.LINK_OTHER_UNIT
    case_services.case_update(actor=w.discipline, case=case, title="改后的案由", cause=case.cause, facts="改",
                              double_check=False, decided_on=_today(), decider="市纪委", items=[w.relapsed])
    case.refresh_from_db()
    assert case.title == "改后的案由" and case.double_check  # a relapse stays 一案双查
    assert list(case.findings.all()) == []


def test_history_names_the_actor_of_every_step(w):
    case = relapse_case(w, files=[pdf()])
    case_services.case_conclude(actor=w.discipline, case=case)
    events = case_selectors.timeline(case)
    assert [e.text for e in events] == ["登记责任追究", "办结"]
    assert all("case_discipline" in e.who for e in events)
    action = case.actions.first()
    assert action.history.first().history_user == w.discipline
    assert case.documents.get().uploaded_by == w.discipline


# --- who reads ------------------------------------------------------------------------------------------------

def test_the_head_of_lianyuan_reads_its_cases_not_louxings(w):
    lianyuan = relapse_case(w)
    louxing = relapse_case(w, unit=w.tree.louxing, cause=CaseCause.SLACK, double_check=False, items=[], findings=[],
                           notices=[], opinions=[],
                           actions=[(w.outsider_person, Responsibility.LEADER, ActionKind.TALK, _today(), "")])
    assert list(case_selectors.cases_for(user=w.head)) == [lianyuan]
    assert case_selectors.case_get_for(user=w.head, pk=lianyuan.pk) == lianyuan
    with pytest.raises(Http404):
        case_selectors.case_get_for(user=w.head, pk=louxing.pk)
    with pytest.raises(Http404):
        case_selectors.case_get_for(user=w.office, pk=lianyuan.pk)
    assert set(case_selectors.cases_for(user=w.discipline)) == {lianyuan, louxing}


def test_filters_by_cause_year_kind_and_person(w):
    case = relapse_case(w)
    F = case_selectors.CaseFilters
    assert list(case_selectors.cases_for(user=w.discipline, filters=F(cause=CaseCause.RELAPSE))) == [case]
    assert not case_selectors.cases_for(user=w.discipline, filters=F(cause=CaseCause.SLACK)).exists()
    assert list(case_selectors.cases_for(user=w.discipline, filters=F(kind=ActionKind.ADMONISH))) == [case]
    assert not case_selectors.cases_for(user=w.discipline, filters=F(kind=ActionKind.SANCTION)).exists()
    assert not case_selectors.cases_for(user=w.discipline, filters=F(year=_today().year - 1)).exists()
    assert list(case_selectors.cases_for(user=w.discipline, filters=F(q="吴海波"))) == [case]
    assert not case_selectors.cases_for(user=w.discipline, filters=F(unit=w.tree.louxing)).exists()


def test_actions_of_a_person_and_of_a_subtree_in_a_year(w):
    relapse_case(w)
    year = _today().year
    assert [a.kind for a in case_selectors.actions_of_person(w.leader_person, year)] == [ActionKind.ADMONISH]
    assert not case_selectors.actions_of_person(w.leader_person, year - 1).exists()
    assert {a.person for a in case_selectors.actions_in(w.tree.qiaotouhe, year)} == {w.cadre}
    assert case_selectors.actions_in(w.tree.lianyuan, year).count() == 2
    assert not case_selectors.actions_in(w.tree.louxing, year).exists()


def test_the_cases_citing_an_item_finding_notice_or_opinion_and_the_chain(w):
    case = relapse_case(w, findings=[], notices=[])
    for obj in (w.relapsed, w.opinions[0]):
        assert list(case_selectors.cases_citing(obj, w.discipline)) == [case]
    assert not case_selectors.cases_citing(w.finding, w.discipline).exists()
    assert not case_selectors.cases_citing(w.relapsed, w.louxing_head).exists()
    chain = case_selectors.case_chain(case, w.discipline)
    row = chain.rows[0]
    # 一案双查 is a query: from the item the case cites, the finding about it and the finding's notice follow.
    assert row.item.obj == w.relapsed
    assert [(f.obj, f.linked) for f in row.findings] == [(w.finding, False)]
    assert [(n.obj, n.linked) for n in row.notices] == [(w.notice, False)]
    assert (w.opinions[0], True) in [(o.obj, o.linked) for o in row.opinions]
    # The head reads no letters: the opinion the case cites is counted, not shown.
    head_chain = case_selectors.case_chain(case, w.head)
    assert head_chain.rows[0].opinions == [] and head_chain.hidden_opinions == 1
