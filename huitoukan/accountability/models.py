"""责任追究, 述职评议考核, 过关, 年度考核 (表扬) and 纪实评价.

Seeds 000 三.3-4 and 001 四.4 (严格责任追究, 纳入年度考核), 004 三 (一案双查, 通报批评、公开曝光, 党纪政纪处分),
004 一 (述职评议考核不合格的，教育实践活动不能过关), 004 二 (验收不过关的…视为不合格) and 004 五 (群众满意度仍然严重偏低…
不能过关; 纪实评价 报送上级党委组织部).

A `Case` is one matter of accountability at a unit: what caused it (ledger items, supervision findings, notices,
reports from the public), who decided it and when, its documents, and one `CaseAction` per person (or the unit
itself) held responsible, with the responsibility each bears (一案双查: the person directly responsible and the
leader responsible, each with their action). `UnitVerdict` keeps each unit's 过关 verdict per campaign, with its
reasons, so the roll-ups count units passed and not passed from kept totals (orgs.WorkTally).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from huitoukan.supervision.models import EvidenceFile


class CaseCause(models.TextChoices):
    """What the case is about: the three situations of seed 000 三.3, and 004 三's 顶风违纪."""

    SLACK = "slack", _("整改不力")  # 整改工作抓得不紧、整改措施落实不力、整改效果不明显
    FORMALISM = "formalism", _("搞形式、走过场、群众意见大")
    RELAPSE = "relapse", _("“四风”问题反弹回潮")
    DEFIANCE = "defiance", _("顶风违纪")
    OTHER = "other", _("其他")


class ActionKind(models.TextChoices):
    TALK = "talk", _("约谈提醒")
    ADMONISH = "admonish", _("诫勉批评")
    CIRCULATE = "circulate", _("通报批评")
    EXPOSE = "expose", _("公开曝光")
    ADJUST = "adjust", _("组织调整")
    REORGANISE = "reorganise", _("组织整顿")
    REFER = "refer", _("移交纪检机关依法依纪查处")
    SANCTION = "sanction", _("党纪政纪处分")


class Responsibility(models.TextChoices):
    DIRECT = "direct", _("当事人责任")
    LEADER = "leader", _("相关领导责任")
    UNIT = "unit", _("单位责任")


class CaseState(models.TextChoices):
    OPEN = "open", _("办理中")
    CONCLUDED = "concluded", _("已办结")


class Case(models.Model):
    campaign = models.ForeignKey("campaigns.Campaign", verbose_name=_("活动"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey("orgs.Unit", verbose_name=_("涉及单位"), on_delete=models.PROTECT,
                             related_name="accountability_cases")
    title = models.CharField(_("案由"), max_length=200)
    cause = models.CharField(_("问题性质"), max_length=16, choices=CaseCause.choices)
    facts = models.TextField(_("基本情况"))
    double_check = models.BooleanField(_("一案双查"), default=False)
    decided_on = models.DateField(_("决定日期"))
    decider = models.CharField(_("决定机关"), max_length=200)
    state = models.CharField(_("状态"), max_length=16, choices=CaseState.choices, default=CaseState.OPEN)
    items = models.ManyToManyField("ledgers.Item", verbose_name=_("相关台账事项"), blank=True, related_name="+")
    findings = models.ManyToManyField("supervision.Finding", verbose_name=_("相关督查问题"), blank=True,
                                      related_name="+")
    notices = models.ManyToManyField("notices.Notice", verbose_name=_("相关督办通知单"), blank=True, related_name="+")
    opinions = models.ManyToManyField("publicity.Opinion", verbose_name=_("相关群众意见和举报"), blank=True,
                                      related_name="+")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.PROTECT,
                                    related_name="+")
    recorded_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    history = HistoricalRecords(m2m_fields=[items, findings, notices, opinions])

    class Meta:
        verbose_name = _("责任追究")
        verbose_name_plural = _("责任追究")
        ordering = ["-decided_on", "-id"]
        indexes = [models.Index(fields=["unit", "decided_on"], name="case_unit_decided")]

    def __str__(self) -> str:
        return self.title


class CaseAction(models.Model):
    """The action taken on one person (or on the unit itself, `person` empty) in a case."""

    case = models.ForeignKey(Case, verbose_name=_("责任追究"), on_delete=models.CASCADE, related_name="actions")
    person = models.ForeignKey("orgs.Person", verbose_name=_("责任人"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="accountability_actions")
    # The unit answerable: the person's unit when the action was decided (people move), or the unit acted on.
    unit = models.ForeignKey("orgs.Unit", verbose_name=_("所在单位"), on_delete=models.PROTECT, related_name="+")
    responsibility = models.CharField(_("责任类型"), max_length=16, choices=Responsibility.choices)
    kind = models.CharField(_("处理方式"), max_length=16, choices=ActionKind.choices)
    decided_on = models.DateField(_("处理日期"))
    note = models.TextField(_("处理情况"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("处理措施")
        verbose_name_plural = _("处理措施")
        ordering = ["case", "id"]
        indexes = [models.Index(fields=["person", "decided_on"], name="case_action_person"),
                   models.Index(fields=["unit", "decided_on"], name="case_action_unit")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(person__isnull=False) | models.Q(responsibility="unit"),
                name="case_action_person_or_unit"),
        ]

    def __str__(self) -> str:
        return f"{self.get_responsibility_display()}：{self.get_kind_display()}"


class CaseDocument(EvidenceFile):
    """A decision, report or other document of a case."""

    case = models.ForeignKey(Case, verbose_name=_("责任追究"), on_delete=models.CASCADE, related_name="documents")

    class Meta(EvidenceFile.Meta):
        verbose_name = _("责任追究材料")
        verbose_name_plural = _("责任追究材料")


class AppraisalResult(models.TextChoices):
    PASSED = "passed", _("合格")
    FAILED = "failed", _("不合格")


class ReportAppraisal(models.Model):
    """The 基层党建工作述职评议考核 of a unit's 书记 / 负责人 in a campaign (004 一): 不合格 means 不能过关."""

    campaign = models.ForeignKey("campaigns.Campaign", verbose_name=_("活动"), on_delete=models.PROTECT,
                                 related_name="+")
    unit = models.ForeignKey("orgs.Unit", verbose_name=_("单位"), on_delete=models.PROTECT, related_name="+")
    result = models.CharField(_("考核结果"), max_length=8, choices=AppraisalResult.choices)
    appraised_on = models.DateField(_("考核日期"))
    note = models.TextField(_("说明"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.PROTECT,
                                    related_name="+")
    recorded_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("述职评议考核")
        verbose_name_plural = _("述职评议考核")
        ordering = ["-appraised_on", "-id"]
        indexes = [models.Index(fields=["campaign", "unit", "appraised_on"], name="appraisal_unit")]

    def __str__(self) -> str:
        return self.get_result_display()


class UnitVerdict(models.Model):
    """A unit's 过关 verdict in a campaign as last worked out (accountability.passing), kept for the roll-ups."""

    campaign = models.ForeignKey("campaigns.Campaign", verbose_name=_("活动"), on_delete=models.CASCADE,
                                 related_name="+")
    unit = models.ForeignKey("orgs.Unit", verbose_name=_("单位"), on_delete=models.CASCADE, related_name="+")
    passed = models.BooleanField(_("过关"))
    # [{"rule": key, "text": Chinese reason}] of each rule the unit fails; empty when it passes.
    reasons = models.JSONField(_("不过关原因"), default=list, blank=True)
    worked_out_at = models.DateTimeField(_("计算时间"), auto_now=True)

    class Meta:
        verbose_name = _("过关情况")
        verbose_name_plural = _("过关情况")
        constraints = [models.UniqueConstraint(fields=["campaign", "unit"], name="unit_verdict_unique")]

    def __str__(self) -> str:
        return str(_("过关")) if self.passed else str(_("不过关"))


class Commendation(models.Model):
    """表扬 of a unit or a person for rectification 抓得紧、成效好 (000 三.4)."""

    year = models.PositiveSmallIntegerField(_("年度"))
    unit = models.ForeignKey("orgs.Unit", verbose_name=_("单位"), on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey("orgs.Person", verbose_name=_("个人"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(_("表扬事由"))
    decided_on = models.DateField(_("表扬日期"))
    decider = models.CharField(_("决定机关"), max_length=200)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.PROTECT,
                                    related_name="+")
    recorded_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("表扬")
        verbose_name_plural = _("表扬")
        ordering = ["-decided_on", "-id"]

    def __str__(self) -> str:
        return self.reason[:30]


class EvaluationRating(models.TextChoices):
    GOOD = "good", _("好")
    FAIRLY_GOOD = "fairly_good", _("较好")
    AVERAGE = "average", _("一般")
    POOR = "poor", _("差")


class EvaluationState(models.TextChoices):
    DRAFT = "draft", _("记录中")
    SENT = "sent", _("已报送组织部")


class DocumentaryEvaluation(models.Model):
    """纪实评价 of a leading body (`person` empty) or a leader, kept by a supervision group through the campaign
    and sent to the 组织部 at its end (004 五)."""

    campaign = models.ForeignKey("campaigns.Campaign", verbose_name=_("活动"), on_delete=models.PROTECT,
                                 related_name="+")
    group = models.ForeignKey("orgs.SupervisionGroup", verbose_name=_("督导组"), on_delete=models.PROTECT,
                              related_name="+")
    unit = models.ForeignKey("orgs.Unit", verbose_name=_("单位"), on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey("orgs.Person", verbose_name=_("领导干部"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    record = models.TextField(_("纪实情况"))
    rating = models.CharField(_("评价等次"), max_length=16, choices=EvaluationRating.choices, blank=True)
    state = models.CharField(_("状态"), max_length=8, choices=EvaluationState.choices, default=EvaluationState.DRAFT)
    written_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("记录人"), on_delete=models.PROTECT,
                                   related_name="+")
    written_at = models.DateTimeField(_("记录时间"), auto_now=True)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("报送人"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="+")
    sent_at = models.DateTimeField(_("报送时间"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("纪实评价")
        verbose_name_plural = _("纪实评价")
        ordering = ["campaign", "unit", "id"]

    def __str__(self) -> str:
        return self.record[:30]
