"""Campaigns (活动), their phases and reporting deadlines."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from huitoukan.orgs.models import Batch, UnitKind, UnitLevel


class TargetRule(models.TextChoices):
    """Which units a deadline expects a report from, below the campaign's owner unit."""

    CHILDREN = "children", _("直属下级单位")
    LEVELS = "levels", _("下辖各级单位")


class PackagePart(models.TextChoices):
    """What a deadline's package (报送材料) holds: some of the four ledgers, the three plans, the report.

    The ledger parts carry ledgers.layouts.LedgerKind's values, the plan parts plans.models.PlanKind's:
    campaigns sit below both apps and name them by value."""

    LEDGER_LEADERSHIP = "ledger:leadership", _("领导班子整改落实工作台帐")
    LEDGER_PERSONAL = "ledger:personal", _("党员领导干部整改落实工作台帐")
    LEDGER_SPECIAL = "ledger:special", _("专项整治落实情况工作台帐")
    LEDGER_INSTITUTION = "ledger:institution", _("制度建设任务落实工作台帐")
    PLAN_RECTIFICATION = "plan:rectification", _("整改方案")
    PLAN_SPECIAL = "plan:special", _("专项整治方案")
    PLAN_INSTITUTION = "plan:institution", _("制度建设计划")
    REPORT = "plan:report", _("“回头看”情况报告")


class ReminderRecipient(models.TextChoices):
    """Who a reminder step goes to, at the unit that owes the report or the item."""

    OFFICE = "office", _("本单位活动办")
    RESPONSIBLE_LEADER = "responsible_leader", _("责任领导")
    DEPUTY_LEADER = "deputy_leader", _("分管领导")
    UNIT_HEAD = "unit_head", _("主要负责同志")


# A reminder step: {"days": N, "to": [ReminderRecipient values]}; N < 0 is N days before the due date,
# 0 the day itself, N > 0 N days overdue (江津's 20/10/overdue rule is the model).
DEFAULT_REMINDER_STEPS = [
    {"days": -7, "to": [ReminderRecipient.OFFICE, ReminderRecipient.RESPONSIBLE_LEADER]},
    {"days": -1, "to": [ReminderRecipient.DEPUTY_LEADER]},
    {"days": 1, "to": [ReminderRecipient.UNIT_HEAD]},
]


DEFAULT_RECHECK_MONTHS = "3,6,12"
MAX_RECHECK_MONTHS = 60


def recheck_months_parse(text: str) -> list[int]:
    """The months of a campaign's recheck setting, ascending, without repeats; ValueError names what is wrong."""
    months = set()
    for part in (text or "").replace("，", ",").replace("、", ",").split(","):
        part = part.strip()
        if not part:
            continue
        if not part.isdigit() or not 1 <= int(part) <= MAX_RECHECK_MONTHS:
            raise ValueError(part)
        months.add(int(part))
    return sorted(months)


def default_reminder_steps() -> list:
    return [dict(step, to=list(step["to"])) for step in DEFAULT_REMINDER_STEPS]


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
    # The campaign it was copied from (a county's campaign from the city's), or None.
    parent = models.ForeignKey("self", verbose_name=_("上级活动"), null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="children")
    # 逐级审阅: the levels whose units review a package on its way up, below the owner unit, which
    # always reviews last; empty: the package goes straight to the owner unit.
    review_levels = models.JSONField(_("逐级审阅层级"), default=list, blank=True)
    # 审核把关 by the unit's supervision group before the office submits.
    group_audit = models.BooleanField(_("须督导组审核"), default=False)
    # The reminder steps of every item deadline (整改时限) in the campaign's ledgers.
    item_reminder_steps = models.JSONField(_("整改时限催办步骤"), default=default_reminder_steps, blank=True)
    # 回头看复查: every item closed (销号) in the campaign's ledgers is rechecked this many months after its
    # closing date ("3,6,12"); empty: no rechecks (huitoukan.rechecks).
    recheck_months = models.CharField(_("复查时间（销号后月数）"), max_length=50, default=DEFAULT_RECHECK_MONTHS,
                                      blank=True)
    # At each recheck, ask a sample of the public who raised the item (their survey tokens) whether it held.
    recheck_ask_public = models.BooleanField(_("复查时征询反映问题的群众"), default=False)
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
    target_rule = models.CharField(_("报送单位范围"), max_length=16, choices=TargetRule.choices,
                                   default=TargetRule.LEVELS)
    levels = models.JSONField(_("适用层级"), default=list, help_text=_("须报送的单位层级"))
    # Empty: units of every kind.
    kinds = models.JSONField(_("适用单位类型"), default=list, blank=True)
    contents = models.JSONField(_("报送内容"), default=list, blank=True, help_text=_("报送材料包含的台账、方案和报告"))
    reminder_steps = models.JSONField(_("催办步骤"), default=default_reminder_steps, blank=True)
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

    def kind_labels(self) -> list[str]:
        return [str(UnitKind(kind).label) for kind in self.kinds if kind in UnitKind.values]

    def content_labels(self) -> list[str]:
        return [str(PackagePart(part).label) for part in self.contents if part in PackagePart.values]
