"""督办通知单: notices an office (or a supervision group in its dispatching unit's name) sends a unit.

Seeds 001 三.2 and 四.2 (对整改效果不理想、群众不满意的，可采取下发督办通知单等方式，责成“回炉”、“补课”，
限期整改到位) and 004 三: a notice is numbered per issuing unit and year (娄群办督〔2015〕3号, the prefix set
by the unit's office in its `NoticeOffice`), lists the problems and the actions required, and sets an answer
deadline. The addressed unit's own office answers with a report and evidence; the issuing side returns the
answer (with a reason) or closes the notice. Its colour (蓝 → 黄 → 红 by days overdue, the 宿迁/三明 practice)
is kept on the row for roll-ups, raised by a daily job (notices.escalation) and on every state change.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from huitoukan.supervision.models import EvidenceFile


class Colour(models.TextChoices):
    BLUE = "blue", _("蓝")
    YELLOW = "yellow", _("黄")
    RED = "red", _("红")


COLOUR_RANK = {Colour.BLUE: 0, Colour.YELLOW: 1, Colour.RED: 2}


class NoticeState(models.TextChoices):
    AWAITING = "awaiting", _("待答复")
    ANSWERED = "answered", _("已答复")
    RETURNED = "returned", _("已退回")
    CLOSED = "closed", _("已办结")


# States in which a notice still waits on the addressed unit: only these escalate.
ESCALATING = (NoticeState.AWAITING, NoticeState.RETURNED)
OPEN_STATES = (NoticeState.AWAITING, NoticeState.ANSWERED, NoticeState.RETURNED)

DEFAULT_YELLOW_AFTER_DAYS = 1
DEFAULT_RED_AFTER_DAYS = 8


class NoticeOffice(models.Model):
    """How one issuing unit's notices read: its 机关代字, its 发文机关, its colour thresholds."""

    unit = models.OneToOneField("orgs.Unit", verbose_name=_("发文单位"), on_delete=models.PROTECT,
                                related_name="notice_office")
    prefix = models.CharField(_("机关代字"), max_length=30, help_text=_("如“娄群办督”，发文字号为“娄群办督〔2015〕3号”"))
    issuer_name = models.CharField(_("发文机关"), max_length=200,
                                   help_text=_("如“中共娄底市委党的群众路线教育实践活动领导小组办公室”"))
    yellow_after_days = models.PositiveSmallIntegerField(_("逾期几天转黄"), default=DEFAULT_YELLOW_AFTER_DAYS)
    red_after_days = models.PositiveSmallIntegerField(_("逾期几天转红"), default=DEFAULT_RED_AFTER_DAYS)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("督办发文设置")
        verbose_name_plural = _("督办发文设置")
        constraints = [
            models.CheckConstraint(condition=models.Q(yellow_after_days__gte=1), name="notice_office_yellow_min"),
            models.CheckConstraint(condition=models.Q(red_after_days__gt=models.F("yellow_after_days")),
                                   name="notice_office_red_after_yellow"),
        ]

    def __str__(self) -> str:
        return self.prefix


class NoticeCounter(models.Model):
    """The last serial given for (issuing unit, year): locked (select_for_update) while a number is taken."""

    unit = models.ForeignKey("orgs.Unit", verbose_name=_("发文单位"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("年份"))
    last = models.PositiveIntegerField(_("已用顺序号"), default=0)

    class Meta:
        verbose_name = _("督办发文顺序号")
        verbose_name_plural = _("督办发文顺序号")
        constraints = [models.UniqueConstraint(fields=["unit", "year"], name="notice_counter_unit_year")]

    def __str__(self) -> str:
        return f"{self.unit_id}:{self.year}:{self.last}"


class Notice(models.Model):
    issuing_unit = models.ForeignKey("orgs.Unit", verbose_name=_("发文单位"), on_delete=models.PROTECT,
                                     related_name="notices_issued")
    # The group whose member issued it in its dispatching unit's name, if any.
    group = models.ForeignKey("orgs.SupervisionGroup", verbose_name=_("督导组"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="notices")
    year = models.PositiveSmallIntegerField(_("年份"))
    serial = models.PositiveIntegerField(_("顺序号"))
    number = models.CharField(_("发文字号"), max_length=60)
    issuer_name = models.CharField(_("发文机关"), max_length=200)
    addressed_unit = models.ForeignKey("orgs.Unit", verbose_name=_("主送单位"), on_delete=models.PROTECT,
                                       related_name="notices_received")
    title = models.CharField(_("标题"), max_length=200)
    findings = models.ManyToManyField("supervision.Finding", verbose_name=_("督查发现的问题"), blank=True,
                                      related_name="notices")
    problems = models.TextField(_("存在的问题"), blank=True, help_text=_("每行一个问题"))
    requirements = models.TextField(_("整改要求"))
    answer_due_on = models.DateField(_("答复期限"))
    issued_on = models.DateField(_("成文日期"))
    state = models.CharField(_("状态"), max_length=16, choices=NoticeState.choices, default=NoticeState.AWAITING)
    colour = models.CharField(_("督办等级"), max_length=8, choices=Colour.choices, default=Colour.BLUE)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("下发人"), on_delete=models.PROTECT,
                                  related_name="+")
    issued_at = models.DateTimeField(_("下发时间"), auto_now_add=True)
    return_reason = models.TextField(_("退回理由"), blank=True)
    returned_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("退回人"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    returned_at = models.DateTimeField(_("退回时间"), null=True, blank=True)
    close_note = models.TextField(_("办结说明"), blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("办结人"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("督办通知单")
        verbose_name_plural = _("督办通知单")
        ordering = ["-issued_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["issuing_unit", "year", "serial"],
                                               name="notice_number_unique")]
        indexes = [models.Index(fields=["addressed_unit", "state"], name="notice_unit_state"),
                   models.Index(fields=["state", "answer_due_on"], name="notice_state_due")]

    def __str__(self) -> str:
        return self.number

    @property
    def problem_lines(self) -> list[str]:
        return [line.strip() for line in self.problems.splitlines() if line.strip()]


class NoticeAnswer(models.Model):
    """One answer of the addressed unit's office (a notice returned is answered again: a new row)."""

    notice = models.ForeignKey(Notice, verbose_name=_("督办通知单"), on_delete=models.PROTECT, related_name="answers")
    report = models.TextField(_("整改情况报告"))
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("答复人"), on_delete=models.PROTECT,
                                    related_name="+")
    answered_at = models.DateTimeField(_("答复时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("督办通知单答复")
        verbose_name_plural = _("督办通知单答复")
        ordering = ["answered_at", "id"]

    def __str__(self) -> str:
        return self.report[:40]


class NoticeEvidence(EvidenceFile):
    """A file of an answer, stored once under its SHA-256 by huitoukan.supervision.evidence."""

    answer = models.ForeignKey(NoticeAnswer, verbose_name=_("答复"), on_delete=models.PROTECT,
                               related_name="evidence")

    class Meta(EvidenceFile.Meta):
        verbose_name = _("督办通知单佐证材料")
        verbose_name_plural = _("督办通知单佐证材料")
