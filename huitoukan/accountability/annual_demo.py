"""The demo's 表扬 and 纪实评价 (called by portal.demo after the cases demo), written through the services by the
demo's logins: a 表扬 of one of the unit's children by the discipline staff, and two 纪实评价 of the unit by the member
of the supervision group assigned it, one still being kept and one sent to the 组织部. A second run adds nothing."""

from __future__ import annotations

import datetime as dt

from huitoukan.accountability import annual_rules, annual_services
from huitoukan.accountability.annual import party_leaders
from huitoukan.accountability.models import Commendation, DocumentaryEvaluation, EvaluationRating
from huitoukan.orgs import selectors as org_selectors

PRAISE = "整改工作抓得紧、成效好：承诺事项全部按期兑现，群众满意度测评位列全市乡镇前列。"


def demo_annual(*, discipline, supervisor, campaign, unit, today: dt.date, commended=None) -> None:
    """`unit` (涟源市 in the demo): `commended` (one of its children; its first by default), or the first child that
    may be listed in 评先选优 when it may not, is commended; its
    leading body and its head are evaluated."""
    # Only a child that 评先选优 lists as 可列入 is commended (000 三.4): `commended` if it is, else the first that is.
    children = list(org_selectors.children(unit).order_by("path"))
    already = Commendation.objects.filter(unit__in=children, reason=PRAISE).exists()
    ordered = [c for c in [commended, *children] if c is not None]
    child = None if already else next(
        (c for c in ordered if not annual_rules.exclusion_of(unit=c, year=today.year)), None)
    if child is not None:
        annual_services.commendation_record(actor=discipline, year=today.year, unit=child, reason=PRAISE,
                                            decided_on=today, decider=f"中共{unit.name}委员会")
    if DocumentaryEvaluation.objects.filter(campaign=campaign, unit=unit).exists():
        return
    annual_services.evaluation_save(
        actor=supervisor, campaign=campaign, unit=unit,
        record="领导班子召开整改落实专题会议3次，班子成员整改台账按月更新；会议、文件压缩任务已完成，窗口服务整改仍需巩固。",
        rating="")
    leaders = party_leaders(unit)
    if leaders:
        head = leaders[0]  # the 主要负责同志 comes first
        sent = annual_services.evaluation_save(
            actor=supervisor, campaign=campaign, unit=unit, person=head, rating=EvaluationRating.GOOD,
            record=f"{head.name}同志带头认领整改任务，牵头的事项均按期推进，到联系点调研和接待群众来访均达到要求。")
        annual_services.evaluations_send(actor=supervisor, campaign=campaign, evaluations=[sent])
