"""The four ledgers (台账), their items, the dated progress history, evidence and closing (销号)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from huitoukan.ledgers.layouts import LedgerKind


class FourWinds(models.TextChoices):
    FORMALISM = "formalism", _("形式主义")
    BUREAUCRATISM = "bureaucratism", _("官僚主义")
    HEDONISM = "hedonism", _("享乐主义")
    EXTRAVAGANCE = "extravagance", _("奢靡之风")
    OTHER = "other", _("其他")


class Subject(models.TextChoices):
    TEAM = "team", _("班子")
    INDIVIDUAL = "individual", _("个人")


class ProblemLevel(models.TextChoices):
    THINKING = "thinking", _("思想")
    WORK = "work", _("工作")
    INSTITUTION = "institution", _("制度")


class Handling(models.TextChoices):
    """[004 一] 能够解决的马上办，通过努力可以解决的限期办，暂不具备条件解决的向群众做好解释说明."""

    NOW = "now", _("马上办")
    WITHIN_DEADLINE = "within_deadline", _("限期办")
    EXPLAIN = "explain", _("解释说明")


class Source(models.TextChoices):
    """The 四个回应 of [004 一]."""

    PUBLIC_OPINION = "public_opinion", _("群众意见")
    SELF_INSPECTION = "self_inspection", _("对照检查材料")
    CRITICISM = "criticism", _("民主生活会/组织生活会批评意见")
    HIGHER_LEVEL = "higher_level", _("上级和督导组点明")


class DeadlineMode(models.TextChoices):
    NONE = "none", _("未定")
    DATE = "date", _("限期")
    IMMEDIATE = "immediate", _("立行立改")
    LONG_TERM = "long_term", _("长期坚持")


class ItemStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("未启动")
    IN_PROGRESS = "in_progress", _("整改中")
    BASICALLY_DONE = "basically_done", _("基本完成")
    CLOSED = "closed", _("已完成(销号)")
    SENT_BACK = "sent_back", _("回炉")
    RELAPSED = "relapsed", _("反弹")


OPEN_STATUSES = frozenset(set(ItemStatus.values) - {ItemStatus.CLOSED})

# The change reason of the items' history rows that write the status alone (progress_add_bulk's bulk update):
# simple_history's bulk update keeps no copy of the links with them, so ledgers.past reads the links elsewhere.
STATUS_ONLY_CHANGE_REASON = "填报进展"


class InstitutionAction(models.TextChoices):
    ABOLISH = "abolish", _("废")
    REVISE = "revise", _("改")
    ESTABLISH = "establish", _("立")


class TaskTier(models.TextChoices):
    CENTRAL = "central", _("中央")
    PROVINCE = "province", _("省")
    CITY = "city", _("市")
    OWN = "own", _("本单位")


class SpecialTask(models.Model):
    """A special-rectification task of the catalogue (中央, 省, 市 or 本单位)."""

    tier = models.CharField(_("层级"), max_length=16, choices=TaskTier.choices)
    owner_unit = models.ForeignKey(
        "orgs.Unit", verbose_name=_("确定单位"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="special_tasks", help_text=_("市级和本单位任务所属的单位"),
    )
    order = models.PositiveSmallIntegerField(_("序号"))
    name = models.CharField(_("项目"), max_length=200)
    basis = models.CharField(_("依据"), max_length=300, blank=True)
    is_active = models.BooleanField(_("在用"), default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("专项整治任务")
        verbose_name_plural = _("专项整治任务")
        ordering = ["tier", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["tier", "owner_unit", "name"], name="special_task_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


class Ledger(models.Model):
    campaign = models.ForeignKey("campaigns.Campaign", verbose_name=_("活动"), on_delete=models.PROTECT,
                                 related_name="ledgers")
    unit = models.ForeignKey("orgs.Unit", verbose_name=_("单位"), on_delete=models.PROTECT, related_name="ledgers")
    kind = models.CharField(_("台账类型"), max_length=16, choices=LedgerKind.choices)
    # 党员领导干部台帐 belongs to one person (header 姓名, 职务); the unit is theirs.
    person = models.ForeignKey("orgs.Person", verbose_name=_("姓名"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="ledgers")
    filled_on = models.DateField(_("填报时间"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("台账")
        verbose_name_plural = _("台账")
        constraints = [
            models.UniqueConstraint(fields=["campaign", "unit", "kind"], condition=Q(person__isnull=True),
                                    name="ledger_unique_per_unit"),
            models.UniqueConstraint(fields=["campaign", "person"], condition=Q(person__isnull=False),
                                    name="ledger_unique_per_person"),
            models.CheckConstraint(
                condition=(Q(kind=LedgerKind.PERSONAL) & Q(person__isnull=False))
                | (~Q(kind=LedgerKind.PERSONAL) & Q(person__isnull=True)),
                name="ledger_person_only_for_personal",
            ),
        ]

    def __str__(self) -> str:
        who = self.person.name if self.person_id else self.unit.name
        return f"{who} · {self.get_kind_display()}"


class Item(models.Model):
    ledger = models.ForeignKey(Ledger, verbose_name=_("台账"), on_delete=models.PROTECT, related_name="items")
    seq = models.PositiveIntegerField(_("序号"))
    problem = models.TextField(_("突出问题"))
    measures = models.TextField(_("具体整改措施"), blank=True)
    four_winds = models.CharField(_("“四风”类别"), max_length=16, choices=FourWinds.choices, blank=True)
    subject = models.CharField(_("班子或个人"), max_length=16, choices=Subject.choices, blank=True)
    problem_level = models.CharField(_("问题层面"), max_length=16, choices=ProblemLevel.choices, blank=True)
    handling = models.CharField(_("办理方式"), max_length=16, choices=Handling.choices, blank=True)
    source = models.CharField(_("问题来源"), max_length=16, choices=Source.choices, blank=True)
    deadline_mode = models.CharField(_("时限类型"), max_length=16, choices=DeadlineMode.choices,
                                     default=DeadlineMode.NONE)
    due_on = models.DateField(_("整改时限"), null=True, blank=True)
    review_on = models.DateField(_("复查日期"), null=True, blank=True, help_text=_("长期坚持的事项定期复查"))
    lead_leaders = models.ManyToManyField("orgs.Person", verbose_name=_("牵头领导"), related_name="led_items",
                                          blank=True)
    responsible_units = models.ManyToManyField("orgs.Unit", verbose_name=_("责任单位"),
                                               related_name="responsible_items", blank=True)
    special_task = models.ForeignKey(SpecialTask, verbose_name=_("专项整治任务"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="items")
    category = models.CharField(_("类别"), max_length=50, blank=True)
    institution_action = models.CharField(_("废改立"), max_length=16, choices=InstitutionAction.choices, blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=ItemStatus.choices, default=ItemStatus.NOT_STARTED,
                              db_index=True)
    closed_on = models.DateField(_("销号日期"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(m2m_fields=[lead_leaders, responsible_units])

    class Meta:
        verbose_name = _("整改事项")
        verbose_name_plural = _("整改事项")
        ordering = ["ledger", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["ledger", "seq"], name="item_unique_seq"),
            # A date exactly when the mode says 限期: 立行立改, 长期坚持 and 未定 carry none.
            models.CheckConstraint(
                condition=(Q(deadline_mode=DeadlineMode.DATE) & Q(due_on__isnull=False))
                | (~Q(deadline_mode=DeadlineMode.DATE) & Q(due_on__isnull=True)),
                name="item_deadline_shape",
            ),
        ]
        indexes = [models.Index(fields=["status", "due_on"], name="item_status_due")]

    def __str__(self) -> str:
        return f"{self.seq}. {self.problem[:40]}"


class ProgressEntry(models.Model):
    """A dated report on an item. Entries are appended, never changed: progress is history."""

    item = models.ForeignKey(Item, verbose_name=_("整改事项"), on_delete=models.PROTECT, related_name="progress")
    reported_on = models.DateField(_("填报日期"))
    progress = models.TextField(_("整改落实情况"))
    strict_execution = models.TextField(_("严格制度执行情况"), blank=True)
    next_steps = models.TextField(_("后段工作措施"), blank=True)
    status_after = models.CharField(_("填报后状态"), max_length=16, choices=ItemStatus.choices)
    leader = models.ForeignKey("orgs.Person", verbose_name=_("填报领导"), on_delete=models.PROTECT,
                               related_name="progress_entries")
    by_office = models.BooleanField(_("活动办代填"), default=False)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("录入人"), null=True,
                               on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("录入时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("整改进展")
        verbose_name_plural = _("整改进展")
        ordering = ["item", "reported_on", "id"]

    def __str__(self) -> str:
        return f"{self.reported_on} {self.progress[:30]}"


class Evidence(models.Model):
    """A file kept by its SHA-256 digest; the same file uploaded twice is stored once."""

    item = models.ForeignKey(Item, verbose_name=_("整改事项"), on_delete=models.PROTECT, related_name="evidence")
    progress_entry = models.ForeignKey(ProgressEntry, null=True, blank=True, on_delete=models.PROTECT,
                                       related_name="evidence")
    closing_request = models.ForeignKey("ClosingRequest", null=True, blank=True, on_delete=models.PROTECT,
                                        related_name="evidence")
    sha256 = models.CharField(max_length=64, db_index=True)
    original_name = models.CharField(_("文件名"), max_length=255)
    size = models.PositiveBigIntegerField(_("大小"))
    content_type = models.CharField(max_length=100)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("佐证材料")
        verbose_name_plural = _("佐证材料")

    def __str__(self) -> str:
        return self.original_name


class ClosingState(models.TextChoices):
    PENDING = "pending", _("待核验")
    VERIFIED = "verified", _("已核验销号")
    RETURNED = "returned", _("退回")


class ClosingRequest(models.Model):
    """销号申请: asked by a lead leader with evidence, verified or returned by someone else."""

    item = models.ForeignKey(Item, verbose_name=_("整改事项"), on_delete=models.PROTECT,
                             related_name="closing_requests")
    summary = models.TextField(_("完成情况说明"))
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("申请人"), on_delete=models.PROTECT,
                                     related_name="+")
    requested_at = models.DateTimeField(_("申请时间"), auto_now_add=True)
    state = models.CharField(_("状态"), max_length=16, choices=ClosingState.choices, default=ClosingState.PENDING)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("核验人"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(_("核验时间"), null=True, blank=True)
    decision_note = models.TextField(_("核验意见"), blank=True)

    class Meta:
        verbose_name = _("销号申请")
        verbose_name_plural = _("销号申请")
        ordering = ["-requested_at"]
        constraints = [
            models.UniqueConstraint(fields=["item"], condition=Q(state="pending"), name="closing_one_pending"),
        ]
        indexes = [
            # The 待办's first rows: the oldest requests waiting, walked in order until enough are in scope.
            # With the id, the tiebreak of the order: PostgreSQL would otherwise sort them all (SQLite has the rowid).
            models.Index(fields=["requested_at", "id"], condition=Q(state="pending"), name="closing_pending_by_age"),
        ]

    def __str__(self) -> str:
        return f"{self.item} · {self.get_state_display()}"


class ItemEventKind(models.TextChoices):
    CREATED = "created", _("列入台账")
    UPDATED = "updated", _("修改")
    PROGRESS = "progress", _("填报进展")
    CLOSE_REQUESTED = "close_requested", _("申请销号")
    CLOSED = "closed", _("核验销号")
    CLOSE_RETURNED = "close_returned", _("销号退回")
    SENT_BACK = "sent_back", _("回炉")
    RELAPSED = "relapsed", _("反弹")
    LINK_HANDED_UP = "link_handed_up", _("提请上级牵头")
    LINK_WITHDRAWN = "link_withdrawn", _("撤回提请")
    LINK_CLAIMED = "link_claimed", _("认领牵头")
    LINK_DECLINED = "link_declined", _("不予认领")


class ItemEvent(models.Model):
    """One row per domain event of an item: its readable timeline."""

    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(_("事件"), max_length=32, choices=ItemEventKind.choices)
    at = models.DateTimeField(_("时间"), auto_now_add=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    status_before = models.CharField(max_length=16, choices=ItemStatus.choices, blank=True)
    status_after = models.CharField(max_length=16, choices=ItemStatus.choices, blank=True)
    note = models.TextField(_("说明"), blank=True)

    class Meta:
        verbose_name = _("事项事件")
        verbose_name_plural = _("事项事件")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.at:%Y-%m-%d}"


class ItemTally(models.Model):
    """Kept totals (汇总): how many items of one kind count under a unit, its whole subtree included.

    One row per unit above (and at) the item's ledger unit and per combination of what a roll-up
    groups by: campaign, ledger kind, the level of the ledger's unit, status and 四风. Deadlines are
    kept apart (ItemDueTally), so a unit has a few hundred rows here whatever its size.
    Written only by ledgers.totals, in the transaction of the write it counts.
    """

    unit = models.ForeignKey("orgs.Unit", on_delete=models.CASCADE, related_name="+")
    campaign = models.ForeignKey("campaigns.Campaign", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=16, choices=LedgerKind.choices)
    unit_level = models.CharField(max_length=16)
    status = models.CharField(max_length=16, choices=ItemStatus.choices)
    four_winds = models.CharField(max_length=16, blank=True)
    n = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["unit", "campaign", "kind", "unit_level", "status", "four_winds"],
                                    name="item_tally_unique_key"),
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.kind} {self.status}: {self.n}"


class ItemDueTally(models.Model):
    """Kept totals of the open items with a date (限期), under a unit, by campaign, deadline and 四风.

    The deadline is the date itself, so 逾期 and 即将到期 are summed against today when read
    (one index range) and stay true as days pass without a nightly job. The 四风 lets the 驾驶舱
    show 逾期 by 四风 from the same rows.
    """

    unit = models.ForeignKey("orgs.Unit", on_delete=models.CASCADE, related_name="+")
    campaign = models.ForeignKey("campaigns.Campaign", on_delete=models.CASCADE, related_name="+")
    due_on = models.DateField()
    four_winds = models.CharField(max_length=16, blank=True, default="")
    n = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["unit", "campaign", "due_on", "four_winds"],
                                    name="item_due_tally_unique_key"),
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.due_on}: {self.n}"


class LedgerTally(models.Model):
    """Kept counts of the ledgers under a unit, its own included, by campaign and kind: for 领导班子,
    专项整治 and 制度建设 the number of units that have built theirs, for 党员领导干部 the number of
    leaders'. With orgs.UnitTally, the 汇总's 已建 / 应建. Written only by ledgers.totals."""

    unit = models.ForeignKey("orgs.Unit", on_delete=models.CASCADE, related_name="+")
    campaign = models.ForeignKey("campaigns.Campaign", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=16, choices=LedgerKind.choices)
    n = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["unit", "campaign", "kind"], name="ledger_tally_unique_key"),
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.campaign_id} {self.kind}: {self.n}"


class ClosingTally(models.Model):
    """Kept counts of the closing requests waiting for 核验 under a unit, its own included, by campaign:
    the 待办 of an office that verifies closings for a whole province, without counting them per
    request. Written only by ledgers.totals."""

    unit = models.ForeignKey("orgs.Unit", on_delete=models.CASCADE, related_name="+")
    campaign = models.ForeignKey("campaigns.Campaign", on_delete=models.CASCADE, related_name="+")
    n = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["unit", "campaign"], name="closing_tally_unique_key"),
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.campaign_id}: {self.n}"


class SealKind(models.TextChoices):
    """What one link of an item's chain seals (ledgers.chain; docs/ledger-chain.md)."""

    CREATED = "created", _("列入台账")
    ITEM = "item", _("事项变更")
    PROGRESS = "progress", _("整改进展")
    EVIDENCE = "evidence", _("佐证材料")
    CLOSING = "closing", _("销号申请")
    DECISION = "decision", _("销号核验")


class ItemSeal(models.Model):
    """One link of an item's tamper-evident chain: an HMAC over the previous link, the item's content
    at that moment and the sealed row's own fields. Written only by ledgers.chain, in the write's
    transaction; `anchor` is the number of the anchor (outside the database) that counted it."""

    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="seals")
    seq = models.PositiveIntegerField()
    kind = models.CharField(max_length=16, choices=SealKind.choices)
    object_id = models.BigIntegerField()
    # Short hashes, one per field (ledgers.chain): the item's content at that moment, the sealed row's fields.
    item_state = models.CharField(max_length=200)
    fields = models.CharField(max_length=200)
    previous = models.CharField(max_length=64)
    digest = models.CharField(max_length=64)
    sealed_at = models.DateTimeField()
    anchor = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("台账链封存")
        verbose_name_plural = _("台账链封存")
        constraints = [
            models.UniqueConstraint(fields=["item", "seq"], name="item_seal_unique_seq"),
        ]
        indexes = [
            models.Index(fields=["id"], condition=Q(anchor__isnull=True), name="item_seal_unanchored"),
        ]

    def __str__(self) -> str:
        return f"{self.item_id}#{self.seq} {self.kind}"


class LinkState(models.TextChoices):
    """上下联动: where a problem handed up (or claimed from above) stands. 已完成 is not kept: a claimed link
    whose item is 已销号 (ledgers.linkage)."""

    PENDING = "pending", _("待认领")
    CLAIMED = "claimed", _("已认领")
    DECLINED = "declined", _("已拒绝")
    WITHDRAWN = "withdrawn", _("已撤回")


OPEN_LINK_STATES = (LinkState.PENDING, LinkState.CLAIMED)


class ItemLink(models.Model):
    """上下联动 [004 五]: a unit hands one of its items to the level above, or to its sector's 主管部门, to lead;
    the receiver claims it (认领, with measures, a deadline and its lead leaders) or declines with a reason. An
    upper office may also claim an item of a unit below directly (主动认领). The item stays in its own ledger and
    is counted there only; written through ledgers.linkage."""

    item = models.ForeignKey(Item, verbose_name=_("整改事项"), on_delete=models.PROTECT, related_name="links")
    from_unit = models.ForeignKey("orgs.Unit", verbose_name=_("提请单位"), on_delete=models.PROTECT,
                                  related_name="links_handed")
    to_unit = models.ForeignKey("orgs.Unit", verbose_name=_("牵头单位"), on_delete=models.PROTECT,
                                related_name="links_received")
    state = models.CharField(_("状态"), max_length=16, choices=LinkState.choices, default=LinkState.PENDING)
    from_above = models.BooleanField(_("上级主动认领"), default=False)
    reason = models.TextField(_("上报理由"), blank=True)
    handed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("提请人"), null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")
    handed_at = models.DateTimeField(_("提请时间"), auto_now_add=True)
    claimed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("认领人"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    claimed_at = models.DateTimeField(_("认领时间"), null=True, blank=True)
    measures = models.TextField(_("牵头整改措施"), blank=True)
    due_on = models.DateField(_("牵头时限"), null=True, blank=True)
    lead_leaders = models.ManyToManyField("orgs.Person", verbose_name=_("牵头单位领导"), related_name="led_links",
                                          blank=True)
    declined_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("拒绝人"), null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    declined_at = models.DateTimeField(_("拒绝时间"), null=True, blank=True)
    decline_reason = models.TextField(_("不予认领理由"), blank=True)

    history = HistoricalRecords(m2m_fields=[lead_leaders])

    class Meta:
        verbose_name = _("上下联动")
        verbose_name_plural = _("上下联动")
        ordering = ["handed_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["item"], condition=Q(state__in=["pending", "claimed"]),
                                    name="item_link_one_open"),
            models.CheckConstraint(condition=~Q(from_unit=models.F("to_unit")), name="item_link_other_unit"),
        ]
        indexes = [models.Index(fields=["to_unit", "state"], name="item_link_to_state")]

    def __str__(self) -> str:
        return f"{self.item_id} → {self.to_unit_id} {self.get_state_display()}"
