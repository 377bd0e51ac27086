"""回头看复查: the rechecks of a closed (销号) item, 3, 6 and 12 months after its closing (set per campaign)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class RecheckState(models.TextChoices):
    PENDING = "pending", _("待复查")
    CONFIRMED = "confirmed", _("已确认")
    FAILED = "failed", _("未通过（反弹）")
    # The item was reopened (回炉, 反弹) before this recheck was done: it no longer follows a closing.
    CANCELLED = "cancelled", _("已撤销")


class Recheck(models.Model):
    """One recheck of one closing of an item: planned when the item is closed, done by the unit with fresh
    evidence (确认), or failed (未通过), which reopens the item as 反弹 through the ledgers' own service."""

    item = models.ForeignKey("ledgers.Item", verbose_name=_("整改事项"), on_delete=models.PROTECT,
                             related_name="rechecks")
    closed_on = models.DateField(_("销号日期"))  # the closing this recheck follows
    round_months = models.PositiveSmallIntegerField(_("销号后月数"))
    due_on = models.DateField(_("复查日期"))
    state = models.CharField(_("状态"), max_length=16, choices=RecheckState.choices, default=RecheckState.PENDING)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("复查人"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(_("复查时间"), null=True, blank=True)
    note = models.TextField(_("复查情况"), blank=True)
    # The fresh files of the recheck: ledgers' Evidence rows of the item (stored through ledgers.evidence_add).
    evidence = models.ManyToManyField("ledgers.Evidence", verbose_name=_("佐证材料"), blank=True, related_name="+")
    # The public asked (the campaign's recheck_ask_public): a 民意调查 of the item's unit whose one-time tokens went
    # to a sample of the people whose letters the item came from (publicity's surveys, not a second mechanism).
    public_survey = models.ForeignKey("publicity.Survey", verbose_name=_("征询群众"), null=True, blank=True,
                                      on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords(excluded_fields=["created_at"])

    class Meta:
        verbose_name = _("回头看复查")
        verbose_name_plural = _("回头看复查")
        ordering = ["due_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["item", "closed_on", "round_months"], name="recheck_unique_round"),
            models.CheckConstraint(
                condition=Q(state="pending") | Q(state="cancelled") | Q(decided_at__isnull=False),
                name="recheck_decided_has_time",
            ),
        ]
        indexes = [models.Index(fields=["state", "due_on"], name="recheck_state_due")]

    def __str__(self) -> str:
        return f"{self.item} · {self.round_months}个月复查"
