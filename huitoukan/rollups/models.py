"""What the 汇总 remembers from day to day: each unit's figures as they stood at the end of a day.

The kept totals (ledgers.ItemTally, ItemDueTally) say how things stand now; a day's row here
keeps how they stood then, so the 汇总 can draw items and overdue items over time. Written once
a day by a periodic task (`rollups.services.daily_figures_record`), from the kept totals.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class DailyFigures(models.Model):
    unit = models.ForeignKey("orgs.Unit", on_delete=models.CASCADE, related_name="+")
    campaign = models.ForeignKey("campaigns.Campaign", on_delete=models.CASCADE, related_name="+")
    day = models.DateField(_("日期"))
    total = models.IntegerField(_("整改事项"), default=0)
    closed = models.IntegerField(_("已销号"), default=0)
    overdue = models.IntegerField(_("已逾期"), default=0)

    class Meta:
        verbose_name = _("每日汇总")
        constraints = [
            models.UniqueConstraint(fields=["unit", "campaign", "day"], name="daily_figures_unique_key"),
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.campaign_id} {self.day}: {self.total}/{self.closed}/{self.overdue}"
