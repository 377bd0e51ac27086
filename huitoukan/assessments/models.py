"""分析研判、科学分类 and 专项整治评估验收.

Seeds 002 一 (the 六看), 003 二.2 (the three 检验标准), 001 三.3 (科学分类) and 004 二 (严格评估验收): a campaign's
check standards are versioned checklists; an assessor scores a unit against a published version; the unit's
class (好 / 较好 / 一般 / 差) follows from its latest scores and the campaign's thresholds and is kept in
`UnitStanding`; a unit classed 差 gets 回炉 / 补课 tasks. Each task of a unit's 专项整治方案 is evaluated and
accepted or not (`Acceptance`); while the latest evaluation of one of them failed, the unit's campaign is 不合格.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from huitoukan.supervision.models import EvidenceFile

SCORE = {"max_digits": 6, "decimal_places": 1}
PERCENT = {"max_digits": 5, "decimal_places": 2}


class Checklist(models.Model):
    """A check standard of a campaign (e.g. 六看, 三个检验标准); its items live in its versions."""

    campaign = models.ForeignKey("campaigns.Campaign", verbose_name=_("活动"), on_delete=models.PROTECT,
                                 related_name="checklists")
    name = models.CharField(_("名称"), max_length=100)
    basis = models.CharField(_("依据"), max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("创建人"), on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("检验标准")
        verbose_name_plural = _("检验标准")
        ordering = ["campaign", "id"]
        constraints = [models.UniqueConstraint(fields=["campaign", "name"], name="checklist_unique_name")]

    def __str__(self) -> str:
        return self.name


class ChecklistVersion(models.Model):
    """One version of a checklist. Published, it is frozen: a change makes the next (draft) version."""

    checklist = models.ForeignKey(Checklist, verbose_name=_("检验标准"), on_delete=models.PROTECT,
                                  related_name="versions")
    number = models.PositiveIntegerField(_("版本号"))
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("发布人"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("创建人"), on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("检验标准版本")
        verbose_name_plural = _("检验标准版本")
        ordering = ["checklist", "number"]
        constraints = [models.UniqueConstraint(fields=["checklist", "number"], name="checklist_version_unique")]

    def __str__(self) -> str:
        return f"{self.checklist.name} 第{self.number}版"

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class ChecklistItem(models.Model):
    version = models.ForeignKey(ChecklistVersion, verbose_name=_("版本"), on_delete=models.PROTECT,
                                related_name="items")
    order = models.PositiveIntegerField(_("序号"))
    text = models.TextField(_("内容"))
    max_score = models.DecimalField(_("满分"), **SCORE)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("检验标准条目")
        verbose_name_plural = _("检验标准条目")
        ordering = ["version", "order"]
        constraints = [models.UniqueConstraint(fields=["version", "order"], name="checklist_item_unique_order")]

    def __str__(self) -> str:
        return self.text[:40]


class Grade(models.TextChoices):
    GOOD = "good", _("好")
    FAIRLY_GOOD = "fairly_good", _("较好")
    AVERAGE = "average", _("一般")
    POOR = "poor", _("差")


DEFAULT_THRESHOLDS = {"good": Decimal("90"), "fairly_good": Decimal("75"), "average": Decimal("60")}


class ClassThresholds(models.Model):
    """The lowest percentage of each class in a campaign; below `average` is 差."""

    campaign = models.OneToOneField("campaigns.Campaign", verbose_name=_("活动"), on_delete=models.PROTECT,
                                    related_name="class_thresholds")
    good = models.DecimalField(_("“好”不低于"), default=DEFAULT_THRESHOLDS["good"], **PERCENT)
    fairly_good = models.DecimalField(_("“较好”不低于"), default=DEFAULT_THRESHOLDS["fairly_good"], **PERCENT)
    average = models.DecimalField(_("“一般”不低于"), default=DEFAULT_THRESHOLDS["average"], **PERCENT)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("修改人"), on_delete=models.PROTECT,
                                   related_name="+")
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("分类标准")
        verbose_name_plural = _("分类标准")

    def __str__(self) -> str:
        return f"{self.good}/{self.fairly_good}/{self.average}"


class Assessment(models.Model):
    """A unit scored against one published checklist version. Never edited: a new scoring is a new row."""

    unit = models.ForeignKey("orgs.Unit", verbose_name=_("单位"), on_delete=models.PROTECT,
                             related_name="assessments")
    campaign = models.ForeignKey("campaigns.Campaign", verbose_name=_("活动"), on_delete=models.PROTECT,
                                 related_name="assessments")
    version = models.ForeignKey(ChecklistVersion, verbose_name=_("检验标准版本"), on_delete=models.PROTECT,
                                related_name="assessments")
    checklist = models.ForeignKey(Checklist, verbose_name=_("检验标准"), on_delete=models.PROTECT,
                                  related_name="assessments")
    assessor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("评分人"), on_delete=models.PROTECT,
                                 related_name="+")
    assessed_on = models.DateField(_("评分日期"))
    comment = models.TextField(_("总体评价"), blank=True)
    total = models.DecimalField(_("得分"), **SCORE)
    max_total = models.DecimalField(_("满分"), **SCORE)
    percentage = models.DecimalField(_("得分率(%)"), **PERCENT)
    created_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("分析研判评分")
        verbose_name_plural = _("分析研判评分")
        ordering = ["-assessed_on", "-id"]
        indexes = [models.Index(fields=["campaign", "unit", "checklist"], name="assessment_latest")]

    def __str__(self) -> str:
        return f"{self.checklist.name} {self.assessed_on}"


class AssessmentScore(models.Model):
    assessment = models.ForeignKey(Assessment, verbose_name=_("评分"), on_delete=models.PROTECT,
                                   related_name="scores")
    item = models.ForeignKey(ChecklistItem, verbose_name=_("条目"), on_delete=models.PROTECT, related_name="+")
    score = models.DecimalField(_("得分"), **SCORE)
    comment = models.TextField(_("评语"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("条目得分")
        verbose_name_plural = _("条目得分")
        ordering = ["assessment", "item__order"]
        constraints = [models.UniqueConstraint(fields=["assessment", "item"], name="assessment_score_unique")]

    def __str__(self) -> str:
        return str(self.score)


class UnitStanding(models.Model):
    """What the roll-ups read of a unit in a campaign, kept by the services in the transaction of the write
    that changes it: its class (from its latest assessments) and whether its acceptance failed (不合格)."""

    unit = models.ForeignKey("orgs.Unit", verbose_name=_("单位"), on_delete=models.PROTECT,
                             related_name="assessment_standings")
    campaign = models.ForeignKey("campaigns.Campaign", verbose_name=_("活动"), on_delete=models.PROTECT,
                                 related_name="assessment_standings")
    grade = models.CharField(_("分类"), max_length=16, choices=Grade.choices, blank=True)
    percentage = models.DecimalField(_("得分率(%)"), null=True, blank=True, **PERCENT)
    assessed_on = models.DateField(_("最近评分日期"), null=True, blank=True)
    failed = models.BooleanField(_("评估验收不合格"), default=False)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("单位分类")
        verbose_name_plural = _("单位分类")
        constraints = [models.UniqueConstraint(fields=["unit", "campaign"], name="unit_standing_unique")]
        indexes = [models.Index(fields=["campaign", "grade"], name="unit_standing_grade")]

    def __str__(self) -> str:
        return self.get_grade_display()


class RemedialKind(models.TextChoices):
    REDO = "redo", _("回炉")
    MAKE_UP = "make_up", _("补课")


class RemedialState(models.TextChoices):
    OPEN = "open", _("待完成")
    DONE = "done", _("已完成")


class RemedialTask(models.Model):
    """回炉 / 补课 of a unit classed 差, from the assessment that found the shortfall."""

    unit = models.ForeignKey("orgs.Unit", verbose_name=_("单位"), on_delete=models.PROTECT,
                             related_name="remedial_tasks")
    campaign = models.ForeignKey("campaigns.Campaign", verbose_name=_("活动"), on_delete=models.PROTECT,
                                 related_name="remedial_tasks")
    assessment = models.ForeignKey(Assessment, verbose_name=_("评分"), on_delete=models.PROTECT,
                                   related_name="remedial_tasks")
    kind = models.CharField(_("类型"), max_length=16, choices=RemedialKind.choices)
    description = models.TextField(_("内容"))
    due_on = models.DateField(_("完成时限"))
    state = models.CharField(_("状态"), max_length=16, choices=RemedialState.choices, default=RemedialState.OPEN)
    note = models.TextField(_("完成情况"), blank=True)
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("确认人"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="+")
    done_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("安排人"), on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(_("安排时间"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("回炉补课任务")
        verbose_name_plural = _("回炉补课任务")
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["campaign", "unit", "state"], name="remedial_unit_state")]

    def __str__(self) -> str:
        return self.description[:40]


class AcceptanceResult(models.TextChoices):
    PASSED = "passed", _("通过")
    FAILED = "failed", _("不通过")


class Acceptance(models.Model):
    """评估验收 of one task of a unit's 专项整治方案 by an office above the unit. A re-evaluation is a new row."""

    plan_task = models.ForeignKey("plans.PlanTask", verbose_name=_("专项整治任务"), on_delete=models.PROTECT,
                                  related_name="acceptances")
    unit = models.ForeignKey("orgs.Unit", verbose_name=_("单位"), on_delete=models.PROTECT,
                             related_name="acceptances")
    campaign = models.ForeignKey("campaigns.Campaign", verbose_name=_("活动"), on_delete=models.PROTECT,
                                 related_name="acceptances")
    result = models.CharField(_("验收结果"), max_length=16, choices=AcceptanceResult.choices)
    comments = models.TextField(_("验收意见"), blank=True)
    accepted_on = models.DateField(_("验收日期"))
    evaluator = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("验收人"), on_delete=models.PROTECT,
                                  related_name="+")
    created_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("评估验收")
        verbose_name_plural = _("评估验收")
        ordering = ["-accepted_on", "-id"]
        indexes = [models.Index(fields=["campaign", "unit", "plan_task"], name="acceptance_latest")]

    def __str__(self) -> str:
        return self.get_result_display()


class AssessmentEvidence(EvidenceFile):
    """A file of an assessment or of an acceptance, stored once under its SHA-256 (supervision.evidence)."""

    assessment = models.ForeignKey(Assessment, verbose_name=_("评分"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="evidence")
    acceptance = models.ForeignKey(Acceptance, verbose_name=_("评估验收"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="evidence")

    class Meta(EvidenceFile.Meta):
        verbose_name = _("评估佐证材料")
        verbose_name_plural = _("评估佐证材料")
        constraints = [models.CheckConstraint(
            condition=models.Q(assessment__isnull=False) | models.Q(acceptance__isnull=False),
            name="assessment_evidence_owner")]
