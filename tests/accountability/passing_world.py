"""The world of the 过关 tests: 娄底市's campaign (started 2014-12-31), 涟源市 with three townships (桥头河镇,
六亩塘镇, 七星街镇), 桥头河镇's 专项整治方案 with two tasks, 涟源市's office (accepts the tasks, runs surveys,
keeps ledgers), 涟源市's discipline staff (述职评议考核) and head, and 娄星区's discipline staff (out of scope)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from huitoukan.access.models import Role
from huitoukan.assessments import services as assessment_services
from huitoukan.assessments.models import AcceptanceResult
from huitoukan.campaigns import services as campaign_services
from huitoukan.ledgers import services as ledger_services
from huitoukan.ledgers.layouts import LedgerKind
from huitoukan.orgs import services as org_services
from huitoukan.orgs.models import UnitKind, UnitLevel
from huitoukan.plans import services as plan_services
from huitoukan.plans.models import PlanKind
from huitoukan.plans.services import TaskSpec
from huitoukan.publicity import survey_services
from huitoukan.publicity.models import EvaluatorGroup, SurveyKind
from tests.conftest import Tree, user_create


def today() -> dt.date:
    return timezone.localdate()


@dataclass
class World:
    tree: Tree
    campaign: object
    liumutang: object
    qixing: object
    tasks: list  # 桥头河镇's two special-rectification tasks
    person: object  # 桥头河镇's head, lead leader of its items
    office: object  # 涟源市 活动办
    discipline: object  # 涟源市 纪委
    head: object  # 涟源市 主要负责同志: reads appraisals, records none
    filler: object  # 涟源市 填报员: reads verdicts only
    outsider: object  # 娄星区 纪委


def build_world() -> World:
    tree = Tree()
    on = dt.date(2013, 6, 18)
    liumutang = org_services.unit_create(actor=None, parent=tree.lianyuan, name="六亩塘镇", level=UnitLevel.TOWNSHIP,
                                         kind=UnitKind.PARTY_COMMITTEE, established_on=on)
    qixing = org_services.unit_create(actor=None, parent=tree.lianyuan, name="七星街镇", level=UnitLevel.TOWNSHIP,
                                      kind=UnitKind.PARTY_COMMITTEE, established_on=on)
    tree.refresh()
    campaign = campaign_services.campaign_create(actor=None, owner_unit=tree.city, name="娄底市回头看",
                                                 starts_on=dt.date(2014, 12, 31), ends_on=today() + dt.timedelta(days=90))
    plan = plan_services.plan_create(actor=None, unit=tree.qiaotouhe, campaign=campaign, kind=PlanKind.SPECIAL,
                                     title="桥头河镇专项整治方案")
    tasks = [plan_services.task_add(actor=None, plan=plan, spec=TaskSpec(task=text))
             for text in ("整治群众办事难", "整治乱收费乱罚款乱摊派")]
    person = org_services.person_create(actor=None, unit=qixing, name="彭光辉",
                                        position="镇党委书记", is_party_leader=True, is_unit_head=True)
    return World(tree=tree, campaign=campaign, liumutang=liumutang, qixing=qixing, tasks=tasks, person=person,
                 office=user_create(Role.CAMPAIGN_OFFICE, tree.lianyuan, username="lianyuan_office"),
                 discipline=user_create(Role.DISCIPLINE, tree.lianyuan, username="lianyuan_discipline"),
                 head=user_create(Role.UNIT_HEAD, tree.lianyuan, username="lianyuan_head"),
                 filler=user_create(Role.UNIT_FILLER, tree.lianyuan, username="lianyuan_filler"),
                 outsider=user_create(Role.DISCIPLINE, tree.louxing, username="louxing_discipline"))


def accept(w: World, task, result: str, day: dt.date | None = None):
    return assessment_services.acceptance_record(actor=w.office, plan_task=task, result=result,
                                                 accepted_on=day or today(), comments="")


def accept_failed(w: World):
    accept(w, w.tasks[0], AcceptanceResult.PASSED)
    return accept(w, w.tasks[1], AcceptanceResult.FAILED)


def seriously_low(w: World, unit, *, satisfied: bool = False, also=()):
    """A survey of the campaign about `unit` (and the units `also`, unanswered) answered by 6 of the public, all
    不满意 (or all 满意), closed."""
    survey = survey_services.survey_create(
        actor=w.office, owner_unit=w.tree.lianyuan, kind=SurveyKind.APPRAISAL, title="涟源市群众评议",
        questions=["整改落实情况"], target_units=[unit, *also], campaign=w.campaign, starts_on=today() - dt.timedelta(days=1),
        ends_on=today() + dt.timedelta(days=30), min_sample=5, low_threshold=60)
    survey = survey_services.survey_open(actor=w.office, survey=survey)
    question = survey.questions.get()
    for token in survey_services.survey_tokens_issue(actor=w.office, survey=survey, unit=unit,
                                                     group=EvaluatorGroup.PUBLIC, count=6):
        survey_services.survey_answer(raw_token=token, answers={question.pk: 0 if satisfied else 2})
    return survey_services.survey_close(actor=w.office, survey=survey)


def close(w: World, item):
    """销号: a progress report, the lead leader's closing request (from a login made for the leader) and the
    office's 核验."""
    leader = item.lead_leaders.get()
    ledger_services.progress_add(actor=w.office, item=item, progress="已按措施整改", leader=leader)
    login = user_create(Role.UNIT_HEAD, leader.unit, person=leader)
    request = ledger_services.closing_request(actor=login, item=item, summary="已完成", files=[SimpleUploadedFile(
        "整改佐证.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", content_type="application/pdf")])
    return ledger_services.closing_verify(actor=w.office, request=request)


def overdue_item(w: World, unit, *, days: int = 3):
    """An item of `unit`'s 领导班子 ledger in the campaign, due `days` ago (negative: due later), still open."""
    ledger = ledger_services.ledger_open(actor=w.office, campaign=w.campaign, unit=unit, kind=LedgerKind.LEADERSHIP)
    return ledger_services.item_create(actor=w.office, ledger=ledger, problem="文山会海问题突出", deadline_mode="date",
                                       due_on=today() - dt.timedelta(days=days),
                                       lead_leaders=[w.person] if w.person.unit_id == unit.pk else [])
