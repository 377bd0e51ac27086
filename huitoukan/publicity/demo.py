"""The demo's 开门整改: the lead's loader calls `demo_publications`."""

from __future__ import annotations

import datetime as dt

from huitoukan.ledgers.layouts import LedgerKind
from huitoukan.ledgers.models import Item, Ledger
from huitoukan.publicity import services
from huitoukan.publicity.models import CommitmentStatus, PublicationKind

COMMITMENTS = (
    ("审批事项全部进驻政务服务中心，办理时限压缩一半以上", 31, CommitmentStatus.DONE,
     "126项审批事项已全部进驻，平均办理时限由12天压缩到5天。"),
    ("每季度公开“三公”经费和公务接待费支出", 0, CommitmentStatus.ONGOING, "2014年第四季度支出已于1月8日公开。"),
    ("乡镇干部工作日住乡住村，去向公示，群众来办事找得到人", 60, CommitmentStatus.IN_PROGRESS,
     "全市20个乡镇均已建立值班带班和去向公示制度，市委督查室每月暗访一次。"),
)


def _publish(actor, publication):
    built = services.publication_preview(actor=actor, publication=publication)
    return services.publication_publish(actor=actor, publication=publication, digest=built.digest)


def demo_publications(*, office, city_office, campaign, unit, today: dt.date) -> None:
    """涟源市 publishes its 领导班子 and 专项整治 lists (every item), its 公开承诺, and the city office a 通报;
    its 制度建设 list stays a draft (chosen, not yet published), so the office sees both states."""
    for kind in (LedgerKind.LEADERSHIP, LedgerKind.SPECIAL, LedgerKind.INSTITUTION):
        ledger = Ledger.objects.get(campaign=campaign, unit=unit, kind=kind)
        publication = services.publication_create(actor=office, kind=PublicationKind.LEDGER, ledger=ledger)
        services.publication_choose(actor=office, publication=publication, title=publication.title,
                                    item_ids=ledger.items.values_list("pk", flat=True))
        if kind != LedgerKind.INSTITUTION:
            _publish(office, publication)
    for content, days, status, progress in COMMITMENTS:
        services.commitment_save(actor=office, unit=unit, campaign=campaign, content=content, status=status,
                                 due_on=today + dt.timedelta(days=days) if days else None, progress=progress)
    commitments = services.publication_create(actor=office, kind=PublicationKind.COMMITMENTS, unit=unit,
                                              campaign=campaign)
    _publish(office, commitments)
    bulletin = services.bulletin_save(
        actor=city_office, unit=campaign.owner_unit, campaign=campaign, title="关于“回头看”整改落实进展情况的通报",
        doc_number="", issued_on=today - dt.timedelta(days=3),
        body="全市各级各部门认真开展“回头看”，对照整改方案和“四个台账”逐项检查。\n"
             "截至目前，市级领导班子整改事项已完成过半，涟源市等单位整改进度较快，"
             "个别单位整改台账不完善、进度滞后，已下发督办通知单限期整改。\n"
             "欢迎广大群众通过各单位公开页面的“我要提意见”反映问题、监督整改。")
    _publish(city_office, services.publication_create(actor=city_office, kind=PublicationKind.BULLETIN,
                                                      bulletin=bulletin))


def demo_opinions(*, office, unit, today: dt.date) -> None:
    """Two letters to 涟源市 from the public: a report with a phone number left (kept encrypted), waiting for
    its answer, and an anonymous suggestion the office answered."""
    from huitoukan.publicity import opinion_services
    from huitoukan.publicity.contact import Contact
    from huitoukan.publicity.models import OpinionKind

    opinion_services.opinion_submit(
        unit=unit, kind=OpinionKind.REPORT, subject="政务服务中心窗口午休无人",
        content="中午12点到2点窗口无人办理，群众排队等候，请核查。", anonymous=False,
        contact=Contact(name="李先生", means="13900000000"), today=today,
        about_item=Item.objects.filter(ledger__unit=unit, problem__contains="门难进").first())
    suggestion = opinion_services.opinion_submit(
        unit=unit, kind=OpinionKind.OPINION, subject="建议公开办事指南",
        content="建议把各项审批的材料清单和时限公布在网上，少跑冤枉路。", today=today)
    opinion_services.opinion_answer(actor=office, opinion=suggestion.opinion,
                                    answer="感谢您的建议。126项审批事项的办事指南已在政务服务中心网站公开，并在大厅设置查询机。")


# (unit path, respondents, of whom 满意, 基本满意): 涟源市 well above the line, 新化县 seriously low, 双峰县 too few
# answers to be ranked.
SURVEY_SAMPLES = (("娄底市/涟源市", 40, 24, 12), ("娄底市/新化县", 36, 6, 8), ("娄底市/双峰县", 6, 6, 0))


def demo_survey(*, city_office, campaign, units, today: dt.date) -> None:
    """A closed 民意调查 of the city about three counties, answered through one-time tokens by 群众代表."""
    from huitoukan.publicity import survey_services
    from huitoukan.publicity.models import EvaluatorGroup, SurveyKind

    survey = survey_services.survey_create(
        actor=city_office, owner_unit=campaign.owner_unit, kind=SurveyKind.POLL, campaign=campaign,
        title="“回头看”整改落实群众满意度调查", questions=["对本单位“四风”问题整改的效果是否满意", "对干部作风转变是否满意"],
        target_units=units.values(), starts_on=today - dt.timedelta(days=10), ends_on=today, min_sample=30,
        low_threshold=60)
    survey_services.survey_open(actor=city_office, survey=survey, today=today - dt.timedelta(days=10))
    questions = list(survey.questions.order_by("order"))
    for path, respondents, satisfied, fairly in SURVEY_SAMPLES:
        tokens = survey_services.survey_tokens_issue(actor=city_office, survey=survey, unit=units[path],
                                                     group=EvaluatorGroup.PUBLIC, count=respondents)
        for n, token in enumerate(tokens):
            option = 0 if n < satisfied else 1 if n < satisfied + fairly else 2
            survey_services.survey_answer(raw_token=token, answers={q.pk: option for q in questions}, today=today)
    survey_services.survey_close(actor=city_office, survey=survey)
