"""The 娄底市 demo loads the seed's setting, once; dated around today, or with the seed's own dates."""

import datetime as dt
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.utils import timezone

from huitoukan.access.models import RoleAssignment
from huitoukan.assessments import selectors as assessment_selectors
from huitoukan.campaigns import selectors as campaign_selectors
from huitoukan.campaigns.models import Campaign, Deadline, PackagePart, TargetRule
from huitoukan.core.lights import Light, light_for
from huitoukan.documents.models import Document
from huitoukan.ledgers.catalogue import CENTRAL_TASKS, PROVINCIAL_TASKS
from huitoukan.ledgers.layouts import LedgerKind
from huitoukan.ledgers.models import Item, Ledger, ProgressEntry, SpecialTask, TaskTier
from huitoukan.notices.models import Notice
from huitoukan.orgs.models import Person, SupervisionGroup, Unit, UnitKind
from huitoukan.portal.demo import CAMPAIGN_NAME, LOGINS, TREE, demo_load
from huitoukan.publicity import survey_selectors
from huitoukan.publicity.models import Opinion, Publication, PublicationState
from huitoukan.reviews import selectors as review_selectors
from huitoukan.reviews.models import PackageState, ReportState, Submission
from huitoukan.supervision import rules as supervision_rules
from huitoukan.supervision import selectors as supervision_selectors
from huitoukan.supervision import spotchecks
from huitoukan.supervision.models import Finding, FindingState, InspectionKind, SpotCheck
from tests.conftest import built_once

pytestmark = pytest.mark.django_db

COUNTIES = {"娄星区", "冷水江市", "涟源市", "双峰县", "新化县", "娄底经济技术开发区", "万宝新区"}


def counts():
    models = (Unit, Person, SupervisionGroup, RoleAssignment, Campaign, Deadline, get_user_model(), SpecialTask,
              Ledger, Item, ProgressEntry, Submission, Finding, Document)
    return [m.objects.count() for m in models] + [Unit.history.count(), Item.history.count()]


SEED_DAY = dt.date(2015, 1, 20)


@pytest.fixture(scope="class")
def loaded(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo loaded once, with the seed's own dates, for the tests that read it, rolled back after them."""
    with built_once(django_db_blocker, tmp_path_factory):
        demo_load(as_of=SEED_DAY)
        yield


@pytest.fixture(scope="class")
def loaded_today(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo as `huitoukan demo` loads it: its calendar moved around today."""
    with built_once(django_db_blocker, tmp_path_factory):
        demo_load()
        yield


@pytest.mark.usefixtures("loaded")
class TestTheLoadedDemo:
    def test_demo_has_the_city_its_counties_and_a_login_per_role(self):
        city = Unit.objects.get(depth=1)
        assert city.name == "娄底市"
        county_names = set(Unit.objects.filter(depth=2, level="county").values_list("name", flat=True))
        assert county_names == COUNTIES
        assert Unit.objects.filter(level="village").count() >= 7
        assert Unit.objects.filter(kind="university").exists()
        assert SupervisionGroup.objects.count() == 3
        assert {a.role for a in RoleAssignment.objects.all()} >= {login.role for login in LOGINS}
        campaign = Campaign.objects.get(name=CAMPAIGN_NAME)
        assert [p.name for p in campaign.phases.all()] == ["自查自纠阶段", "督查核实阶段", "深化整改阶段"]
        assert campaign.deadlines.filter(due_on="2015-02-05").exists()

    def test_running_the_demo_twice_duplicates_nothing(self):
        # given the demo loaded once
        before = counts()
        # when it is loaded again
        demo_load(as_of=SEED_DAY)
        # then nothing was added
        assert counts() == before

    def test_the_seed_calendar_is_kept_as_of_a_given_day(self):
        campaign = Campaign.objects.get(name=CAMPAIGN_NAME)
        assert (campaign.starts_on, campaign.ends_on) == (dt.date(2014, 12, 31), dt.date(2015, 2, 28))
        assert [(p.starts_on, p.ends_on) for p in campaign.phases.all()] == [
            (dt.date(2014, 12, 31), dt.date(2015, 1, 6)), (dt.date(2015, 1, 7), dt.date(2015, 1, 16)),
            (dt.date(2015, 1, 17), dt.date(2015, 2, 28))]
        assert sorted(campaign.deadlines.values_list("due_on", flat=True)) == [dt.date(2015, 1, 6),
                                                                                dt.date(2015, 2, 5)]
        assert Item.objects.filter(problem="涟源市公务接待管理办法").get().due_on == dt.date(2015, 1, 16)

    def test_the_report_deadline_expects_the_direct_subordinates_seed_001_names(self):
        # 三.3 信息备案: 各县市区、娄底经济技术开发区、万宝新区和市直机关各单位、省属驻娄高校、企业
        deadline = Deadline.objects.get(name="“回头看”情况报告（信息备案）")
        assert (deadline.target_rule, deadline.contents) == (TargetRule.CHILDREN, [PackagePart.REPORT])
        expected = [u.name for u in campaign_selectors.deadline_expected_units(deadline=deadline)]
        children = TREE[4]
        named = [name for name, _level, kind, _batch, _children in children if kind != UnitKind.NON_PUBLIC]
        assert len(children) == 15 and len(expected) == 14
        assert sorted(expected) == sorted(named)
        assert "娄底市个体私营企业协会" not in expected and "涟源市教育局" not in expected

    def test_at_loudi_the_report_status_lists_exactly_the_units_seed_001_names_each_with_its_state(self):
        # Done-when of the review issue: 信息备案 at 娄底市, as its office reads it
        deadline = Deadline.objects.select_related("campaign__owner_unit").get(name="“回头看”情况报告（信息备案）")
        office = get_user_model().objects.get(username="loudi_office")
        status = review_selectors.reporting_status(user=office, deadline=deadline,
                                                   within=deadline.campaign.owner_unit, per_page=None)
        named = [name for name, _level, kind, _batch, _children in TREE[4] if kind != UnitKind.NON_PUBLIC]
        assert sorted(r.unit.name for r in status.rows) == sorted(named)
        # 涟源市 has built its report, still inside the unit: not yet reported up, like every other unit
        assert {r.state for r in status.rows} == {ReportState.NOT_SUBMITTED}
        assert status.total.expected == 14 and status.total.not_submitted == 14

    def test_lianyuan_went_round_the_review_loop_for_its_ledgers(self):
        deadline = Deadline.objects.get(name="建立台账并报上一级活动办")
        submission = Submission.objects.get(deadline=deadline, unit__name="涟源市")
        versions = list(submission.versions.order_by("number"))
        assert submission.state == ReportState.APPROVED
        assert [v.state for v in versions] == [PackageState.RETURNED, PackageState.APPROVED]
        assert versions[0].comments.count() == 2 and versions[0].return_reason
        assert versions[0].digest != versions[1].digest
        assert Submission.objects.get(deadline=deadline, unit__name="桥头河镇").current.state == \
            PackageState.AWAITING_HEAD

    def test_the_ledger_deadline_asks_for_the_four_ledgers_and_the_county_reviews_on_the_way_up(self):
        deadline = Deadline.objects.get(name="建立台账并报上一级活动办")
        assert set(deadline.contents) == {p for p in PackagePart.values if p.startswith("ledger:")}
        expected = {u.name for u in campaign_selectors.deadline_expected_units(deadline=deadline)}
        assert {"涟源市", "桥头河镇", "市教育局", "涟源市教育局"} <= expected
        assert not expected & {"娄底市个体私营企业协会", "桥头河村", "娄底市"}
        assert Campaign.objects.get(name=CAMPAIGN_NAME).review_levels == ["county"]

    def test_demo_loads_the_special_rectification_catalogue_of_seed_004_and_nothing_invented(self):
        provincial = list(SpecialTask.objects.filter(tier=TaskTier.PROVINCE).order_by("order")
                          .values_list("name", flat=True))
        central = list(SpecialTask.objects.filter(tier=TaskTier.CENTRAL).order_by("order")
                       .values_list("name", flat=True))
        assert provincial == PROVINCIAL_TASKS and len(provincial) == 11
        assert central == CENTRAL_TASKS
        assert SpecialTask.objects.count() == len(PROVINCIAL_TASKS) + len(CENTRAL_TASKS)
        seeds = sorted((Path(__file__).resolve().parents[3] / "shared" / "seeds").glob("004_*.txt"))
        if not seeds:
            pytest.skip("../shared/seeds is not beside this checkout")
        text = seeds[0].read_text(encoding="utf-8")
        for name in provincial + central:
            assert name in text, name

    def test_demo_has_the_four_ledgers_of_lianyuan(self):
        kinds = set(Ledger.objects.filter(unit__name="涟源市").values_list("kind", flat=True))
        assert kinds == set(LedgerKind.values)

    def test_lianyuan_published_two_lists_its_commitments_and_the_city_a_bulletin(self):
        live = Publication.objects.filter(state=PublicationState.PUBLISHED)
        assert sorted(live.values_list("kind", flat=True)) == ["bulletin", "commitments", "ledger", "ledger"]
        assert Publication.objects.filter(state=PublicationState.DRAFT, ledger__kind=LedgerKind.INSTITUTION).exists()
        page = Client().get(f"/gongkai/u/{Unit.objects.get(name='涟源市').pk}/")
        assert page.status_code == 200 and "文山会海问题仍然存在" in page.content.decode()
        assert "深入基层调研不够" not in page.content.decode()  # a leader's own measures stay inside the unit

    def test_the_public_wrote_to_lianyuan_and_a_survey_found_xinhua_seriously_low(self):
        assert sorted(Opinion.objects.values_list("state", flat=True)) == ["answered", "received"]
        assert Opinion.objects.exclude(contact_ciphertext=None).count() == 1
        assert survey_selectors.units_seriously_low(campaign=Campaign.objects.get(name=CAMPAIGN_NAME)) == {
            Unit.objects.get(name="新化县").pk}


@pytest.mark.usefixtures("loaded_today")
class TestTheDemoToday:
    def test_today_falls_inside_the_phase_of_verification(self):
        campaign = Campaign.objects.get(name=CAMPAIGN_NAME)
        today = timezone.localdate()
        assert campaign_selectors.current_phase(campaign, today).name == "督查核实阶段"
        phase = campaign.phases.get(name="督查核实阶段")
        assert (today - phase.starts_on).days >= 3
        # lengths and order kept: 60 days, phases of 7, 10 and 43 days
        assert (campaign.ends_on - campaign.starts_on).days == 59
        assert [(p.ends_on - p.starts_on).days for p in campaign.phases.all()] == [6, 9, 42]

    def test_the_lights_show_overdue_due_soon_and_on_track(self):
        today = timezone.localdate()
        items = Item.objects.filter(ledger__campaign__name=CAMPAIGN_NAME)
        lights = [light_for(due_on=i.due_on, today=today) for i in items]
        assert {Light.RED, Light.AMBER, Light.GREEN} <= set(lights)
        assert lights.count(Light.GREEN) > lights.count(Light.RED)
        deadlines = {d.name: light_for(due_on=d.due_on, today=today) for d in Deadline.objects.all()}
        assert deadlines == {"建立台账并报上一级活动办": Light.RED, "“回头看”情况报告（信息备案）": Light.GREEN}

    def test_no_progress_is_dated_after_today(self):
        assert not ProgressEntry.objects.filter(reported_on__gt=timezone.localdate()).exists()

    def test_supervision_is_under_way_and_the_covert_visit_is_sealed(self):
        users = {u.username: u for u in get_user_model().objects.filter(
            username__in=["lianyuan_office", "supervisor2", "loudi_office"])}
        covert = Finding.objects.get(inspection__kind=InspectionKind.COVERT)
        assert Finding.objects.filter(state=FindingState.AWAITING).count() == 3
        assert not supervision_rules.may_read_finding(users["lianyuan_office"], covert)
        assert supervision_rules.may_read_finding(users["supervisor2"], covert)
        assert supervision_rules.may_read_finding(users["loudi_office"], covert)
        assert [f.unit.name for f in supervision_selectors.work_list(user=users["lianyuan_office"]).to_answer] == [
            "涟源市"]
        to_draw = list(spotchecks.spot_checks_to_draw(user=users["supervisor2"]))
        assert [sc.root.name for sc in to_draw] == ["涟源市"]
        drawn = SpotCheck.objects.get(root__name="双峰县")
        assert drawn.inspection is not None and spotchecks.spotcheck_verify(drawn).consistent
        notices = {n.addressed_unit.name: n for n in Notice.objects.all()}
        assert notices["涟源市"].colour == "blue" and notices["桥头河镇"].colour == "red"
        assert notices["涟源市"].number.startswith("娄群办督〔") and notices["涟源市"].number.endswith("〕1号")

    def test_three_counties_are_classed_and_lianyuan_failed_an_acceptance(self):
        campaign = Campaign.objects.get(name=CAMPAIGN_NAME)
        counties = list(Unit.objects.filter(name__in=["双峰县", "涟源市", "新化县"]))
        city = Unit.objects.get(name="娄底市")
        counts = assessment_selectors.class_counts([city], campaign)[city.pk]
        assert (counts["好"], counts["一般"], counts["差"], counts["不合格"]) == (1, 1, 1, 1)
        verdicts = assessment_selectors.verdicts_of(counties, campaign)
        assert [u.name for u in counties if verdicts[u.pk].failed] == ["涟源市"]

    def test_the_city_issued_a_brief_and_lianyuan_has_a_bulletin_in_draft(self):
        documents = {d.get_kind_display(): d for d in Document.objects.filter(campaign__name=CAMPAIGN_NAME)}
        assert set(documents) == {"简报", "通报"}
        brief, bulletin = documents["简报"], documents["通报"]
        assert (brief.issuing_unit.name, brief.serial, brief.issued_on) == ("娄底市", 1, brief.figures_read_on)
        assert (bulletin.unit.name, bulletin.number, bulletin.issued_on) == ("涟源市", "", None)
        assert "涟源市" in bulletin.body

    def test_a_second_run_on_another_day_adds_nothing(self):
        before = counts()
        demo_load(as_of=SEED_DAY)
        demo_load()
        assert counts() == before


# Outside the class: the command loads the demo into an empty database, as `make run` does.
def test_demo_command_prints_every_login(capsys):
    call_command("demo")
    out = capsys.readouterr().out
    for login in LOGINS:
        assert login.username in out


def test_demo_command_as_of_keeps_the_seed_dates_and_refuses_a_bad_date():
    with pytest.raises(CommandError, match="--as-of"):
        call_command("demo", as_of="2015-13-01")
    call_command("demo", as_of="2015-01-20")
    assert Campaign.objects.get(name=CAMPAIGN_NAME).starts_on == dt.date(2014, 12, 31)
