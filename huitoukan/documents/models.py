"""公文 drafted from live figures: 通报, 简报 and 情况报告 (the “回头看” report of seed 001 三.3 信息备案).

An office drafts a document about a unit of its part of the tree (the subject unit) from that unit's
roll-up figures, edits the text, and issues it: the 发文字号 is taken then, per issuing unit, year and
kind, from a locked counter (`DocumentCounter`), with the unit's 机关代字 for the kind
(`DocumentPrefix`, defaults 涟源通 / 涟源简 / 涟源报). The figures a draft was generated from are kept
with it (`figures`, with the day they were read), so what the text says can be traced.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class DocumentKind(models.TextChoices):
    BULLETIN = "bulletin", _("通报")
    BRIEF = "brief", _("简报")
    REPORT = "report", _("情况报告")


# The 机关代字's last character by kind, after the unit's short name (涟源通〔2015〕1号).
KIND_SUFFIX = {DocumentKind.BULLETIN: "通", DocumentKind.BRIEF: "简", DocumentKind.REPORT: "报"}


# The name a 简报's masthead prints in red over its issue (第3期).
BRIEF_NAME = "整改落实工作简报"


class DocumentState(models.TextChoices):
    DRAFT = "draft", _("草稿")
    ISSUED = "issued", _("已印发")


class DocumentPrefix(models.Model):
    """The 机关代字 of one issuing unit for one kind of document, set by the unit's own office."""

    unit = models.ForeignKey("orgs.Unit", verbose_name=_("发文单位"), on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("文种"), max_length=16, choices=DocumentKind.choices)
    prefix = models.CharField(_("机关代字"), max_length=30)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("公文机关代字")
        verbose_name_plural = _("公文机关代字")
        constraints = [models.UniqueConstraint(fields=["unit", "kind"], name="document_prefix_unit_kind")]

    def __str__(self) -> str:
        return self.prefix


class DocumentCounter(models.Model):
    """The last serial given for (issuing unit, year, kind): locked (select_for_update) while one is taken."""

    unit = models.ForeignKey("orgs.Unit", verbose_name=_("发文单位"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("年份"))
    kind = models.CharField(_("文种"), max_length=16, choices=DocumentKind.choices)
    last = models.PositiveIntegerField(_("已用顺序号"), default=0)

    class Meta:
        verbose_name = _("公文顺序号")
        verbose_name_plural = _("公文顺序号")
        constraints = [models.UniqueConstraint(fields=["unit", "year", "kind"], name="document_counter_unit_year_kind")]

    def __str__(self) -> str:
        return f"{self.unit_id}:{self.year}:{self.kind}:{self.last}"


class Document(models.Model):
    kind = models.CharField(_("文种"), max_length=16, choices=DocumentKind.choices)
    campaign = models.ForeignKey("campaigns.Campaign", verbose_name=_("活动"), on_delete=models.PROTECT,
                                 related_name="+")
    # The unit the document is about (whose figures it reports) and the unit in whose name it is issued
    # (the drafting office's unit: the subject unit itself or one above it).
    unit = models.ForeignKey("orgs.Unit", verbose_name=_("通报单位"), on_delete=models.PROTECT, related_name="+")
    issuing_unit = models.ForeignKey("orgs.Unit", verbose_name=_("发文单位"), on_delete=models.PROTECT,
                                     related_name="+")
    issuer_name = models.CharField(_("发文机关"), max_length=200)
    title = models.CharField(_("标题"), max_length=200)
    addressee = models.CharField(_("主送机关"), max_length=500, blank=True)
    body = models.TextField(_("正文"), help_text=_("“一、”开头的行为一级标题，“（一）”为二级标题，“1．”为三级标题，其余每行一段。"))
    attachments = models.TextField(_("附件"), blank=True, help_text=_("每行一个附件名称"))
    signer = models.CharField(_("发文机关署名"), max_length=200)
    copy_to = models.TextField(_("抄送机关"), blank=True, help_text=_("每行一个"))
    printed_by = models.CharField(_("印发机关"), max_length=200, blank=True)
    state = models.CharField(_("状态"), max_length=16, choices=DocumentState.choices, default=DocumentState.DRAFT)
    figures = models.JSONField(_("起草依据的数据"), default=dict)
    figures_read_on = models.DateField(_("数据截至"))
    year = models.PositiveSmallIntegerField(_("年份"), null=True, blank=True)
    serial = models.PositiveIntegerField(_("顺序号"), null=True, blank=True)
    number = models.CharField(_("发文字号"), max_length=60, blank=True)
    issued_on = models.DateField(_("成文日期"), null=True, blank=True)
    drafted_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("起草人"), on_delete=models.PROTECT,
                                   related_name="+")
    drafted_at = models.DateTimeField(_("起草时间"), auto_now_add=True)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("印发人"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField(_("印发时间"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("公文")
        verbose_name_plural = _("公文")
        ordering = ["-drafted_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["issuing_unit", "year", "kind", "serial"],
                                               condition=models.Q(serial__isnull=False),
                                               name="document_number_unique")]
        indexes = [models.Index(fields=["unit", "state"], name="document_unit_state")]

    def __str__(self) -> str:
        return self.number or self.title

    @property
    def attachment_names(self) -> list[str]:
        return [line.strip() for line in self.attachments.splitlines() if line.strip()]

    @property
    def addressee_names(self) -> list[str]:
        """The 主送 as a list (a 简报's 报 list)."""
        return [name.strip() for name in self.addressee.replace("，", "\n").replace("、", "\n").splitlines()
                if name.strip()]

    @property
    def copy_to_names(self) -> list[str]:
        return [line.strip() for line in self.copy_to.replace("，", "\n").splitlines() if line.strip()]

    @property
    def issue_label(self) -> str:
        """How the pages name the number: a 简报 is counted in 期 (第3期), the others by their 发文字号."""
        if self.kind == DocumentKind.BRIEF and self.serial:
            return f"第{self.serial}期（{self.number}）"
        return self.number
