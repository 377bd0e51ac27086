"""回头看复查: planned at 3, 6 and 12 months from the closing date (per campaign), idempotent planning, withdrawn when
the item reopens; 复查确认 needs fresh evidence; a failed recheck reopens the item as 反弹 with its evidence, notifies
the unit head and counts in the relapse suggestion; who may is the ledgers' rule; out of scope is 404."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from huitoukan.access import policy
from huitoukan.access.models import Role
from huitoukan.accountability import suggestions
from huitoukan.campaigns import services as campaign_services
from huitoukan.campaigns.errors import CampaignError
from huitoukan.ledgers import services as ledger_services
from huitoukan.ledgers.models import Evidence, FourWinds, ItemEventKind, ItemStatus
from huitoukan.notifications.models import Notification
from huitoukan.rechecks import services
from huitoukan.rechecks.errors import RecheckError
from huitoukan.rechecks.models import Recheck, RecheckState
from tests.ledgers.conftest import PDF, pdf, reported

pytestmark = pytest.mark.django_db


def _closed(lw, problem="会议多、文件多", **fields):
    item = ledger_services.item_create(actor=lw.office, ledger=lw.ledger, problem=problem,
                                       lead_leaders=[lw.leader_person], **fields)
    reported(lw, item)
    request = ledger_services.closing_request(actor=lw.leader, item=item, summary="已整改到位", files=[pdf()])
    return ledger_services.closing_verify(actor=lw.head, request=request, note="经核实已整改到位")


def fresh(name="复查照片.pdf"):
    """A file the item does not hold yet (its 销号 was proved with `pdf()`)."""
    return pdf(name, PDF + f"% {name}\n".encode())


def _round(item, months=3) -> Recheck:
    return Recheck.objects.get(item=item, round_months=months, state=RecheckState.PENDING)


def test_closing_plans_rechecks_at_3_6_and_12_months_from_the_closing_date(lw):
    item = _closed(lw)
    today = timezone.localdate()
    assert item.closed_on == today
    rechecks = list(item.rechecks.order_by("round_months"))
    assert [(r.round_months, r.closed_on, r.state) for r in rechecks] == [
        (3, today, RecheckState.PENDING), (6, today, RecheckState.PENDING), (12, today, RecheckState.PENDING)]
    assert [r.due_on for r in rechecks] == [services.add_months(today, m) for m in (3, 6, 12)]


def test_months_are_added_to_the_day_or_the_months_last_day():
    assert services.add_months(dt.date(2015, 1, 20), 3) == dt.date(2015, 4, 20)
    assert services.add_months(dt.date(2014, 8, 31), 6) == dt.date(2015, 2, 28)
    assert services.add_months(dt.date(2015, 11, 30), 3) == dt.date(2016, 2, 29)
    assert services.add_months(dt.date(2015, 1, 31), 12) == dt.date(2016, 1, 31)


def test_the_campaign_sets_the_months_and_empty_means_no_rechecks(lw, make_user):
    c, city_office = lw.campaign, make_user(Role.CAMPAIGN_OFFICE, lw.tree.city)
    campaign_services.campaign_update(actor=city_office, campaign=c, name=c.name, starts_on=c.starts_on, ends_on=c.ends_on,
                                      recheck_months="12， 6")
    lw.campaign.refresh_from_db()
    assert lw.campaign.recheck_months == "6,12"
    assert sorted(_closed(lw).rechecks.values_list("round_months", flat=True)) == [6, 12]
    campaign_services.campaign_update(actor=city_office, campaign=c, name=c.name, starts_on=c.starts_on, ends_on=c.ends_on,
                                      recheck_months="")
    assert not _closed(lw, problem="调研走过场").rechecks.exists()
    with pytest.raises(CampaignError, match="复查时间（销号后月数）：“三”无效"):
        campaign_services.campaign_update(actor=city_office, campaign=c, name=c.name, starts_on=c.starts_on,
                                          ends_on=c.ends_on, recheck_months="3,三")


def test_planning_is_idempotent_and_plans_items_closed_before(lw):
    first = _closed(lw)
    second = _closed(lw, problem="调研走过场")
    Recheck.objects.filter(item=first).delete()  # an item closed before rechecks existed (the demo's)
    done = services.rechecks_plan()
    assert (done.planned, Recheck.objects.filter(item=first).count()) == (3, 3)
    assert services.rechecks_plan().planned == 0
    call_command("rechecks-plan")
    assert Recheck.objects.filter(item__in=[first, second]).count() == 6


def test_a_reopened_item_loses_its_pending_rechecks(lw):
    item = _closed(lw)
    ledger_services.item_send_back(actor=lw.head, item=item, reason="整改不彻底")
    assert set(item.rechecks.values_list("state", flat=True)) == {RecheckState.CANCELLED}


def test_confirming_needs_fresh_evidence_and_the_due_date(lw):
    item = _closed(lw)
    recheck = _round(item)
    with pytest.raises(RecheckError, match="佐证材料：复查须上传至少一份新的佐证材料"):
        services.recheck_confirm(actor=lw.filler, recheck=recheck, files=[], today=recheck.due_on)
    with pytest.raises(RecheckError, match="尚未到期"):
        services.recheck_confirm(actor=lw.filler, recheck=recheck, files=[fresh()],
                                 today=recheck.due_on - dt.timedelta(days=1))
    assert not Evidence.objects.filter(item=item, original_name="复查照片.pdf").exists()
    with pytest.raises(RecheckError, match="“整改佐证.pdf”是本事项已有的材料，复查须上传新的佐证材料"):
        services.recheck_confirm(actor=lw.filler, recheck=recheck, files=[pdf()], today=recheck.due_on)
    done = services.recheck_confirm(actor=lw.filler, recheck=recheck, files=[fresh("复查照片.pdf")],
                                    note="整改成果巩固", today=recheck.due_on)
    assert (done.state, done.decided_by, done.note) == (RecheckState.CONFIRMED, lw.filler, "整改成果巩固")
    [evidence] = done.evidence.all()
    assert (evidence.item_id, evidence.original_name) == (item.pk, "复查照片.pdf")  # kept as the item's evidence
    item.refresh_from_db()
    assert item.status == ItemStatus.CLOSED
    assert done.history.latest().history_user == lw.filler
    with pytest.raises(RecheckError, match="不能再复查确认"):
        services.recheck_confirm(actor=lw.filler, recheck=done, files=[fresh()], today=recheck.due_on)


def test_confirming_needs_what_the_recheck_found(lw):
    item = _closed(lw)
    recheck = _round(item)
    for note in ("", "  \n "):
        with pytest.raises(RecheckError, match="^复查情况：复查确认须写明整改成果是否巩固"):
            services.recheck_confirm(actor=lw.filler, recheck=recheck, files=[fresh()], note=note,
                                     today=recheck.due_on)
    assert Recheck.objects.get(pk=recheck.pk).state == RecheckState.PENDING
    assert not Evidence.objects.filter(item=item, original_name="复查照片.pdf").exists()  # nothing stored
    Recheck.objects.filter(pk=recheck.pk).update(due_on=timezone.localdate())
    page = _client(lw.filler).post(f"/rechecks/{recheck.pk}/confirm/", {"note": "", "files": [fresh()]})
    assert page.status_code == 200 and "复查情况：复查确认须写明整改成果是否巩固" in page.content.decode()
    assert Recheck.objects.get(pk=recheck.pk).state == RecheckState.PENDING


def test_recording_a_relapse_on_the_page_asks_to_confirm_first(lw):
    item = _closed(lw)
    recheck = _round(item)
    Recheck.objects.filter(pk=recheck.pk).update(due_on=timezone.localdate())
    page = _client(lw.office).get(f"/rechecks/{recheck.pk}/").content.decode()
    fail_form = page[page.index(f'action="/rechecks/{recheck.pk}/fail/"'):]
    fail_form = fail_form[:fail_form.index(">")]
    assert 'data-confirm="确定记录复查未通过？事项将按“反弹”重新打开' in fail_form
    confirm_form = page[page.index(f'action="/rechecks/{recheck.pk}/confirm/"'):]
    assert "data-confirm" not in confirm_form[:confirm_form.index(">")]  # confirming undoes nothing


def test_a_failed_3_month_recheck_reopens_the_item_as_relapsed_with_its_evidence_and_notifies_the_head(lw):
    """Done when: a closed item whose 3-month recheck fails is reopened as 反弹 automatically, with the recheck's
    evidence and a notification to the unit head."""
    item = _closed(lw, four_winds=FourWinds.FORMALISM)
    recheck = _round(item, 3)
    with pytest.raises(RecheckError, match="须写明问题反弹的情况"):
        services.recheck_fail(actor=lw.office, recheck=recheck, files=[fresh()], note=" ", today=recheck.due_on)
    failed = services.recheck_fail(actor=lw.office, recheck=recheck, files=[fresh("反弹照片.pdf")],
                                   note="会议又多了起来", today=recheck.due_on)
    item.refresh_from_db()
    assert (item.status, item.closed_on) == (ItemStatus.RELAPSED, None)
    event = item.events.get(kind=ItemEventKind.RELAPSED)
    assert event.actor == lw.office and "回头看复查（销号后3个月）未通过：会议又多了起来" in event.note
    assert (failed.state, failed.note) == (RecheckState.FAILED, "会议又多了起来")
    assert [e.original_name for e in failed.evidence.all()] == ["反弹照片.pdf"]
    # the later rounds of that closing no longer apply
    assert set(item.rechecks.exclude(pk=failed.pk).values_list("state", flat=True)) == {RecheckState.CANCELLED}
    [note] = Notification.objects.filter(key=f"recheck:{failed.pk}:failed")
    assert note.recipient == lw.head and "反弹" in note.title and note.link == f"/rechecks/{failed.pk}/"


def test_a_failed_recheck_counts_in_the_relapse_suggestion(lw, make_user):
    discipline = make_user(Role.DISCIPLINE, lw.tree.lianyuan)
    item = _closed(lw, four_winds=FourWinds.FORMALISM)
    assert not [s for s in suggestions.suggestions_for(user=discipline) if s.key == "relapse"]
    recheck = _round(item)
    services.recheck_fail(actor=lw.office, recheck=recheck, files=[fresh()], note="文山会海反弹", today=recheck.due_on)
    [found] = [s for s in suggestions.suggestions_for(user=discipline) if s.key == "relapse"]
    assert found.unit == lw.tree.lianyuan and found.prefill["items"] == [item.pk]


def test_who_may_is_the_ledgers_rule(lw, make_user):
    item = _closed(lw)
    recheck = _round(item)
    day = recheck.due_on
    # not a lead leader of the item, no LEDGER_EDIT: in scope, so 403
    with pytest.raises(policy.Forbidden):
        services.recheck_confirm(actor=lw.other, recheck=recheck, files=[fresh()], today=day)
    # the filler may confirm (LEDGER_EDIT) but not fail: reopening is ITEM_REOPEN's; the head may reopen but not
    # attach evidence (neither a lead leader nor LEDGER_EDIT)
    for who in (lw.filler, lw.head):
        with pytest.raises(policy.Forbidden):
            services.recheck_fail(actor=who, recheck=recheck, files=[fresh()], note="反弹", today=day)
    outsider = make_user(Role.CAMPAIGN_OFFICE, lw.tree.louxing)
    with pytest.raises(policy.Denied):
        services.recheck_confirm(actor=outsider, recheck=recheck, files=[fresh()], today=day)
    assert Recheck.objects.get(pk=recheck.pk).state == RecheckState.PENDING
    # the lead leader confirms
    assert services.recheck_confirm(actor=lw.leader, recheck=recheck, files=[fresh()], note="已巩固",
                                    today=day).state == RecheckState.CONFIRMED


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_pages_list_scope_confirm_with_evidence_and_out_of_scope_404(lw, make_user):
    item = _closed(lw)
    recheck = _round(item)
    Recheck.objects.filter(pk=recheck.pk).update(due_on=timezone.localdate())  # due today
    filler = _client(lw.filler)
    listed = filler.get("/rechecks/")
    assert listed.status_code == 200 and item.problem in listed.content.decode()
    page = filler.get(f"/rechecks/{recheck.pk}/").content.decode()
    assert "复查确认" in page and "复查未通过（反弹）" not in page  # the filler may not reopen
    refused = filler.post(f"/rechecks/{recheck.pk}/confirm/", {"note": "巩固"})
    assert refused.status_code == 200 and "复查须上传至少一份新的佐证材料" in refused.content.decode()
    done = filler.post(f"/rechecks/{recheck.pk}/confirm/", {"note": "巩固", "files": [fresh()]})
    assert done.status_code == 302 and Recheck.objects.get(pk=recheck.pk).state == RecheckState.CONFIRMED
    item_page = filler.get(f"/ledgers/items/{item.pk}/").content.decode()
    assert "回头看复查" in item_page and "销号后3个月" in item_page
    outsider = _client(make_user(Role.CAMPAIGN_OFFICE, lw.tree.louxing))
    assert outsider.get(f"/rechecks/{recheck.pk}/").status_code == 404
    assert outsider.post(f"/rechecks/{recheck.pk}/confirm/", {"files": [fresh()]}).status_code == 404
    done_tab = outsider.get("/rechecks/?tab=done")
    assert done_tab.status_code == 200 and item.problem not in done_tab.content.decode()
    other = _client(lw.other)  # reads the item, may not confirm
    assert other.post(f"/rechecks/{recheck.pk}/fail/", {"note": "反弹", "files": [fresh()]}).status_code == 403


def test_reminders_reach_the_office_when_due_and_the_head_when_overdue_once(lw):
    item = _closed(lw)
    recheck = _round(item)
    assert services.reminders_send(today=recheck.due_on - dt.timedelta(days=8)) == 0
    assert services.reminders_send(today=recheck.due_on) == 1
    assert services.reminders_send(today=recheck.due_on) == 0  # once
    assert Notification.objects.get(key=f"recheck:{recheck.pk}:due").recipient == lw.office
    late = recheck.due_on + dt.timedelta(days=services.OVERDUE_DAYS + 1)
    assert services.reminders_send(today=late) >= 1
    assert Notification.objects.get(key=f"recheck:{recheck.pk}:overdue").recipient == lw.head


def test_asking_the_public_who_raised_it_and_a_majority_saying_relapsed_marks_the_recheck(lw, make_user):
    from huitoukan.publicity import survey_services
    from huitoukan.publicity.models import Opinion
    from huitoukan.publicity.opinion_services import opinion_submit
    from tests.publicity.routes_opinions import publish_ledger

    item = _closed(lw)
    recheck = _round(item)
    with pytest.raises(RecheckError, match="本活动未设定复查时征询反映问题的群众"):
        services.recheck_ask_public(actor=lw.office, recheck=recheck)
    c = lw.campaign
    campaign_services.campaign_update(actor=make_user(Role.CAMPAIGN_OFFICE, lw.tree.city), campaign=c, name=c.name,
                                      starts_on=c.starts_on, ends_on=c.ends_on, recheck_ask_public=True)
    with pytest.raises(RecheckError, match="没有关联的群众来信或意见"):
        services.recheck_ask_public(actor=lw.office, recheck=recheck)
    publish_ledger(lw.office, lw.ledger, [item])
    for n in range(4):
        letter = opinion_submit(unit=lw.tree.lianyuan, kind="opinion", subject=f"会议多{n}", content="会议太多").opinion
        Opinion.objects.filter(pk=letter.pk).update(about_item=item)  # (as the public form keeps it)
    with pytest.raises(policy.Forbidden):
        services.recheck_ask_public(actor=lw.filler, recheck=recheck)  # SURVEY_MANAGE: the office's
    tokens = services.recheck_ask_public(actor=lw.office, recheck=recheck)
    assert len(tokens) == 4
    recheck.refresh_from_db()
    survey = recheck.public_survey
    assert [q.text for q in survey.questions.all()] == ["问题是否已整改到位、有无反弹？"]
    assert survey.state == "open" and survey.min_sample == survey_services.MAX_SAMPLE  # never ranked
    with pytest.raises(RecheckError, match="已征询过群众"):
        services.recheck_ask_public(actor=lw.office, recheck=recheck)
    question = survey.questions.get()
    assert services.public_answers(recheck) == services.PublicAnswers(4, 0, 0, False)
    survey_services.survey_answer(raw_token=tokens[0], answers={question.pk: services.RELAPSED_OPTION})
    survey_services.survey_answer(raw_token=tokens[1], answers={question.pk: 0})
    assert not services.public_answers(recheck).concern  # 1 of 2: no majority, too few answers
    survey_services.survey_answer(raw_token=tokens[2], answers={question.pk: services.RELAPSED_OPTION})
    assert services.public_answers(recheck) == services.PublicAnswers(4, 3, 2, True)
    page = _client(lw.office).get(f"/rechecks/{recheck.pk}/").content.decode()
    assert "多数作答群众认为问题有反弹" in page
    item.refresh_from_db()
    assert item.status == ItemStatus.CLOSED and recheck.state == RecheckState.PENDING  # a sign, never a verdict


def test_a_recheck_s_fresh_files_are_not_flagged_as_evidence_added_after_the_closing(lw):
    from huitoukan.formalism.models import Flag, FlagKind
    from huitoukan.formalism.services import formalism_scan
    from huitoukan.ledgers.models import ClosingRequest

    item = _closed(lw)
    # closed 100 days ago: anything uploaded now is long after the closing
    closed_at = timezone.now() - dt.timedelta(days=100)
    ClosingRequest.objects.filter(item=item).update(decided_at=closed_at)
    Evidence.objects.filter(item=item).update(uploaded_at=closed_at - dt.timedelta(hours=1))
    recheck = _round(item)
    services.recheck_confirm(actor=lw.filler, recheck=recheck, files=[fresh()], note="整改成果巩固",
                             today=recheck.due_on)
    formalism_scan(campaign=lw.campaign)
    assert not Flag.objects.filter(kind=FlagKind.EVIDENCE_LATE).exists()
    # a file added after the closing for no recheck is
    ledger_services.evidence_add(actor=lw.filler, item=item, files=[fresh("补充材料.pdf")])
    formalism_scan(campaign=lw.campaign)
    [flag] = Flag.objects.filter(kind=FlagKind.EVIDENCE_LATE)
    assert [f["name"] for f in flag.evidence["files"]] == ["补充材料.pdf"]
