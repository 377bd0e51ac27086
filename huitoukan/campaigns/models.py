"""Campaigns (活动), their phases and reporting deadlines."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from huitoukan.orgs.models import Batch, UnitLevel


class Campaign(models.Model):
    name = models.CharField(_("活动名称"), max_length=200)
    owner_unit = models.ForeignKey(
        "orgs.Unit", verbose_name=_("组织单位"), on_delete=models.PROTECT, related_name="campaigns"
    )
    batch = models.CharField(_("批次"), max_length=16, choices=Batch.choices, blank=True)
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"))
    basis = models.CharField(_("依据文件"), max_length=300, blank=True)
    description = models.TextField(_("说明"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("活动")
        verbose_name_plural = _("活动")
        ordering = ["-starts_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["owner_unit", "name"], name="campaign_unique_name"),
            models.CheckConstraint(condition=models.Q(ends_on__gte=models.F("starts_on")), name="campaign_dates_ordered"),
        ]

    def __str__(self) -> str:
        return self.name


class Phase(models.Model):
    campaign = models.ForeignKey(Campaign, verbose_name=_("活动"), on_delete=models.CASCADE, related_name="phases")
    name = models.CharField(_("阶段名称"), max_length=100)
    order = models.PositiveSmallIntegerField(_("顺序"))
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"))
    tasks = models.TextField(_("主要任务"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("阶段")
        verbose_name_plural = _("阶段")
        ordering = ["campaign", "order"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "order"], name="phase_unique_order"),
            models.CheckConstraint(condition=models.Q(ends_on__gte=models.F("starts_on")), name="phase_dates_ordered"),
        ]

    def __str__(self) -> str:
        return self.name


class Deadline(models.Model):
    """A report due from the units of given levels below the campaign's owner unit."""

    campaign = models.ForeignKey(Campaign, verbose_name=_("活动"), on_delete=models.CASCADE, related_name="deadlines")
    phase = models.ForeignKey(
        Phase, verbose_name=_("所属阶段"), null=True, blank=True, on_delete=models.SET_NULL, related_name="deadlines"
    )
    name = models.CharField(_("报送事项"), max_length=200)
    due_on = models.DateField(_("截止日期"))
    levels = models.JSONField(_("适用层级"), default=list, help_text=_("须报送的单位层级"))
    basis = models.CharField(_("依据"), max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("报送时限")
        verbose_name_plural = _("报送时限")
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return f"{self.name}（{self.due_on:%Y-%m-%d}）"

    def level_labels(self) -> list[str]:
        return [str(UnitLevel(level).label) for level in self.levels if level in UnitLevel.values]
