"""纪实评价: a supervision group's members keep a record per leading body and per leader of their assigned units
while it is 记录中 (with history), send them to the 组织部 (all of the campaign's drafts, or those chosen) and they
are frozen then; the 组织部 (discipline staff) reads the sent ones of its scope and is notified; drafts stay the
group's own."""

from __future__ import annotations

import io

import pytest
from django.utils.timezone import localtime
from openpyxl import load_workbook

from huitoukan.access.policy import Denied, Forbidden
from huitoukan.accountability import annual, annual_services
from huitoukan.accountability.annual_demo import demo_annual
from huitoukan.accountability.annual_services import AnnualError
from huitoukan.accountability.models import (
    Commendation,
    DocumentaryEvaluation,
    EvaluationRating,
    EvaluationState,
)
from huitoukan.notifications.models import Notification
from huitoukan.orgs.models import Person
from tests.accountability.annual_world import build_world, today, year
from tests.conftest import built_once


@pytest.fixture(scope="module")
def evaluation_world(django_db_setup, django_db_blocker, tmp_path_factory):
    with built_once(django_db_blocker, tmp_path_factory):
        yield build_world()


@pytest.fixture
def w(evaluation_world, db):
    return evaluation_world


def keep(w, *, unit=None, person=None, rating=EvaluationRating.GOOD, actor=None, record="按时召开专题民主生活会"):
    return annual_services.evaluation_save(actor=actor or w.supervisor, campaign=w.campaign,
                                           unit=unit or w.tree.lianyuan, person=person, record=record, rating=rating)


def test_a_member_keeps_a_record_of_a_leading_body_and_edits_it_with_history(w):
    made = keep(w, rating="")
    assert (made.group, made.state, made.person) == (w.group, EvaluationState.DRAFT, None)
    annual_services.evaluation_save(actor=w.supervisor, evaluation=made, record="班子整改抓得紧", rating="fairly_good")
    made.refresh_from_db()
    assert made.rating == EvaluationRating.FAIRLY_GOOD
    assert [h.history_user for h in made.history.all()] == [w.supervisor, w.supervisor]


def test_a_record_of_a_leader_must_name_a_party_leader_of_that_unit(w):
    keep(w, person=w.leader)
    with pytest.raises(AnnualError) as refused:
        keep(w, unit=w.units["桥头河镇"], person=w.leader)
    assert "吴海波" in refused.value.message
    with pytest.raises(AnnualError):
        keep(w, person=w.leader)  # one record per leader and campaign


def test_only_supervisors_of_a_group_assigned_the_unit_keep_records(w):
    with pytest.raises(Forbidden):  # discipline reads 纪实评价, writes none
        keep(w, actor=w.discipline)
    with pytest.raises(Denied):
        keep(w, unit=w.tree.louxing)


def test_drafts_are_the_groups_own_and_the_sent_ones_reach_the_organisation_department(w):
    draft = keep(w)
    assert draft in annual.evaluations_for(user=w.supervisor)
    assert draft not in annual.evaluations_for(user=w.other_supervisor)
    assert draft not in annual.evaluations_for(user=w.discipline)
    with pytest.raises(Denied):
        annual.evaluation_get_for(user=w.discipline, pk=draft.pk)
    annual_services.evaluations_send(actor=w.supervisor, campaign=w.campaign)
    assert annual.evaluation_get_for(user=w.discipline, pk=draft.pk).state == EvaluationState.SENT
    with pytest.raises(Denied):
        annual.evaluation_get_for(user=w.louxing_discipline, pk=draft.pk)
    assert Notification.objects.filter(recipient=w.discipline, kind="evaluation").count() == 1
    assert not Notification.objects.filter(recipient=w.louxing_discipline, kind="evaluation").exists()


def test_a_sent_record_is_frozen(w):
    made = keep(w)
    sent = annual_services.evaluations_send(actor=w.supervisor, campaign=w.campaign)
    assert sent == [made]
    made.refresh_from_db()
    assert (made.state, made.sent_by) == (EvaluationState.SENT, w.supervisor) and made.sent_at is not None
    with pytest.raises(AnnualError) as refused:
        annual_services.evaluation_save(actor=w.supervisor, evaluation=made, record="改", rating="poor")
    assert "已报送组织部" in refused.value.message
    with pytest.raises(AnnualError):  # nothing left to send
        annual_services.evaluations_send(actor=w.supervisor, campaign=w.campaign)
    with pytest.raises(AnnualError):  # sent twice
        annual_services.evaluations_send(actor=w.supervisor, campaign=w.campaign, evaluations=[made])


def test_an_edit_of_a_copy_read_before_the_record_was_sent_is_refused_and_the_record_stays_sent(w):
    made = keep(w, record="初稿")
    stale = DocumentaryEvaluation.objects.get(pk=made.pk)  # read by the edit page while still a draft
    annual_services.evaluations_send(actor=w.supervisor, campaign=w.campaign)
    with pytest.raises(AnnualError) as refused:
        annual_services.evaluation_save(actor=w.supervisor, evaluation=stale, record="改", rating="poor")
    assert "已报送组织部" in refused.value.message
    made.refresh_from_db()
    assert (made.state, made.sent_by, made.record, made.rating) == (
        EvaluationState.SENT, w.supervisor, "初稿", EvaluationRating.GOOD)
    assert made.sent_at is not None


def test_sending_the_chosen_ones_leaves_the_rest_in_draft(w):
    first, second = keep(w), keep(w, person=w.leader)
    annual_services.evaluations_send(actor=w.supervisor, campaign=w.campaign, evaluations=[second])
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.state, second.state) == (EvaluationState.DRAFT, EvaluationState.SENT)


def test_sending_is_all_or_nothing_and_asks_for_a_rating(w):
    rated, unrated = keep(w), keep(w, person=w.leader, rating="")
    with pytest.raises(AnnualError) as refused:
        annual_services.evaluations_send(actor=w.supervisor, campaign=w.campaign)
    assert "吴海波" in refused.value.message
    assert set(DocumentaryEvaluation.objects.filter(pk__in=[rated.pk, unrated.pk]).values_list("state", flat=True)) \
        == {EvaluationState.DRAFT}


def test_another_groups_drafts_cannot_be_sent(w):
    draft = keep(w)
    with pytest.raises(AnnualError):
        annual_services.evaluations_send(actor=w.other_supervisor, campaign=w.campaign, evaluations=[draft])
    with pytest.raises(AnnualError):
        annual_services.evaluations_send(actor=w.other_supervisor, campaign=w.campaign)
    draft.refresh_from_db()
    assert draft.state == EvaluationState.DRAFT


def ratings_seen_by(w, reader) -> dict:
    found = annual.year_summary(unit=w.tree.lianyuan, year=w.campaign.starts_on.year, reader=reader)
    return {r.person.name: r.rating for r in found.leaders}


def test_the_sent_rating_shows_in_the_leaders_year_to_the_organisation_department(w):
    keep(w, person=w.leader, rating=EvaluationRating.AVERAGE)
    assert ratings_seen_by(w, w.discipline)["吴海波"] == ""  # a draft is not yet the 组织部's
    annual_services.evaluations_send(actor=w.supervisor, campaign=w.campaign)
    assert ratings_seen_by(w, w.discipline)["吴海波"] == "一般"


def test_a_unit_head_does_not_get_the_ratings_of_the_units_leaders(w):
    keep(w, person=w.leader, rating=EvaluationRating.POOR)
    annual_services.evaluations_send(actor=w.supervisor, campaign=w.campaign)
    assert ratings_seen_by(w, w.head)["吴海波"] == ""
    assert ratings_seen_by(w, None)["吴海波"] == ""  # no reader, no ratings
    assert annual.year_summary(unit=w.tree.lianyuan, year=w.campaign.starts_on.year, reader=w.head).ratings is False


def _leaders_table(page: str) -> str:
    start = page.index('data-table="leaders"')
    return page[start:page.index("</table>", start)]


def _leaders_sheet(client, w) -> list[list]:
    response = client.get(f"/accountability/annual/export/?unit={w.tree.lianyuan.pk}&year={w.campaign.starts_on.year}")
    assert response.status_code == 200
    return [[c.value for c in row] for row in load_workbook(io.BytesIO(response.content))["领导干部"].iter_rows()]


def test_the_year_page_and_export_show_a_head_no_rating_and_discipline_every_rating(client, w):
    keep(w, person=w.leader, rating=EvaluationRating.POOR)
    annual_services.evaluations_send(actor=w.supervisor, campaign=w.campaign)
    query = f"?unit={w.tree.lianyuan.pk}&year={w.campaign.starts_on.year}"
    client.force_login(w.head)
    page = client.get(f"/accountability/annual/{query}").content.decode()
    assert "吴海波" in _leaders_table(page)
    assert "差" not in _leaders_table(page) and "纪实评价" not in page
    assert "纪实评价" not in client.get(f"/accountability/annual/candidates/{query}").content.decode()
    rows = _leaders_sheet(client, w)
    assert "纪实评价等次" not in rows[0] and not any("差" in str(v) for row in rows for v in row if v)
    client.force_login(w.discipline)
    page = client.get(f"/accountability/annual/{query}").content.decode()
    assert "纪实评价" in _leaders_table(page) and "<td>差</td>" in _leaders_table(page)
    rows = _leaders_sheet(client, w)
    assert rows[0][-1] == "纪实评价等次"
    assert {row[0]: row[-1] for row in rows[1:]}["吴海波"] == "差"


# --- pages -----------------------------------------------------------------------------------------------------


def test_the_pages_keep_and_send_and_then_refuse_the_edit(client, w):
    client.force_login(w.supervisor)
    response = client.post("/accountability/annual/evaluations/new/", {
        "campaign": w.campaign.pk, "unit": w.units["桥头河镇"].pk, "person": "", "record": "整改有力", "rating": "good"})
    assert response.status_code == 302
    made = DocumentaryEvaluation.objects.get(unit=w.units["桥头河镇"])
    assert client.get(f"/accountability/annual/evaluations/{made.pk}/edit/").status_code == 200
    response = client.post("/accountability/annual/evaluations/send/", {"campaign": w.campaign.pk,
                                                                        "evaluation": [made.pk]})
    assert response.status_code == 302
    assert client.get(f"/accountability/annual/evaluations/{made.pk}/edit/").status_code == 403
    assert "已报送组织部" in client.get(f"/accountability/annual/evaluations/{made.pk}/").content.decode()
    client.force_login(w.discipline)
    page = client.get(f"/accountability/annual/evaluations/?campaign={w.campaign.pk}").content.decode()
    assert f'data-evaluation="{made.pk}"' in page


def test_the_record_page_names_the_record_and_its_writer_in_local_time_to_the_minute(client, w):
    # Given a supervisor login that is 王督导's, who keeps and then sends a record of 李明
    Person.objects.create(unit=w.tree.lianyuan, name="王督导", user=w.supervisor)
    made = keep(w, person=w.direct)
    annual_services.evaluation_save(actor=w.supervisor, evaluation=made, record="整改有力", rating="good")
    annual_services.evaluations_send(actor=w.supervisor, campaign=w.campaign, evaluations=[made])
    made.refresh_from_db()
    # When the record's page is read
    client.force_login(w.supervisor)
    page = client.get(f"/accountability/annual/evaluations/{made.pk}/").content.decode()
    # Then it is titled by whose record it is, names people not logins, and shows local times to the minute
    assert f"涟源市·李明的纪实评价（{w.campaign.name}）" in page and f"纪实评价 #{made.pk}" not in page
    assert "王督导（annual_supervisor）" in page
    assert localtime(made.sent_at).strftime("%Y-%m-%d %H:%M") in page
    assert "+00:00" not in page and str(made.sent_at) not in page
    assert "记录时间" not in page


def test_the_praise_list_names_who_recorded_it(client, w):
    Person.objects.create(unit=w.tree.lianyuan, name="纪委干部", user=w.discipline)
    client.force_login(w.discipline)
    page = client.get(f"/accountability/annual/commendations/?unit={w.tree.lianyuan.pk}&year={year()}")
    assert "纪委干部（annual_discipline）" in page.content.decode()


def test_the_list_opens_on_the_campaign_so_the_group_can_send_without_choosing_it(client, w):
    # Given a draft of the only campaign
    made = keep(w)
    client.force_login(w.supervisor)
    # When the list is opened without choosing a campaign, then it is on that campaign and offers to send
    response = client.get("/accountability/annual/evaluations/")
    page = response.content.decode()
    assert response.context["campaign"] == w.campaign
    assert f'name="campaign" value="{w.campaign.pk}"' in page and "报送组织部</button>" in page
    assert f'name="evaluation" value="{made.pk}"' in page
    # and 全部活动, chosen on purpose, still lists every campaign's records without the send button
    everything = client.get("/accountability/annual/evaluations/?campaign=")
    assert everything.context["campaign"] is None and "报送组织部</button>" not in everything.content.decode()


def test_a_bad_record_is_named_on_the_form(client, w):
    client.force_login(w.supervisor)
    response = client.post("/accountability/annual/evaluations/new/", {
        "campaign": w.campaign.pk, "unit": w.units["桥头河镇"].pk, "person": w.leader.pk, "record": "x",
        "rating": "good"})
    assert response.status_code == 400 and "领导干部" in response.content.decode()
    assert not DocumentaryEvaluation.objects.exists()


def test_the_demo_commends_only_a_child_that_may_be_listed(w):
    # Given 七星街镇 (its head admonished this year) asked for, then the first eligible child is commended instead
    demo_annual(discipline=w.discipline, supervisor=w.supervisor, campaign=w.campaign, unit=w.tree.lianyuan,
                today=today(), commended=w.units["七星街镇"])
    assert [c.unit.name for c in Commendation.objects.filter(reason__startswith="整改工作抓得紧")] == ["桥头河镇"]


def test_the_demo_commends_a_child_and_keeps_two_evaluations_one_sent_once(w):
    for _run in range(2):
        demo_annual(discipline=w.discipline, supervisor=w.supervisor, campaign=w.campaign, unit=w.tree.lianyuan,
                    today=w.campaign.starts_on)
    assert Commendation.objects.filter(reason__startswith="整改工作抓得紧").count() == 1
    states = sorted(DocumentaryEvaluation.objects.filter(unit=w.tree.lianyuan).values_list("state", flat=True))
    assert states == [EvaluationState.DRAFT, EvaluationState.SENT]


def test_ids_out_of_scope_in_the_body_answer_404_and_change_nothing(client, w):
    outsider = Person.objects.create(unit=w.tree.louxing, name="外区领导", is_party_leader=True)
    client.force_login(w.supervisor)
    form = {"campaign": w.campaign.pk, "unit": w.tree.lianyuan.pk, "person": outsider.pk, "record": "x",
            "rating": "good"}
    assert client.post("/accountability/annual/evaluations/new/", form).status_code == 404
    client.force_login(w.discipline)
    praise = {"year": w.campaign.starts_on.year, "unit": w.tree.lianyuan.pk, "person": outsider.pk, "reason": "好",
              "decided_on": "2015-03-01", "decider": "市委"}
    assert client.post("/accountability/annual/commendations/new/", praise).status_code == 404
    assert not DocumentaryEvaluation.objects.exists() and not Commendation.objects.filter(reason="好").exists()
