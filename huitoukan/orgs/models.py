"""Units (组织树), people and supervision groups."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from treebeard.mp_tree import MP_Node

from huitoukan.core.paths import ALPHABET, STEPLEN


class UnitLevel(models.TextChoices):
    CENTRAL = "central", _("中央")
    PROVINCE = "province", _("省")
    CITY = "city", _("市")
    COUNTY = "county", _("县")
    TOWNSHIP = "township", _("乡镇街道")
    VILLAGE = "village", _("村社区")


# Depth order of the levels: a child sits at its parent's level or below it
# (机关单位 and 高校 are attached at their parent's level).
LEVEL_RANK = {level: rank for rank, level in enumerate(UnitLevel.values)}


class UnitKind(models.TextChoices):
    PARTY_COMMITTEE = "party_committee", _("党委")
    PARTY_GROUP = "party_group", _("党组")
    ORGAN = "organ", _("机关单位")
    GRASSROOTS = "grassroots", _("基层党组织")
    UNIVERSITY = "university", _("高校")
    STATE_ENTERPRISE = "state_enterprise", _("国有企业")
    LAW_ENFORCEMENT = "law_enforcement", _("执法监管部门/窗口单位")
    NON_PUBLIC = "non_public", _("非公/社会组织")


class Batch(models.TextChoices):
    FIRST = "first", _("第一批")
    SECOND = "second", _("第二批")


class Unit(MP_Node):
    """A party or government unit. The materialized path makes a subtree one index range."""

    # One alphabet and step for the tree and every path computation (core.paths).
    steplen = STEPLEN
    alphabet = ALPHABET
    # Full path of names from the top unit, e.g. 娄底市/涟源市/桥头河镇: how files and
    # commands name a unit, kept current by the services that rename or move units.
    full_name = models.CharField(_("单位全称路径"), max_length=1000, db_index=True)
    name = models.CharField(_("单位名称"), max_length=100)
    level = models.CharField(_("层级"), max_length=16, choices=UnitLevel.choices)
    kind = models.CharField(_("类型"), max_length=32, choices=UnitKind.choices)
    batch = models.CharField(_("批次"), max_length=16, choices=Batch.choices, blank=True)
    # 行业系统: the sector a 主管部门 leads and its units belong to (教育, 公安 …), for 专项检查 by sector.
    sector = models.CharField(_("行业系统"), max_length=50, blank=True, default="")
    established_on = models.DateField(_("成立日期"), null=True, blank=True)
    abolished_on = models.DateField(_("撤销日期"), null=True, blank=True)
    merged_into = models.ForeignKey(
        "self", verbose_name=_("并入单位"), null=True, blank=True, on_delete=models.PROTECT, related_name="merged_units"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["numchild"])

    class Meta:
        verbose_name = _("单位")
        verbose_name_plural = _("单位")
        indexes = [
            models.Index(fields=["level", "path"], name="unit_level_path"),
            # A unit's children (depth + 1 within its path range) as one seek: on the path alone a province's
            # children read every unit below it (20,000 rows, 100 ms on SQLite).
            models.Index(fields=["depth", "path"], name="unit_depth_path"),
        ]
        constraints = [
            # Active siblings have distinct names: the name path names one unit.
            models.UniqueConstraint(
                fields=["full_name"], condition=models.Q(abolished_on__isnull=True), name="unit_active_full_name_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.full_name or self.name

    @property
    def is_active(self) -> bool:
        return self.abolished_on is None

    def existed_on(self, day) -> bool:
        """Whether the unit existed on that date: the rule for 'units expected to report'."""
        started = self.established_on is None or self.established_on <= day
        ended = self.abolished_on is not None and self.abolished_on <= day
        return started and not ended


class Person(models.Model):
    name = models.CharField(_("姓名"), max_length=50)
    position = models.CharField(_("职务"), max_length=100, blank=True)
    unit = models.ForeignKey(Unit, verbose_name=_("所在单位"), on_delete=models.PROTECT, related_name="people")
    is_party_leader = models.BooleanField(_("党员领导干部"), default=False)
    is_unit_head = models.BooleanField(_("主要负责同志"), default=False)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登录账号"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
    )
    is_active = models.BooleanField(_("在职"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("人员")
        verbose_name_plural = _("人员")
        ordering = ["unit__path", "-is_unit_head", "id"]

    def __str__(self) -> str:
        return f"{self.name}（{self.position}）" if self.position else self.name


class SupervisionGroup(models.Model):
    """A 督导组 sent by a unit's committee to audit assigned units."""

    name = models.CharField(_("督导组名称"), max_length=100)
    dispatched_by = models.ForeignKey(
        Unit, verbose_name=_("派出单位"), on_delete=models.PROTECT, related_name="dispatched_groups"
    )
    assigned_units = models.ManyToManyField(Unit, verbose_name=_("督导单位"), related_name="supervision_groups", blank=True)
    leader = models.ForeignKey(
        Person, verbose_name=_("组长"), null=True, blank=True, on_delete=models.SET_NULL, related_name="led_groups"
    )
    is_active = models.BooleanField(_("在用"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords(m2m_fields=[assigned_units])

    class Meta:
        verbose_name = _("督导组")
        verbose_name_plural = _("督导组")
        constraints = [
            models.UniqueConstraint(fields=["dispatched_by", "name"], name="supervision_group_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class UnitTally(models.Model):
    """Kept counts of the units in force under a unit, its own self included, by level: how many
    units of a subtree are to build ledgers, read by the 汇总 without counting the tree.

    Written only by orgs.totals, in the transaction of the change it counts.
    """

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    level = models.CharField(max_length=16, choices=UnitLevel.choices)
    n = models.IntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit", "level"], name="unit_tally_unique_key")]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.level}: {self.n}"


class WorkTally(models.Model):
    """Kept counts of the objects of the apps above (督查发现的问题, 督办通知单, 研判分类 …) under a unit, its own
    self included, by topic and key (a state, a colour, a class), per campaign (0: not of a campaign): what
    the roll-ups read of them without counting rows.

    Written only through orgs.totals.work_counted, in the transaction of the change it counts; it follows a
    unit's move like UnitTally.
    """

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    campaign_id = models.IntegerField(default=0)
    topic = models.CharField(max_length=24)
    key = models.CharField(max_length=24)
    n = models.IntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit", "campaign_id", "topic", "key"],
                                               name="work_tally_unique_key")]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.campaign_id} {self.topic} {self.key}: {self.n}"
