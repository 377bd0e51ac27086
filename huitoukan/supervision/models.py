"""督查督办: inspections ordered by an office over units, their evidence, and the findings they record.

Seeds 001 三.2 and 四.2, 002 一 and 三.5, 003 二-三, 004 二-三: an office (活动办) orders an inspection
(逐级督查, 重点抽查, 专项检查, 明察暗访, 延伸督查, 跟踪问效) of units, carried out by a team (often a
supervision group's members) by the methods of the seeds (听汇报, 看现场, 查资料, 个别访谈 …). What it
finds is a `Finding` of one unit, which the unit's own office answers and the inspection side closes, puts
into the unit's ledger as a new item (上级和督导组点明), or sends an existing item back (回炉).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class InspectionKind(models.TextChoices):
    LEVEL_BY_LEVEL = "level_by_level", _("逐级督查")
    SPOT_CHECK = "spot_check", _("重点抽查")
    SPECIAL = "special", _("专项检查")
    OPEN = "open", _("明察")
    COVERT = "covert", _("暗访")
    EXTENDED = "extended", _("延伸督查")
    FOLLOW_UP = "follow_up", _("跟踪问效")


class Method(models.TextChoices):
    BRIEFING = "briefing", _("听汇报")
    SITE = "site", _("看现场")
    RECORDS = "records", _("查资料")
    INTERVIEW = "interview", _("个别访谈")
    RANDOM = "random", _("随机抽查")
    EXTENDED = "extended", _("延伸督查")
    VISIT = "visit", _("上门走访")
    ON_SITE_QUESTIONS = "questions", _("现场询问")
    RECORDING = "recording", _("录音录像")


class InspectionState(models.TextChoices):
    PLANNED = "planned", _("计划中")
    ONGOING = "ongoing", _("进行中")
    DONE = "done", _("已完成")


class Inspection(models.Model):
    kind = models.CharField(_("督查方式"), max_length=16, choices=InspectionKind.choices)
    title = models.CharField(_("名称"), max_length=200)
    ordering_unit = models.ForeignKey("orgs.Unit", verbose_name=_("组织单位"), on_delete=models.PROTECT,
                                      related_name="ordered_inspections")
    group = models.ForeignKey("orgs.SupervisionGroup", verbose_name=_("督导组"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="inspections")
    # Logins, because the policy decides on logins: every member must be able to read the inspected units.
    team = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name=_("检查组成员"), blank=True,
                                  related_name="inspections_on_team")
    units = models.ManyToManyField("orgs.Unit", verbose_name=_("被检查单位"), related_name="inspections")
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"), null=True, blank=True)
    methods = models.JSONField(_("督查方法"), default=list, blank=True)
    record = models.TextField(_("督查记录"), blank=True)
    state = models.CharField(_("状态"), max_length=16, choices=InspectionState.choices,
                             default=InspectionState.PLANNED)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("安排人"), on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(_("安排时间"), auto_now_add=True)
    completed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("完成人"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    completed_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    # A 暗访 is sealed: its record, media and findings are read by its team and the ordering office only,
    # until that office releases the findings (by decision, or on `sealed_until`). The team is never shown
    # to the visited unit, sealed or not.
    sealed_until = models.DateField(_("解密日期"), null=True, blank=True)
    released_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    released_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("发布人"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("督查")
        verbose_name_plural = _("督查")
        ordering = ["-starts_on", "-id"]

    def __str__(self) -> str:
        return self.title

    def is_sealed(self, today) -> bool:
        """A 暗访 not yet released, by decision or by its date."""
        if self.kind != InspectionKind.COVERT or self.released_at is not None:
            return False
        return self.sealed_until is None or today < self.sealed_until

    @property
    def method_labels(self) -> list[str]:
        labels = dict(Method.choices)
        return [str(labels.get(m, m)) for m in self.methods]


class EvidenceKind(models.TextChoices):
    PHOTO = "photo", _("照片")
    AUDIO = "audio", _("录音")
    VIDEO = "video", _("录像")
    DOCUMENT = "document", _("文档")


class EvidenceFile(models.Model):
    """A file stored once under its SHA-256 (supervision.evidence), as its owner's evidence: the columns every
    evidence model shares (督查, 督办通知单答复, 研判评估), and the one way rows are made from stored files."""

    kind = models.CharField(_("类型"), max_length=16, choices=EvidenceKind.choices)
    sha256 = models.CharField(_("摘要(SHA-256)"), max_length=64)
    size = models.PositiveBigIntegerField(_("大小"))
    original_name = models.CharField(_("文件名"), max_length=255)
    content_type = models.CharField(_("文件类型"), max_length=100)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("上传人"), on_delete=models.PROTECT,
                                    related_name="+")
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name

    @classmethod
    def rows_of(cls, stored, *, actor, **owner) -> list:
        """A row per file `evidence.evidence_store` stored, uploaded by `actor`, belonging to `owner`."""
        return [cls.objects.create(**owner, kind=f.kind, sha256=f.sha256, size=f.size, original_name=f.original_name,
                                   content_type=f.content_type, uploaded_by=actor) for f in stored]


class InspectionEvidence(EvidenceFile):
    """A file of an inspection or of a finding."""

    inspection = models.ForeignKey(Inspection, verbose_name=_("督查"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="evidence")
    finding = models.ForeignKey("Finding", verbose_name=_("发现的问题"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="evidence")

    class Meta(EvidenceFile.Meta):
        verbose_name = _("督查佐证材料")
        verbose_name_plural = _("督查佐证材料")
        constraints = [models.CheckConstraint(
            condition=models.Q(inspection__isnull=False) | models.Q(finding__isnull=False),
            name="inspection_evidence_owner")]


class Severity(models.TextChoices):
    GENERAL = "general", _("一般")
    SERIOUS = "serious", _("较重")
    GRAVE = "grave", _("严重")


class FindingState(models.TextChoices):
    AWAITING = "awaiting", _("待答复")
    ANSWERED = "answered", _("已答复")
    CLOSED = "closed", _("已办结")


class LinkKind(models.TextChoices):
    CREATED = "created", _("转为台账问题")
    SENT_BACK = "sent_back", _("回炉")


class Finding(models.Model):
    unit = models.ForeignKey("orgs.Unit", verbose_name=_("单位"), on_delete=models.PROTECT,
                             related_name="supervision_findings")
    inspection = models.ForeignKey(Inspection, verbose_name=_("督查"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="findings")
    # The ledger item the finding is about, if any.
    item = models.ForeignKey("ledgers.Item", verbose_name=_("台账事项"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="supervision_findings_about")
    description = models.TextField(_("发现的问题"))
    severity = models.CharField(_("严重程度"), max_length=16, choices=Severity.choices, default=Severity.GENERAL)
    answer_due_on = models.DateField(_("答复期限"), null=True, blank=True)
    state = models.CharField(_("状态"), max_length=16, choices=FindingState.choices, default=FindingState.AWAITING)
    answer = models.TextField(_("单位答复"), blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("答复人"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    close_note = models.TextField(_("办结说明"), blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("办结人"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    # The ledger item the finding became (转为台账问题) or sent back (回炉); the item reads its findings back
    # through `supervision_findings`.
    linked_item = models.ForeignKey("ledgers.Item", verbose_name=_("关联台账事项"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="supervision_findings")
    link_kind = models.CharField(_("关联方式"), max_length=16, choices=LinkKind.choices, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("记录人"), on_delete=models.PROTECT,
                                    related_name="+")
    recorded_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("督查发现的问题")
        verbose_name_plural = _("督查发现的问题")
        ordering = ["-recorded_at", "-id"]
        indexes = [models.Index(fields=["unit", "state"], name="finding_unit_state")]

    def __str__(self) -> str:
        return self.description[:40]


# --- 重点抽查: auditable spot checks (issue 13 item 3; huitoukan.supervision.spotchecks) -----------------


class SpotCheckState(models.TextChoices):
    COMMITTED = "committed", _("已承诺")
    DRAWN = "drawn", _("已抽取")


class PopulationKind(models.TextChoices):
    UNITS = "units", _("单位")
    ITEMS = "items", _("台账事项")


class SpotCheck(models.Model):
    """A spot check (重点抽查): a sample of the units under `root`, drawn by `sampling.draw`.

    At definition (已承诺) the population and the team are frozen as canonical JSON and fingerprinted
    (`digest`), and a random seed is generated and committed (`commitment`, its hash): the seed itself
    stays in `secret_seed`, never shown nor kept in the history. The draw (已抽取) reveals it (`seed`),
    stores the sample, and orders the 重点抽查 `Inspection` of the sampled units. Anyone holding
    `definition_json`, `population_json` and `seed` can re-run the draw and get the same sample.
    """

    title = models.CharField(_("名称"), max_length=200)
    campaign = models.ForeignKey("campaigns.Campaign", verbose_name=_("活动"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="spot_checks")
    ordering_unit = models.ForeignKey("orgs.Unit", verbose_name=_("组织单位"), on_delete=models.PROTECT,
                                      related_name="ordered_spot_checks")
    root = models.ForeignKey("orgs.Unit", verbose_name=_("抽查范围"), on_delete=models.PROTECT,
                             related_name="+")
    # What is sampled: the units under the root, or the ledger items of those units (by status and 四风).
    population_kind = models.CharField(_("抽查对象"), max_length=8, choices=PopulationKind.choices,
                                       default=PopulationKind.UNITS)
    item_statuses = models.JSONField(_("事项状态"), default=list, blank=True)
    item_four_winds = models.JSONField(_("“四风”类别"), default=list, blank=True)
    # Filters (empty: any value)
    levels = models.JSONField(_("层级"), default=list, blank=True)
    kinds = models.JSONField(_("类型"), default=list, blank=True)
    batches = models.JSONField(_("批次"), default=list, blank=True)
    sectors = models.JSONField(_("行业系统"), default=list, blank=True)
    lights = models.JSONField(_("红黄绿灯"), default=list, blank=True)
    min_overdue = models.PositiveIntegerField(_("逾期事项不少于"), default=0)
    # Coverage rules
    at_least_one_per_county = models.BooleanField(_("每县至少一个"), default=False)
    min_share_percent = models.DecimalField(_("至少抽取比例（%）"), max_digits=5, decimal_places=2, default=0)
    size = models.PositiveIntegerField(_("抽取数量"), null=True, blank=True)
    keys_always_in = models.BooleanField(_("重点单位必抽"), default=True)
    key_units = models.ManyToManyField("orgs.Unit", verbose_name=_("重点单位"), blank=True, related_name="+")
    exclude_sampled_last_time = models.BooleanField(_("排除上次已抽查的单位"), default=False)
    # The team (logins), rotation and recusal
    team = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name=_("检查组成员"),
                                  related_name="spot_checks_on_team")
    per_inspector_max = models.PositiveIntegerField(_("每人最多检查数"), null=True, blank=True)
    starts_on = models.DateField(_("检查开始日期"))
    # The commitment and what it covers
    state = models.CharField(_("状态"), max_length=16, choices=SpotCheckState.choices,
                             default=SpotCheckState.COMMITTED)
    previous = models.ForeignKey("self", verbose_name=_("上一次抽查"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    definition_json = models.TextField(_("抽查定义（规范 JSON）"))
    population_json = models.TextField(_("抽查范围快照（规范 JSON）"))
    digest = models.CharField(_("定义指纹(SHA-256)"), max_length=64)
    commitment = models.CharField(_("种子承诺值(SHA-256)"), max_length=64)
    secret_seed = models.CharField(max_length=64, editable=False)
    seed = models.CharField(_("抽签种子"), max_length=64, blank=True)
    # The sample
    sample_units = models.JSONField(_("被抽单位或事项"), default=list, blank=True)
    # The units the inspection visits: the sample itself, or the units of the sampled items.
    inspected_units = models.JSONField(_("被检查单位"), default=list, blank=True)
    reasons = models.JSONField(_("抽中理由"), default=dict, blank=True)
    assignment = models.JSONField(_("人员分配"), default=dict, blank=True)
    explanation = models.JSONField(_("抽取说明"), default=list, blank=True)
    inspection = models.OneToOneField(Inspection, verbose_name=_("督查"), null=True, blank=True,
                                      on_delete=models.PROTECT, related_name="spot_check")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("定义人"), on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(_("承诺时间"), auto_now_add=True)
    drawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("抽取人"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    drawn_at = models.DateTimeField(_("抽取时间"), null=True, blank=True)

    # The secret seed never enters the history: the revealed `seed` does, at the draw.
    history = HistoricalRecords(excluded_fields=["secret_seed"], m2m_fields=[team, key_units])

    class Meta:
        verbose_name = _("重点抽查")
        verbose_name_plural = _("重点抽查")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["ordering_unit", "state", "drawn_at"], name="spotcheck_unit_state")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_drawn(self) -> bool:
        return self.state == SpotCheckState.DRAWN
