"""形式主义预警: a flag is what one check found at one unit of one campaign, with the evidence it names.

Seeds 002 三 (防止只说不做、蒙混过关…不走过场), 003 三.4 (弄虚作假、搞形式主义), 004 一 (真抓真改、真见成效).
A flag is found again by its stable `key` (campaign, kind, unit, key), so a re-scan updates it rather than
adding another; its state (待核实, 已转督查发现, 已排除) is the reviewers' and a scan never changes it.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class FlagKind(models.TextChoices):
    EVIDENCE_REUSED = "evidence_reused", _("佐证材料重复使用")
    EVIDENCE_LATE = "evidence_late", _("佐证晚于销号")
    EVIDENCE_TINY = "evidence_tiny", _("佐证材料过小")
    DEADLINE_DAY = "deadline_day", _("集中在时限当天销号")
    TEXT_ALIKE = "text_alike", _("跨单位雷同")
    PROGRESS_RUSH = "progress_rush", _("突击填报")


class FlagState(models.TextChoices):
    OPEN = "open", _("待核实")
    FINDING = "finding", _("已转督查发现")
    DISMISSED = "dismissed", _("已排除")


class Flag(models.Model):
    campaign = models.ForeignKey("campaigns.Campaign", verbose_name=_("活动"), on_delete=models.PROTECT,
                                 related_name="formalism_flags")
    unit = models.ForeignKey("orgs.Unit", verbose_name=_("单位"), on_delete=models.PROTECT,
                             related_name="formalism_flags")
    kind = models.CharField(_("预警类型"), max_length=16, choices=FlagKind.choices)
    key = models.CharField(_("识别键"), max_length=200)
    items = models.ManyToManyField("ledgers.Item", verbose_name=_("涉及事项"), related_name="formalism_flags",
                                   blank=True)
    # What the check found, as data (ids, digests, sizes, times, similar texts) and as a sentence.
    evidence = models.JSONField(_("依据数据"), default=dict, blank=True)
    sentence = models.TextField(_("预警说明"))
    state = models.CharField(_("状态"), max_length=16, choices=FlagState.choices, default=FlagState.OPEN)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("处理人"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    reason = models.TextField(_("排除理由"), blank=True)
    finding = models.ForeignKey("supervision.Finding", verbose_name=_("督查发现的问题"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="formalism_flags")
    first_seen = models.DateTimeField(_("首次发现"))
    last_seen = models.DateTimeField(_("最近发现"))

    history = HistoricalRecords(excluded_fields=["last_seen", "evidence", "sentence"])

    class Meta:
        verbose_name = _("形式主义预警")
        verbose_name_plural = _("形式主义预警")
        ordering = ["-last_seen", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "kind", "unit", "key"], name="flag_unique_key"),
        ]
        indexes = [models.Index(fields=["campaign", "state", "kind"], name="flag_campaign_state")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.unit_id}"
