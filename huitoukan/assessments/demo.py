"""The demo's check standards, word for word from the seeds, and a loader that publishes them and scores a few
units (one of them 差, with its 回炉 / 补课 tasks). Called by the portal's demo (huitoukan.portal.demo)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from huitoukan.assessments import rules, services
from huitoukan.assessments.models import Assessment, Checklist, RemedialKind
from huitoukan.assessments.services import ItemSpec, ScoreSpec

LIU_KAN_NAME = "六看"
LIU_KAN_BASIS = "关于开展“回头看”的通知 一、及时组织“回头看”"
# Seed 002 一: the six 看, each sentence as the seed writes it.
LIU_KAN = [
    "一看学习教育是否扎实。主要看是否认真学习了中央规定的学习材料，反对\"四风\"的思想自觉和行动自觉是否增强，"
    "是否做到了学用结合、知行合一。",
    "二看查摆问题是否聚焦。主要看征求意见是否深入，是否紧密联系实际，真正把自己摆进去，找准了问题。",
    "三看自我剖析是否深刻。主要看对照检查材料衡量尺子严不严、查摆问题准不准、原因分析透不透、整改措施实不实。"
    "特别是对群众反映强烈的\"车轮上的铺张\"、\"人情消费\"、职务消费、\"三公\"经费开支过大、违规配备秘书、"
    "违规占用住房和办公用房等问题是否进行了深入查摆。",
    "四看谈心交心是否充分。主要看党委（党组）主要负责同志与班子每名成员之间，班子成员相互之间，"
    "班子成员与分管部门负责同志之间，特别是平时有隔阂、有误解的同志之间，是否进行了谈心交心。",
    "五看开展批评是否认真。主要看领导班子专题民主生活会是否贯彻了整风精神、开展了积极健康的思想斗争，"
    "自我批评是否揭短亮丑，相互批评是否动真碰硬，对待批评意见是否态度诚恳、虚心接受，是否回应了群众反映的问题。",
    "六看边查边改是否见效。主要看领导机关、领导班子、领导干部对存在的问题是否提出了实质性的整改举措，"
    "做到了边学边改、边查边改、真转真改。是否抓紧建章立制、堵塞漏洞，是否有规必依、令行禁止，是否强化正风肃纪，"
    "对违规违纪行为进行了严肃查处。",
]

SANGE_NAME = "三个检验标准"
SANGE_BASIS = "关于高标准做实“回头看”工作的通知 二、2.“回头看”的检验标准"
# Seed 003 二.2: the three 检验标准, each paragraph as the seed writes it (without its number).
SANGE = [
    "带头示范方面：党组织书记是否带头学习，带头撰写学习体会，带头到党员、群众中去宣讲学习心得；"
    "党委（党组）集中学习时间是否达标，党员群众是否知晓教育实践活动主题、要求、目标；"
    "党委（党组）是否带头开展“回头看”，制定工作方案，并狠抓落实。",
    "整改落实方面：是否制定工作方案，方案是否科学，符合实际；专项活动开展是否进展顺利，是否取得有特色的典型经验；"
    "上级督导组、活动办对“回头看”工作是否给予了充分肯定，并有典型工作经验获得推广。",
    "督导工作方面：是否按上级要求来展开督导，是否形成督导方案；所督导单位是否按要求落实了“回头看”全部工作；"
    "所督导单位是否在某项具体工作上取得典型经验并得以总结推广；能否对所督导单位开展活动的情况给予客观、真实、"
    "准确的评估评价。",
]
ITEM_MAX = 10

# Per unit scored: (六看 scores, 三个检验标准 scores, overall comment): 好, 一般, 差.
DEMO_SCORES = [
    ([10, 9, 9, 10, 9, 9], [9, 10, 9], "学习教育扎实，边查边改见效明显。"),
    ([7, 6, 7, 6, 6, 7], [6, 7, 6], "基本达到要求，自我剖析还不够深刻。"),
    ([5, 4, 6, 3, 5, 4], [5, 4, 5], "查摆问题不聚焦，谈心交心走了过场，须回炉补课。"),
]
POOR_COMMENTS = {1: "征求意见范围窄，问题没有找准。", 3: "谈心交心不充分，未做到班子成员之间全覆盖。"}


@dataclass
class DemoAssessments:
    checklists: list[Checklist] = field(default_factory=list)
    assessments: list[Assessment] = field(default_factory=list)


def demo_assessments(office_user, supervisor_user, campaign, units, today: dt.date) -> DemoAssessments:
    """Publish 六看 and 三个检验标准 in `campaign` (as `office_user`, who manages it) and score the first three of
    `units` 好, 一般 and 差 (by `supervisor_user` where the group may score the unit, else by `office_user`);
    the 差 unit gets 补课 tasks due in 15 days."""
    result = DemoAssessments()
    for name, basis, texts in ((LIU_KAN_NAME, LIU_KAN_BASIS, LIU_KAN), (SANGE_NAME, SANGE_BASIS, SANGE)):
        checklist = services.checklist_create(actor=office_user, campaign=campaign, name=name, basis=basis,
                                              items=[ItemSpec(text, ITEM_MAX) for text in texts])
        services.checklist_publish(actor=office_user, checklist=checklist)
        result.checklists.append(checklist)
    versions = [c.versions.get(number=1) for c in result.checklists]
    for unit, (liu, sange, comment) in zip(units, DEMO_SCORES, strict=False):
        scorer = supervisor_user if supervisor_user is not None and rules.may_score(supervisor_user, unit) \
            else office_user
        poor = liu == DEMO_SCORES[-1][0]
        for version, marks in zip(versions, (liu, sange), strict=True):
            items = list(version.items.order_by("order"))
            scores = [ScoreSpec(item.pk, mark, POOR_COMMENTS.get(item.order, "") if poor and version is versions[0]
                                else "") for item, mark in zip(items, marks, strict=True)]
            result.assessments.append(services.assessment_record(
                actor=scorer, unit=unit, version=version, scores=scores, assessed_on=today, comment=comment,
                remedial_kind=RemedialKind.MAKE_UP, remedial_due_on=today + dt.timedelta(days=15)))
    return result
