"""The three plans (两方案一计划) of a unit in a campaign, and its “回头看”情况报告.

Each is a document (sanitized rich text and/or an uploaded Word or PDF file) with its 路线图
(PlanStep), its 任务书 (PlanTask; their dates are the 时间表), and the ledger items it covers.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class PlanKind(models.TextChoices):
    """campaigns.models.PackagePart names these values as "plan:<value>": keep them."""

    RECTIFICATION = "rectification", _("整改方案")
    SPECIAL = "special", _("专项整治方案")
    INSTITUTION = "institution", _("制度建设计划")
    REPORT = "report", _("“回头看”情况报告")


class Plan(models.Model):
    unit = models.ForeignKey("orgs.Unit", verbose_name=_("单位"), on_delete=models.PROTECT, related_name="plans")
    campaign = models.ForeignKey("campaigns.Campaign", verbose_name=_("活动"), on_delete=models.PROTECT,
                                 related_name="plans")
    kind = models.CharField(_("类型"), max_length=16, choices=PlanKind.choices)
    title = models.CharField(_("标题"), max_length=200)
    # Sanitized HTML (plans.rules.body_clean), never the text as it was posted.
    body = models.TextField(_("正文"), blank=True)
    # The uploaded Word or PDF file, stored under its SHA-256 digest (plans.files).
    file_name = models.CharField(_("附件"), max_length=255, blank=True)
    file_sha256 = models.CharField(max_length=64, blank=True)
    file_size = models.PositiveBigIntegerField(null=True, blank=True)
    file_content_type = models.CharField(max_length=100, blank=True)
    items = models.ManyToManyField("ledgers.Item", verbose_name=_("关联问题"), related_name="plans", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(m2m_fields=[items])

    class Meta:
        verbose_name = _("方案")
        verbose_name_plural = _("方案")
        ordering = ["unit", "campaign", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "campaign", "kind"], name="plan_unique_kind"),
        ]

    def __str__(self) -> str:
        return self.title


class PlanStep(models.Model):
    """A step of the 路线图."""

    plan = models.ForeignKey(Plan, verbose_name=_("方案"), on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveIntegerField(_("序号"))
    title = models.CharField(_("步骤"), max_length=200)
    description = models.TextField(_("说明"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("路线图步骤")
        verbose_name_plural = _("路线图步骤")
        ordering = ["plan", "order", "id"]

    def __str__(self) -> str:
        return self.title


class PlanTask(models.Model):
    """A row of the 任务书; its due date places it on the 时间表."""

    plan = models.ForeignKey(Plan, verbose_name=_("方案"), on_delete=models.CASCADE, related_name="tasks")
    order = models.PositiveIntegerField(_("序号"))
    task = models.TextField(_("任务"))
    lead = models.CharField(_("牵头单位"), max_length=200, blank=True)
    owner = models.ForeignKey("orgs.Person", verbose_name=_("责任人"), null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="plan_tasks")
    owner_text = models.CharField(_("责任人"), max_length=100, blank=True)
    due_on = models.DateField(_("完成时限"), null=True, blank=True)
    done = models.BooleanField(_("已完成"), default=False)
    notes = models.TextField(_("备注"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("任务")
        verbose_name_plural = _("任务书")
        ordering = ["plan", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "order"], name="plan_task_unique_order"),
        ]

    def __str__(self) -> str:
        return self.task[:50]

    @property
    def owner_label(self) -> str:
        return self.owner.name if self.owner_id else self.owner_text
