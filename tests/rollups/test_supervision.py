"""督查督办 in the 汇总 (issue 13 item 9): open findings, 督办通知单 by colour, classes and 不合格 by child unit,
from the kept counts: on the page, in the API, and at a cost that does not grow with what lies below."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from huitoukan.assessments import services as assessment_services
from huitoukan.assessments.models import AcceptanceResult
from huitoukan.notices import services as notice_services
from huitoukan.notices.escalation import escalation_run_now
from huitoukan.plans import services as plan_services
from huitoukan.plans.models import PlanKind
from huitoukan.rollups.supervision import supervision_rows
from huitoukan.supervision import services as supervision_services
from tests.supervision.conftest import build_world

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
DAY = dt.timedelta(days=1)


@pytest.fixture
def sw(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return build_world()


def _notice(w, unit, *, issued, due):
    return notice_services.notice_issue(actor=w.city_office, addressed_unit=unit, title="关于督促整改的通知",
                                        problems="台账不完善", requirements="限期整改", answer_due_on=due,
                                        today=issued)


def _supervised(w):
    """Findings at 涟源市 and 桥头河镇 (one answered, one closed), a red notice to 涟源市 and a blue one to
    桥头河镇, 涟源市 scored 差, 桥头河镇 failing its acceptance."""
    t = w.tree
    supervision_services.finding_record(actor=w.city_office, unit=t.lianyuan, description="会议偏多")
    answered = supervision_services.finding_record(actor=w.city_office, unit=t.qiaotouhe, description="公开栏过期")
    supervision_services.finding_answer(actor=w.township_office, finding=answered, answer="已更新")
    closed = supervision_services.finding_record(actor=w.city_office, unit=t.lianyuan, description="文件偏多")
    supervision_services.finding_close(actor=w.city_office, finding=closed)
    _notice(w, t.lianyuan, issued=TODAY - 20 * DAY, due=TODAY - 10 * DAY)
    _notice(w, t.qiaotouhe, issued=TODAY, due=TODAY + 7 * DAY)
    escalation_run_now(today=TODAY)
    checklist = assessment_services.checklist_create(
        actor=w.city_office, campaign=w.campaign, name="三个检验标准",
        items=[assessment_services.ItemSpec("作风是否有明显转变", 10)])
    version = assessment_services.checklist_publish(actor=w.city_office, checklist=checklist)
    item = version.items.get()
    assessment_services.assessment_record(actor=w.city_office, unit=t.lianyuan, version=version, assessed_on=TODAY,
                                          scores=[assessment_services.ScoreSpec(item.pk, 3)])
    plan = plan_services.plan_create(actor=w.township_office, unit=t.qiaotouhe, campaign=w.campaign,
                                     kind=PlanKind.SPECIAL, title="桥头河镇专项整治方案")
    task = plan_services.task_add(actor=w.township_office, plan=plan,
                                  spec=plan_services.TaskSpec(task="整治乱收费乱罚款乱摊派"))
    assessment_services.acceptance_record(actor=w.city_office, plan_task=task, result=AcceptanceResult.FAILED,
                                          accepted_on=TODAY)


def test_the_figures_by_child_and_for_the_subtree(sw):
    _supervised(sw)
    t = sw.tree
    rows, total = supervision_rows(unit=t.city, children=[t.lianyuan, t.louxing, t.education], campaign=sw.campaign)
    lianyuan = rows[0]
    assert (lianyuan.findings_open, lianyuan.findings_answered) == (2, 1)
    assert (lianyuan.notices["red"], lianyuan.notices["blue"], lianyuan.notices["yellow"]) == (1, 1, 0)
    assert lianyuan.classes["差"] == 1 and lianyuan.failed == 1
    assert rows[1].empty and rows[2].empty
    assert (total.findings_open, total.notices_open, total.failed) == (2, 2, 1)


def test_the_rows_add_up_to_the_total_with_the_units_own_row(sw):
    _supervised(sw)
    t = sw.tree
    rows, total = supervision_rows(unit=t.city, children=[t.louxing, t.education], campaign=sw.campaign)
    # 涟源市 is left out of the children: what lies under it is the city's own (本级) here
    own = rows[-1]
    assert own.own and own.unit == t.city and not any(r.own for r in rows[:-1])
    assert (own.findings_open, own.notices_open, own.failed) == (2, 2, 1)
    for field in ("findings_open", "findings_answered", "failed", "satisfaction_low"):
        assert sum(getattr(r, field) for r in rows) == getattr(total, field), field
    for field in ("notices", "classes", "opinions", "passing"):
        for key, n in getattr(total, field).items():
            assert sum(getattr(r, field).get(key, 0) for r in rows) == n, (field, key)


def test_the_page_and_the_api_show_them_at_a_cost_that_does_not_grow(sw):
    t = sw.tree
    client = Client()
    client.force_login(sw.city_office)
    url = f"/rollups/{t.city.pk}/?campaign={sw.campaign.pk}"
    client.get(url)  # the first request of a session writes the session's start

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    empty = queries()
    _supervised(sw)
    assert queries() == empty
    page = client.get(url).content.decode()
    assert 'id="supervision"' in page and "未办结问题" in page
    data = client.get(f"/api/v1/rollups/{t.city.pk}/supervision/?campaign={sw.campaign.pk}").json()
    assert data["total"]["notices"]["red"] == 1 and data["total"]["classes"]["差"] == 1
    assert {c["name"]: c["findings_open"] for c in data["children"]}["涟源市"] == 2
    # out of scope: as absent
    outsider = Client()
    outsider.force_login(sw.outsider)
    assert outsider.get(f"/api/v1/rollups/{t.lianyuan.pk}/supervision/").status_code == 404


def test_totals_rebuild_recounts_the_supervision_counts(sw):
    from huitoukan.ledgers import totals
    from huitoukan.orgs.models import WorkTally
    from huitoukan.orgs.totals import work_kept, work_recount_all

    _supervised(sw)
    assert work_kept() == work_recount_all() and work_kept()
    WorkTally.objects.filter(topic="notice", key="red").update(n=7)  # drifted
    assert work_kept() != work_recount_all()
    totals.rebuild_all()
    assert work_kept() == work_recount_all()
    assert supervision_rows(unit=sw.tree.city, children=[], campaign=sw.campaign)[1].notices["red"] == 1


def test_the_figures_of_all_children_are_read_in_one_query(sw, django_assert_num_queries):
    _supervised(sw)
    t = sw.tree
    with django_assert_num_queries(1):
        supervision_rows(unit=t.city, children=[t.lianyuan, t.louxing, t.education], campaign=sw.campaign)


def _public_side(w):
    """桥头河镇 publishes its 公开承诺 and gets two opinions (one answered); a closed survey of the campaign finds
    涟源市's satisfaction seriously low (3 of 3 respondents 不满意, 3 the minimum sample)."""
    from huitoukan.publicity import opinion_services, services, survey_services
    from huitoukan.publicity.models import EvaluatorGroup, OpinionKind, PublicationKind, SurveyKind

    t = w.tree
    services.commitment_save(actor=w.city_office, unit=t.qiaotouhe, campaign=w.campaign, content="窗口延时服务",
                             status="in_progress")
    publication = services.publication_create(actor=w.city_office, kind=PublicationKind.COMMITMENTS,
                                              unit=t.qiaotouhe, campaign=w.campaign)
    built = services.publication_preview(actor=w.city_office, publication=publication)
    services.publication_publish(actor=w.city_office, publication=publication, digest=built.digest)
    sent = [opinion_services.opinion_submit(unit=t.qiaotouhe, kind=OpinionKind.OPINION, subject="延时服务",
                                            content=f"建议{n}") for n in range(2)]
    opinion_services.opinion_answer(actor=w.city_office, opinion=sent[0].opinion, answer="已采纳")
    survey = survey_services.survey_create(
        actor=w.city_office, owner_unit=t.city, kind=SurveyKind.POLL, title="民意调查", questions=["是否满意"],
        target_units=[t.lianyuan], starts_on=TODAY, ends_on=TODAY, min_sample=3, campaign=w.campaign)
    survey_services.survey_open(actor=w.city_office, survey=survey)
    question = survey.questions.get()
    for token in survey_services.survey_tokens_issue(actor=w.city_office, survey=survey, unit=t.lianyuan,
                                                     group=EvaluatorGroup.PUBLIC, count=3):
        survey_services.survey_answer(raw_token=token, answers={question.pk: 2})  # 不满意
    survey_services.survey_close(actor=w.city_office, survey=survey)


def test_the_public_side_by_child_in_the_same_one_query(sw, django_assert_num_queries):
    _public_side(sw)
    t = sw.tree
    with django_assert_num_queries(1):
        rows, total = supervision_rows(unit=t.city, children=[t.lianyuan, t.louxing], campaign=sw.campaign)
    lianyuan, louxing, own = rows
    assert own.own and own.unit == t.city and own.public_empty
    assert lianyuan.opinions == {"received": 1, "answered": 1} and lianyuan.satisfaction_low == 1
    assert louxing.public_empty
    assert (total.opinions["received"], total.satisfaction_low) == (1, 1)
    client = Client()
    client.force_login(sw.city_office)
    page = client.get(f"/rollups/{t.city.pk}/?campaign={sw.campaign.pk}").content.decode()
    assert 'id="publicity"' in page and "满意度严重偏低" in page
    data = client.get(f"/api/v1/rollups/{t.city.pk}/supervision/?campaign={sw.campaign.pk}").json()
    assert data["total"]["opinions"] == {"received": 1, "answered": 1, "referred": 0}
    assert data["total"]["satisfaction_low"] == 1
