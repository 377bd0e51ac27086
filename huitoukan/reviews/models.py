"""报送 and 逐级审阅: what a unit reports for a deadline, its frozen versions, their review up the tree.

A `Submission` is one unit's answer to one deadline (the row the reporting status reads); each time
the office builds the package anew it gets a `PackageVersion`: a frozen snapshot (canonical JSON
and its SHA-256) that later edits of the ledgers and plans never change. A version moves through
the workflow of `reviews.workflow`: the unit head approves it, the supervision group audits it
where the campaign says so, the office submits it, and the units of the campaign's review chain
approve it or return it with a reason.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class PackageState(models.TextChoices):
    AWAITING_HEAD = "awaiting_head", _("待主要负责同志审核")
    AWAITING_GROUP = "awaiting_group", _("待督导组审核")
    READY = "ready", _("待报送")
    SUBMITTED = "submitted", _("已报送待审阅")
    RETURNED = "returned", _("已退回")
    APPROVED = "approved", _("已通过")
    WITHDRAWN = "withdrawn", _("已撤回")


# States of a version still inside its unit (not yet reported up).
IN_UNIT = frozenset({PackageState.AWAITING_HEAD, PackageState.AWAITING_GROUP, PackageState.READY})


class ReportState(models.TextChoices):
    """A unit's standing on a deadline, as the reporting status (报送情况) counts it."""

    NOT_SUBMITTED = "not_submitted", _("未报送")
    SUBMITTED = "submitted", _("已报送待审阅")
    RETURNED = "returned", _("已退回")
    APPROVED = "approved", _("已通过")


class Submission(models.Model):
    """One unit's 报送 for one deadline: its versions and where it stands."""

    deadline = models.ForeignKey("campaigns.Deadline", verbose_name=_("报送事项"), on_delete=models.CASCADE,
                                 related_name="submissions")
    unit = models.ForeignKey("orgs.Unit", verbose_name=_("报送单位"), on_delete=models.PROTECT,
                             related_name="submissions")
    state = models.CharField(_("报送状态"), max_length=16, choices=ReportState.choices,
                             default=ReportState.NOT_SUBMITTED)
    current = models.ForeignKey("PackageVersion", verbose_name=_("当前版本"), null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="+")
    versions_count = models.PositiveIntegerField(_("版本数"), default=0)
    # The first time any version went up: on time or late is judged on it.
    first_submitted_at = models.DateTimeField(_("首次报送时间"), null=True, blank=True)
    last_submitted_at = models.DateTimeField(_("最近报送时间"), null=True, blank=True)
    approved_at = models.DateTimeField(_("通过时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("报送")
        verbose_name_plural = _("报送")
        constraints = [models.UniqueConstraint(fields=["deadline", "unit"], name="submission_unique_per_unit")]
        indexes = [models.Index(fields=["deadline", "state"], name="submission_deadline_state")]

    def __str__(self) -> str:
        return f"{self.unit} · {self.deadline}"


class PackageVersion(models.Model):
    """A frozen version of a unit's package (报送材料): its content never changes once built."""

    submission = models.ForeignKey(Submission, verbose_name=_("报送"), on_delete=models.CASCADE,
                                   related_name="versions")
    number = models.PositiveIntegerField(_("版本"))
    state = models.CharField(_("状态"), max_length=16, choices=PackageState.choices,
                             default=PackageState.AWAITING_HEAD)
    # Canonical JSON (sorted keys, no spaces, UTF-8) of the snapshot, and the SHA-256 of its bytes.
    content = models.TextField(_("内容"))
    digest = models.CharField(_("摘要(SHA-256)"), max_length=64)
    built_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("生成人"), on_delete=models.PROTECT,
                                 related_name="+")
    built_at = models.DateTimeField(_("生成时间"))
    head_approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("审核人(主要负责同志)"), null=True,
                                         blank=True, on_delete=models.PROTECT, related_name="+")
    head_approved_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    group_audited_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("督导组审核人"), null=True,
                                         blank=True, on_delete=models.PROTECT, related_name="+")
    group_audited_at = models.DateTimeField(_("督导组审核时间"), null=True, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("报送人"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(_("报送时间"), null=True, blank=True)
    # The unit whose review the version waits for (a step of the campaign's chain), while submitted.
    reviewer_unit = models.ForeignKey("orgs.Unit", verbose_name=_("审阅单位"), null=True, blank=True,
                                      on_delete=models.PROTECT, related_name="+")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("审阅人"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(_("审阅时间"), null=True, blank=True)
    return_reason = models.TextField(_("退回理由"), blank=True)

    # The content is frozen: the history keeps the states, not a copy of the snapshot per change.
    history = HistoricalRecords(excluded_fields=["content"])

    class Meta:
        verbose_name = _("报送版本")
        verbose_name_plural = _("报送版本")
        ordering = ["submission", "number"]
        constraints = [models.UniqueConstraint(fields=["submission", "number"], name="package_version_unique")]
        indexes = [models.Index(fields=["reviewer_unit", "state"], name="package_reviewer_state")]

    def __str__(self) -> str:
        return f"{self.submission} · 第{self.number}版"


class PackageAction(models.TextChoices):
    BUILD = "build", _("生成报送材料")
    HEAD_APPROVE = "head_approve", _("主要负责同志审核通过")
    HEAD_RETURN = "head_return", _("主要负责同志退回")
    GROUP_AUDIT = "group_audit", _("督导组审核通过")
    GROUP_RETURN = "group_return", _("督导组退回")
    SUBMIT = "submit", _("报送上级")
    WITHDRAW = "withdraw", _("撤回")
    APPROVE = "approve", _("审阅通过")
    RETURN = "return", _("退回")
    COMMENT = "comment", _("提出意见")


class PackageEvent(models.Model):
    """One step of a version's way: who did what, where, when, from which state to which."""

    version = models.ForeignKey(PackageVersion, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("操作"), max_length=16, choices=PackageAction.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("操作人"), on_delete=models.PROTECT,
                              related_name="+")
    unit = models.ForeignKey("orgs.Unit", verbose_name=_("操作单位"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="+")
    from_state = models.CharField(max_length=16, choices=PackageState.choices, blank=True)
    to_state = models.CharField(max_length=16, choices=PackageState.choices, blank=True)
    reason = models.TextField(_("理由"), blank=True)
    at = models.DateTimeField(_("时间"))

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} · {self.at:%Y-%m-%d %H:%M}"


class CommentKind(models.TextChoices):
    REVIEW = "review", _("审阅意见")
    SUPERVISION = "supervision", _("督导意见")
    HEAD = "head", _("审核意见")


class PackageComment(models.Model):
    """A comment on a version, on the whole or anchored to one row or plan section."""

    version = models.ForeignKey(PackageVersion, on_delete=models.CASCADE, related_name="comments")
    kind = models.CharField(_("类别"), max_length=16, choices=CommentKind.choices)
    # "" for the whole package; "<part>#<row key>" for a row of a ledger or a plan section, as the
    # snapshot names them (reviews.snapshot.anchors).
    anchor = models.CharField(_("位置"), max_length=120, blank=True)
    anchor_label = models.CharField(_("位置说明"), max_length=300, blank=True)
    text = models.TextField(_("意见"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("提出人"), on_delete=models.PROTECT,
                               related_name="+")
    author_unit = models.ForeignKey("orgs.Unit", verbose_name=_("提出单位"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("提出时间"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("审阅意见")
        verbose_name_plural = _("审阅意见")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.text[:40]


class ExpectedSet(models.Model):
    """When a deadline's expected units were last worked out (`ExpectedUnit`): kept, as the 汇总's totals are,
    so that the reporting status of a province is a range read, not the tree's history worked through per
    request. Stale once a unit, the deadline or its campaign changed after `computed_at` (their history says)."""

    deadline = models.OneToOneField("campaigns.Deadline", on_delete=models.CASCADE, related_name="expected_set")
    computed_at = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.deadline_id}: {self.count}"


class ExpectedUnit(models.Model):
    """A unit a deadline expects a report from, with what the status groups it by (as the unit is now)."""

    deadline = models.ForeignKey("campaigns.Deadline", on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey("orgs.Unit", on_delete=models.CASCADE, related_name="+")
    path = models.CharField(max_length=255)
    level = models.CharField(max_length=16)
    kind = models.CharField(max_length=32)
    batch = models.CharField(max_length=16, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["deadline", "unit"], name="expected_unit_unique")]
        indexes = [models.Index(fields=["deadline", "path"], name="expected_unit_path")]

    def __str__(self) -> str:
        return f"{self.deadline_id}: {self.unit_id}"
