"""The basis (依据) of every rule the UI names: the clause of the source document it comes from.

A page marks a rule with `{% load basis %}{% basis "accountability.talk" %}`: a small 依据 mark whose tooltip (and,
on a phone, its tap-open text) names the document, the clause and its words. The clauses live here once, so the
words a page cites are the documents' own, and a test checks that every key a template uses is defined.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Source:
    short: str  # how the tooltip names the document
    title: str


SOURCES = {
    "000": Source("中央“回头看”通知", "中央教育实践活动办公室《关于对教育实践活动整改落实情况进行“回头看”的通知》"),
    "001": Source("娄群办通〔2015〕1号", "《娄底市党的群众路线教育实践活动整改落实情况“回头看”工作方案》（娄群办通〔2015〕1号）"),
    "002": Source("中央关于整改落实的通知", "中央教育实践活动领导小组《关于认真做好整改落实、建章立制工作的通知》"),
    "003": Source("县教体系统“回头看”通知", "《关于高标准做实第一环节“回头看”工作的通知》"),
    "004": Source("娄底市第二批整改落实通知", "《关于做好第二批教育实践活动整改落实、建章立制工作的通知》"),
}


@dataclass(frozen=True)
class Clause:
    source: str  # a key of SOURCES (the seed file's number)
    place: str  # where in the document, as it numbers itself: 三.3, 附件1 说明
    words: str  # the document's own words (shortened with …)

    @property
    def document(self) -> Source:
        return SOURCES[self.source]

    @property
    def label(self) -> str:
        return f"{self.document.short} {self.place}"

    @property
    def text(self) -> str:
        return f"依据：{self.document.title} {self.place}：{self.words}"


CLAUSES: dict[str, Clause] = {
    # 责任追究 and 年度考核
    "accountability.talk": Clause("000", "三.3", "对整改工作抓得不紧、整改措施落实不力、整改效果不明显的，要对单位主要负责人进行约谈提醒"),
    "accountability.admonish": Clause("000", "三.3", "对搞形式、走过场、群众意见大的，要对单位主要负责人进行诫勉批评"),
    "accountability.relapse": Clause("000", "三.3", "对出现“四风”问题反弹回潮甚至顶风违纪的，既要追究当事人责任，还要追究相关领导责任"),
    "accountability.double_check": Clause("004", "三", "对顶风违纪的，实行“一案双查”，既要追究当事人责任，还要追究相关领导责任"),
    "accountability.circulate": Clause("004", "三", "对督查和抽查中发现的违纪违规行为，要进行通报批评、公开曝光，从严追究问责"),
    "accountability.sanction": Clause("004", "一", "要从严监督问责，情节严重的要给予党纪政纪处分"),
    "accountability.leaders": Clause("004", "五", "对推动本地本系统本单位领导班子整改不力、督促班子成员整改不严、抓制度建设敷衍应付的，要进行约谈；"
                                     "对本地本系统本单位有问题不整改、大问题小整改、边整改边反弹的，要严肃问责"),
    "annual.assessment": Clause("000", "三.4", "把整改落实情况作为领导班子、领导干部年度考核的重要内容，作为评先选优的重要依据"),
    "annual.excluded": Clause("000", "三.4", "对整改工作抓得紧、成效好的单位和个人予以表扬，整改不力的不能列入评先选优对象"),
    "annual.evaluation": Clause("004", "五", "要认真做好对领导班子和党员领导干部的纪实评价，在活动基本结束时，按照干部管理权限，"
                                "将纪实评价有关情况报送上级党委组织部"),
    # 公文 (documents): what the office sends out from the figures
    "documents.bulletin": Clause("001", "三.2", "抽查结果在全市通报"),
    "documents.report": Clause("001", "三.3", "要将开展“回头看”的情况报告在2015年2月5日前报市委教育实践活动办公室"),
    # 过关
    "passing.acceptance": Clause("004", "二", "凡验收不过关的，教育实践活动视为不合格，要继续整改，不能召开总结大会"),
    "passing.satisfaction": Clause("004", "五", "对群众满意度仍然严重偏低、群众反映问题突出的，教育实践活动不能过关，并视情追究一把手的责任"),
    "passing.appraisal": Clause("004", "一", "对述职评议考核不合格的，教育实践活动不能过关"),
    "passing.overdue": Clause("001", "二.1(2)", "整改任务是否建立台账、销号管理，整改措施是否具体可行、落实到位，列入整改的问题是否按期解决"),
    # 台账 (the four attachments of 001 and their 说明)
    "ledger.leadership": Clause("001", "附件1 说明", "领导班子存在的突出问题、具体整改措施、整改时限、牵头领导、责任单位根据领导班子整改问题清单逐项列出"),
    "ledger.personal": Clause("001", "附件2 说明", "个人“四风”方面突出问题和具体整改措施根据党员领导干部个人整改问题清单逐项列出；"
                              "…整改落实情况和后段工作措施由党员领导干部自己填写"),
    "ledger.special": Clause("001", "附件3 说明", "项目、任务目标、牵头领导、责任单位根据中央、省委、市委和本单位专项整治工作要求逐项列出"),
    "ledger.institution": Clause("001", "附件4 说明", "类别、制度名称、完成时限、牵头领导、责任单位根据中央、省委、市委和本单位专项整治工作要求逐项列出"),
    "ledger.progress": Clause("001", "附件1 说明", "整改落实情况和后段工作措施由承担分解责任的党员领导干部按工作分工填写，分项说明；"
                              "…由多名党员领导干部共同负责的具体问题同时列出，党员领导干部填报后，由各单位教育实践活动办公室综合"),
    "ledger.summary": Clause("001", "附件1-4 说明", "此表由各单位教育实践活动办公室汇总，并按程序逐级审阅，作为集中分析研究、公开通报依据"),
    "ledger.closing": Clause("001", "二.1(2)", "整改任务是否建立台账、销号管理，整改措施是否具体可行、落实到位，列入整改的问题是否按期解决，"
                             "整改效果群众是否认可"),
    "ledger.verify": Clause("001", "三.2", "对下一级党组织整改任务落实情况查核把关…督查要坚持标准、从严要求，关键是察变化、看实效，"
                            "防止简单听汇报、查资料，避免走过场、流于形式"),
    "ledger.special_closing": Clause("004", "二", "认真落实项目化推进、销号式管理制度，对已经整治的要巩固成果、防止反弹"),
    "ledger.send_back": Clause("001", "三.3", "对整改效果不理想、群众不满意的，可采取下发督办通知单等方式，责成“回炉”、“补课”，限期整改到位"),
    "ledger.new_problem": Clause("001", "三.3", "对新发现的问题，要及时纳入整改内容"),
    # 事项分类
    "item.four_winds": Clause("002", "二", "对文山会海、弄虚作假、不求实效等形式主义问题…官僚主义问题…享乐主义问题…奢靡之风问题，"
                              "要一风一风地查、一风一风地改"),
    "item.classification": Clause("002", "三.1", "搞清楚哪些是班子的，哪些是个人的；哪些是思想层面的、哪些是工作层面的、哪些是制度层面的；"
                                  "哪些是当前能够解决的，哪些是需要长期努力解决的，要逐项列出问题清单"),
    "item.source": Clause("004", "一", "切实回应征求到的群众意见，回应对照检查材料查摆的突出问题，回应专题民主生活会和专题组织生活会上提出的批评意见，"
                          "回应上级党组织和督导组点明的问题"),
    "item.handling": Clause("004", "一", "对目前能够解决的马上办，通过努力可以解决的限期办，暂不具备条件解决的向群众做好解释工作"),
    "item.list": Clause("004", "一", "列出整改问题清单，与人对应、与事对应，明确路线图、任务书、时间表和责任主体"),
    # 报送 and 逐级审阅
    "review.report_up": Clause("001", "三.1", "分别建立《领导班子整改落实情况台帐》…经党委（党组）主要负责同志和督导组审核把关后，"
                               "报上一级教育实践活动领导小组办公室"),
    "review.group_audit": Clause("004", "五", "全市副处级以上党员干部的整改措施和副处级以上领导班子整改方案先报市委各督导组审阅把关，"
                                 "再由市委各督导组统一报市委活动办联络组审核"),
    "review.phases": Clause("001", "三", "自查自纠阶段（2014年12月31日—2015年元月6日）…督查核实阶段（2015年元月7日—16日）…"
                            "深化整改阶段（2015年元月17日—2月底）…要将开展“回头看”的情况报告在2015年2月5日前报市委教育实践活动办公室"),
    # 两方案一计划
    "plans.three": Clause("000", "一", "对照“两方案一计划”（即整改方案、专项整治方案和制度建设计划），对整改落实的进展、效果和存在问题进行全面、深入的“回头看”"),
    "plans.content": Clause("002", "四.2", "领导班子要制定目标明确、措施具体、责任明晰的整改方案，明确整改落实的路线图、任务书和时间表"),
    "plans.filing": Clause("002", "四.2", "领导班子整改方案、专项整治方案和制度建设计划，要报上一级党的群众路线教育实践活动领导小组备案"),
    # 督查
    "supervision.level": Clause("001", "三.2", "各级党委（党组）要组织精干力量，对下一级党组织整改任务落实情况查核把关"),
    "supervision.spot": Clause("001", "三.2", "对重点单位、重点对象、重点问题的整改情况特别是专项整治情况进行抽查。抽查要确保一定的覆盖面，"
                               "注意了解掌握群众关注度高的问题整改情况。抽查情况及时向相关单位反馈"),
    "supervision.methods": Clause("001", "四.2", "在督查过程中可采取查看资料、个别访谈、随机抽查、延伸督查、明察暗访等方式，加大督导力度"),
    "supervision.covert": Clause("003", "三.3", "督查采取明察与暗访相结合的方式进行…暗访，主要是访干部作风转变情况，通过采取事先不打招呼、"
                                 "利用录音录像设备、上门走访、现场询问等方式"),
    "supervision.findings": Clause("001", "四.2", "对发现的问题，该指出的指出，该批评的批评，该纠正的纠正"),
    "supervision.answer": Clause("003", "四", "对明察暗访出来的问题在县电视台进行曝光，所在单位要向上级作出解释说明，并追究相关人员责任，"
                                 "限期进行整改，督导组要对整改结果进行跟踪问效"),
    # 督办通知单
    "notices.issue": Clause("001", "三.3", "可采取下发督办通知单等方式，责成“回炉”、“补课”，限期整改到位"),
    # 分析研判, 科学分类, 评估验收
    "assessments.analysis": Clause("001", "三.3", "对各单位整改成效进行客观评估，对存在的问题特别是“回头看”中党员群众反映的问题和意见建议进行认真分析，"
                                   "切实找准薄弱环节，明确进一步深化整改的着力点"),
    "assessments.classify": Clause("001", "三.3", "市委教育实践活动领导小组办公室将根据各单位整改落实具体进展情况，进行科学分类"),
    "assessments.liukan": Clause("002", "一", "一看学习教育是否扎实…二看查摆问题是否聚焦…三看自我剖析是否深刻…四看谈心交心是否充分…"
                                 "五看开展批评是否认真…六看边查边改是否见效"),
    "assessments.sange": Clause("003", "二.2", "“回头看”的检验标准…带头示范方面…整改落实方面：是否制定工作方案，方案是否科学，符合实际…"
                                "督导工作方面：是否按上级要求来展开督导，是否形成督导方案"),
    "assessments.remedial": Clause("002", "一", '真正看出问题、找到差距，不足的要"补课"，不够的要"加把火"，走了过场的要坚决返工重来'),
    "assessments.acceptance": Clause("004", "二", "严格对照评估标准，分别组织对县市区机关及其直属单位和企事业单位、乡镇和街道、各行业系统的专项整治工作进行全面评估，"
                                     "逐项验收过关"),
    # 开门整改
    "publicity.open": Clause("001", "三.3", "加大开门整改力度，通过电视、报纸、网络等媒体，公布整改进展和完成情况，接受群众监督"),
    "publicity.plan": Clause("004", "五", "领导班子制定整改方案，列出整改问题清单，明确具体目标、推进措施、责任主体和进度安排，"
                             "要在当地媒体或以适当方式公开，接受群众监督"),
    "publicity.personal": Clause("004", "五", "领导班子成员个人整改措施和清单，可在班子或单位内部公开"),
    "publicity.commitments": Clause("004", "五", "每个地方和单位为群众办实事都要作出公开承诺，进展情况要全程向群众公开"),
    "publicity.bulletin": Clause("000", "二.4", "领导班子整改落实情况要采取适当方式向党员群众通报"),
    "publicity.evaluation": Clause("004", "五", "活动基本结束时，要集中通报整改情况，组织群众评议，群众不满意的要“返工”“补课”。"
                                   "参加群众评议的对象，重点是本部门本单位干部职工和下属单位负责人、“两代表一委员”、群众代表和服务对象等"),
    "publicity.survey": Clause("004", "五", "对市直机关单位和各县市区、乡镇机关作风群众满意度和整治“四风”问题的成效开展民意调查，并进行排名和通报"),
    "publicity.opinions": Clause("004", "三", "要高度重视教育实践活动中的网民留言和群众举报、来信来访、网络舆情等问题"),
    "publicity.refer": Clause("002", "三.4", "对在活动中发现的重大违纪违法问题，特别是顶风违纪者，要及时移交有关方面依法依纪严肃查处"),
    # 上下联动 (ledgers.linkage)
    "linkage.claim": Clause("004", "五", "对需要上下联动整改的事项要认真梳理分析，该上级主动的上级要主动认领，该下级主动的下级要主动解决"),
    "linkage.sector": Clause("004", "五", "各行业系统主管部门党组（党委）要结合职能职责，主动认领和帮助解决基层反映的问题特别是涉及群众切身利益的问题"),
    "linkage.check": Clause("001", "二.1(5)", "县（市、区）委是否针对基层需要上级牵头解决的问题组织抓好联动整改"),
    # 形式主义预警 (formalism): checks against box-ticking
    "formalism.checks": Clause("002", "三", "防止只说不做、蒙混过关，防止虎头蛇尾、煮夹生饭，确保不虚、不空、不偏、不走过场"),
    "formalism.fraud": Clause("003", "三.4", "在督查过程中，对发现的工作落实不到位，弄虚作假、搞形式主义，解决问题无实效的单位…将严肃追究责任"),
    "formalism.real": Clause("004", "一", "动真碰硬、强化措施，真抓真改、真见成效，以实际行动取信于民"),
}


def clause(key: str) -> Clause:
    """The clause of `key`; a KeyError names a key no document backs (a test walks the templates for them)."""
    return CLAUSES[key]
