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
    # 过关
    "passing.acceptance": Clause("004", "二", "凡验收不过关的，教育实践活动视为不合格，要继续整改，不能召开总结大会"),
    "passing.satisfaction": Clause("004", "五", "对群众满意度仍然严重偏低、群众反映问题突出的，教育实践活动不能过关，并视情追究一把手的责任"),
    "passing.appraisal": Clause("004", "一", "对述职评议考核不合格的，教育实践活动不能过关"),
    "passing.overdue": Clause("001", "二.1(2)", "整改任务是否建立台账、销号管理，整改措施是否具体可行、落实到位，列入整改的问题是否按期解决"),
}


def clause(key: str) -> Clause:
    """The clause of `key`; a KeyError names a key no document backs (a test walks the templates for them)."""
    return CLAUSES[key]
