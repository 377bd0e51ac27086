"""开门整改 (seeds 000 三.2, 002 三.3, 004 五): what is published to the public, what the public sends in,
and what the public thinks.

Three parts, one app:
- Publication: an office chooses a ledger's items (or the unit's 公开承诺, or a 通报), reviews a preview with
  personal data redacted, and publishes a frozen version; the public site shows only published versions and
  a withdrawal takes one down. Nothing is public by default.
- Opinion: 意见建议 and 举报 sent through the public form, routed to a unit, answered by a deadline, turned
  into a ledger item (source 群众意见) or referred to discipline (移交纪检). The sender follows it with a query
  code; optional contact details are kept encrypted (SM4-GCM).
- Survey: 群众评议 and 民意调查 answered through one-time tokens by invited respondents of the evaluator
  groups of seed 004 五, kept apart in the results.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

# --- publication -------------------------------------------------------------------------------------------

class PublicityPolicy(models.Model):
    """What a campaign lets the public site show beyond the lists themselves.

    Seed 004 五: 领导班子成员个人整改措施 may be published only inside the unit, so the 党员领导干部 ledger is
    never public; a leader's name and post (牵头领导) appear on the public lists only where the campaign says so.
    """

    campaign = models.OneToOneField("campaigns.Campaign", verbose_name=_("活动"), on_delete=models.CASCADE,
                                    related_name="publicity_policy")
    leaders_public = models.BooleanField(_("公开牵头领导姓名和职务"), default=False)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("公开设置")
        verbose_name_plural = _("公开设置")

    def __str__(self) -> str:
        return str(self.campaign)


class PublicationKind(models.TextChoices):
    LEDGER = "ledger", _("整改清单")
    COMMITMENTS = "commitments", _("公开承诺")
    BULLETIN = "bulletin", _("通报")


class PublicationState(models.TextChoices):
    DRAFT = "draft", _("未发布")
    PUBLISHED = "published", _("已发布")
    WITHDRAWN = "withdrawn", _("已撤回")


class Publication(models.Model):
    """One thing an office may put on the public site, with what it chose to show and how it is redacted."""

    unit = models.ForeignKey("orgs.Unit", verbose_name=_("公开单位"), on_delete=models.PROTECT,
                             related_name="publications")
    campaign = models.ForeignKey("campaigns.Campaign", verbose_name=_("活动"), on_delete=models.PROTECT,
                                 related_name="publications")
    kind = models.CharField(_("公开内容"), max_length=16, choices=PublicationKind.choices)
    ledger = models.ForeignKey("ledgers.Ledger", verbose_name=_("台账"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="publications")
    bulletin = models.OneToOneField("Bulletin", verbose_name=_("通报"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="publication")
    title = models.CharField(_("公开标题"), max_length=200)
    # The items chosen for a ledger's list: nothing of a ledger is public unless chosen here.
    items = models.ManyToManyField("ledgers.Item", verbose_name=_("公开事项"), related_name="publications",
                                   blank=True)
    # Words the office saw in the preview and wants hidden too (names of ordinary people, places): one per line.
    extra_redactions = models.TextField(_("另需隐去的文字"), blank=True, help_text=_("每行一项，如群众姓名"))
    state = models.CharField(_("状态"), max_length=16, choices=PublicationState.choices,
                             default=PublicationState.DRAFT)
    live_version = models.ForeignKey("PublicationVersion", verbose_name=_("在线版本"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("创建人"), on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(m2m_fields=[items])

    class Meta:
        verbose_name = _("公开事项")
        verbose_name_plural = _("公开事项")
        ordering = ["unit__path", "kind", "id"]
        constraints = [
            models.UniqueConstraint(fields=["ledger"], condition=Q(ledger__isnull=False),
                                    name="publication_one_per_ledger"),
            models.UniqueConstraint(fields=["unit", "campaign"], condition=Q(kind="commitments"),
                                    name="publication_one_commitments_per_unit"),
            models.CheckConstraint(
                condition=(Q(kind="ledger") & Q(ledger__isnull=False) & Q(bulletin__isnull=True))
                | (Q(kind="commitments") & Q(ledger__isnull=True) & Q(bulletin__isnull=True))
                | (Q(kind="bulletin") & Q(ledger__isnull=True) & Q(bulletin__isnull=False)),
                name="publication_kind_shape",
            ),
            models.CheckConstraint(condition=~Q(state="published") | Q(live_version__isnull=False),
                                   name="publication_published_has_version"),
        ]
        indexes = [models.Index(fields=["state", "unit"], name="publication_state_unit")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("publication-detail", args=[self.pk])


class PublicationVersion(models.Model):
    """A frozen, redacted copy of what went public: the public site reads only these."""

    publication = models.ForeignKey(Publication, verbose_name=_("公开事项"), on_delete=models.PROTECT,
                                    related_name="versions")
    number = models.PositiveIntegerField(_("版本"))
    # Canonical JSON (sorted keys, no spaces, UTF-8) of the redacted content, and the SHA-256 of its bytes.
    content = models.TextField(_("内容"))
    digest = models.CharField(_("摘要(SHA-256)"), max_length=64)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("发布人"), on_delete=models.PROTECT,
                                     related_name="+")
    published_at = models.DateTimeField(_("发布时间"))
    withdrawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("撤回人"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    withdrawn_at = models.DateTimeField(_("撤回时间"), null=True, blank=True)
    withdraw_reason = models.TextField(_("撤回理由"), blank=True)

    history = HistoricalRecords(excluded_fields=["content"])

    class Meta:
        verbose_name = _("公开版本")
        verbose_name_plural = _("公开版本")
        ordering = ["publication", "number"]
        constraints = [models.UniqueConstraint(fields=["publication", "number"], name="publication_version_unique")]

    def __str__(self) -> str:
        return f"{self.publication} v{self.number}"


class PublicSiteEpoch(models.Model):
    """One row whose number moves on every publish and withdrawal, in the same transaction: the public
    pages are cached under it, so every server process sees a change at its next request (one primary-key
    read) and nothing stale is served after a withdrawal."""

    n = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("公开版本号")
        verbose_name_plural = _("公开版本号")

    def __str__(self) -> str:
        return str(self.n)


class CommitmentStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", _("推进中")
    DONE = "done", _("已兑现")
    ONGOING = "ongoing", _("长期坚持")


class Commitment(models.Model):
    """公开承诺: what a unit promised the public, with its progress; published as the unit's 公开承诺 list."""

    unit = models.ForeignKey("orgs.Unit", verbose_name=_("单位"), on_delete=models.PROTECT,
                             related_name="commitments")
    campaign = models.ForeignKey("campaigns.Campaign", verbose_name=_("活动"), on_delete=models.PROTECT,
                                 related_name="commitments")
    seq = models.PositiveIntegerField(_("序号"))
    content = models.TextField(_("承诺事项"))
    due_on = models.DateField(_("兑现时限"), null=True, blank=True)
    status = models.CharField(_("兑现情况"), max_length=16, choices=CommitmentStatus.choices,
                              default=CommitmentStatus.IN_PROGRESS)
    progress = models.TextField(_("进展情况"), blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("公开承诺")
        verbose_name_plural = _("公开承诺")
        ordering = ["unit", "campaign", "seq"]
        constraints = [models.UniqueConstraint(fields=["unit", "campaign", "seq"], name="commitment_unique_seq")]

    def __str__(self) -> str:
        return f"{self.seq}. {self.content[:40]}"


class Bulletin(models.Model):
    """A 通报 an office writes for the public (progress of the campaign, cases handled); public once published."""

    unit = models.ForeignKey("orgs.Unit", verbose_name=_("发布单位"), on_delete=models.PROTECT,
                             related_name="bulletins")
    campaign = models.ForeignKey("campaigns.Campaign", verbose_name=_("活动"), on_delete=models.PROTECT,
                                 related_name="bulletins")
    title = models.CharField(_("标题"), max_length=200)
    doc_number = models.CharField(_("文号"), max_length=60, blank=True)
    issued_on = models.DateField(_("成文日期"))
    body = models.TextField(_("正文"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("起草人"), on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("通报")
        verbose_name_plural = _("通报")
        ordering = ["-issued_on", "-id"]

    def __str__(self) -> str:
        return self.title


# --- opinions and reports (意见箱、举报) ------------------------------------------------------------------

class OpinionKind(models.TextChoices):
    OPINION = "opinion", _("意见建议")
    REPORT = "report", _("举报")


class OpinionState(models.TextChoices):
    RECEIVED = "received", _("待办理")
    ANSWERED = "answered", _("已答复")
    REFERRED = "referred", _("已移交纪检")


class Opinion(models.Model):
    """One opinion or report from the public, routed to a unit.

    The query code is shown to the sender once and kept only as a keyed digest; the contact details, when
    given, only as SM4-GCM ciphertext (publicity.contact), readable by the receiving office and discipline staff.
    """

    number = models.CharField(_("编号"), max_length=32, unique=True)
    kind = models.CharField(_("类别"), max_length=16, choices=OpinionKind.choices)
    # The unit the form was sent to, and the unit that handles it now (the office re-routes a wrong one).
    submitted_unit = models.ForeignKey("orgs.Unit", verbose_name=_("提交单位"), on_delete=models.PROTECT,
                                       related_name="+")
    unit = models.ForeignKey("orgs.Unit", verbose_name=_("办理单位"), on_delete=models.PROTECT,
                             related_name="opinions")
    # The published item the form was opened from, if any.
    about_item = models.ForeignKey("ledgers.Item", verbose_name=_("所涉事项"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    subject = models.CharField(_("标题"), max_length=200)
    content = models.TextField(_("内容"))
    anonymous = models.BooleanField(_("匿名"), default=True)
    contact_ciphertext = models.BinaryField(_("联系方式(密文)"), null=True, blank=True)
    query_digest = models.CharField(max_length=64, unique=True)
    state = models.CharField(_("状态"), max_length=16, choices=OpinionState.choices, default=OpinionState.RECEIVED)
    answer_due_on = models.DateField(_("答复时限"))
    answer = models.TextField(_("答复内容"), blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("答复人"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    ledger_item = models.ForeignKey("ledgers.Item", verbose_name=_("列入台账事项"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="opinions")
    referred_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("移交人"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    referred_at = models.DateTimeField(_("移交时间"), null=True, blank=True)
    referral_note = models.TextField(_("移交说明"), blank=True)
    submitted_at = models.DateTimeField(_("提交时间"), auto_now_add=True)

    history = HistoricalRecords(excluded_fields=["contact_ciphertext"])

    class Meta:
        verbose_name = _("群众意见")
        verbose_name_plural = _("群众意见")
        ordering = ["-submitted_at", "-id"]
        indexes = [models.Index(fields=["unit", "state"], name="opinion_unit_state"),
                   models.Index(fields=["state", "answer_due_on"], name="opinion_state_due")]

    def __str__(self) -> str:
        return f"{self.number} {self.subject}"


class OpinionRouting(models.Model):
    """A re-routing of an opinion to another unit, with its reason (the FixMyStreet re-send)."""

    opinion = models.ForeignKey(Opinion, verbose_name=_("群众意见"), on_delete=models.CASCADE,
                                related_name="routings")
    from_unit = models.ForeignKey("orgs.Unit", verbose_name=_("原办理单位"), on_delete=models.PROTECT,
                                  related_name="+")
    to_unit = models.ForeignKey("orgs.Unit", verbose_name=_("转至单位"), on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(_("转办理由"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("转办人"), on_delete=models.PROTECT,
                           related_name="+")
    at = models.DateTimeField(_("转办时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("转办记录")
        verbose_name_plural = _("转办记录")
        ordering = ["opinion", "at", "id"]

    def __str__(self) -> str:
        return f"{self.opinion_id}: {self.from_unit_id} → {self.to_unit_id}"


class PublicThrottle(models.Model):
    """Posts from one address (as a keyed digest) in one window: the public forms' rate limit, shared by
    every server process through the database."""

    key = models.CharField(max_length=100)
    window_start = models.DateTimeField()
    n = models.IntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["key", "window_start"], name="public_throttle_unique")]

    def __str__(self) -> str:
        return f"{self.key} {self.window_start}: {self.n}"


# --- 群众评议 and 民意调查 --------------------------------------------------------------------------------

class SurveyKind(models.TextChoices):
    APPRAISAL = "appraisal", _("群众评议")
    POLL = "poll", _("民意调查")


class SurveyState(models.TextChoices):
    DRAFT = "draft", _("未开始")
    OPEN = "open", _("进行中")
    CLOSED = "closed", _("已结束")


class EvaluatorGroup(models.TextChoices):
    """Seed 004 五: 本单位干部职工、下属单位负责人、“两代表一委员”、群众代表和服务对象."""

    STAFF = "staff", _("本单位干部职工")
    SUBORDINATE_HEADS = "subordinate_heads", _("下属单位负责人")
    DEPUTIES = "deputies", _("“两代表一委员”")
    PUBLIC = "public", _("群众代表")
    SERVICE_USERS = "service_users", _("服务对象")


def default_scale() -> list:
    """The usual 满意度 scale: each option's label, its score, and whether it counts as satisfied."""
    return [
        {"label": "满意", "score": 100, "satisfied": True},
        {"label": "基本满意", "score": 80, "satisfied": True},
        {"label": "不满意", "score": 0, "satisfied": False},
        {"label": "不了解", "score": None, "satisfied": None},
    ]


class Survey(models.Model):
    owner_unit = models.ForeignKey("orgs.Unit", verbose_name=_("组织单位"), on_delete=models.PROTECT,
                                   related_name="surveys")
    campaign = models.ForeignKey("campaigns.Campaign", verbose_name=_("活动"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="surveys")
    kind = models.CharField(_("类型"), max_length=16, choices=SurveyKind.choices)
    title = models.CharField(_("标题"), max_length=200)
    instructions = models.TextField(_("说明"), blank=True)
    scale = models.JSONField(_("评价等次"), default=default_scale)
    target_units = models.ManyToManyField("orgs.Unit", verbose_name=_("被评单位"), related_name="+", blank=True)
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"))
    # A unit is ranked only with this many answers; below the threshold with enough answers it is marked
    # 群众满意度严重偏低 (seed 004 五).
    min_sample = models.PositiveIntegerField(_("最少有效样本"), default=30)
    low_threshold = models.PositiveSmallIntegerField(_("严重偏低线(满意率%)"), default=60)
    state = models.CharField(_("状态"), max_length=16, choices=SurveyState.choices, default=SurveyState.DRAFT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("创建人"), on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords(m2m_fields=[target_units])

    class Meta:
        verbose_name = _("评议调查")
        verbose_name_plural = _("评议调查")
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="survey_dates_ordered"),
        ]

    def __str__(self) -> str:
        return self.title


class SurveyQuestion(models.Model):
    survey = models.ForeignKey(Survey, verbose_name=_("评议调查"), on_delete=models.CASCADE, related_name="questions")
    order = models.PositiveSmallIntegerField(_("序号"))
    text = models.CharField(_("题目"), max_length=300)

    class Meta:
        verbose_name = _("题目")
        verbose_name_plural = _("题目")
        ordering = ["survey", "order"]
        constraints = [models.UniqueConstraint(fields=["survey", "order"], name="survey_question_unique_order")]

    def __str__(self) -> str:
        return self.text


class SurveyToken(models.Model):
    """A one-time invitation: the token itself is handed out once (link or QR code) and kept as a digest."""

    survey = models.ForeignKey(Survey, verbose_name=_("评议调查"), on_delete=models.CASCADE, related_name="tokens")
    unit = models.ForeignKey("orgs.Unit", verbose_name=_("被评单位"), on_delete=models.PROTECT, related_name="+")
    group = models.CharField(_("评议群体"), max_length=24, choices=EvaluatorGroup.choices)
    digest = models.CharField(max_length=64, unique=True)
    batch = models.PositiveIntegerField(_("批次"), default=1)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("生成人"), on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    used_at = models.DateTimeField(_("使用时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("评议凭证")
        verbose_name_plural = _("评议凭证")
        indexes = [models.Index(fields=["survey", "unit", "group"], name="survey_token_unit_group")]

    def __str__(self) -> str:
        return f"{self.survey_id} {self.unit_id} {self.group}"


class SurveyResponse(models.Model):
    """One respondent's answers: {question id: option index}; one per token."""

    token = models.OneToOneField(SurveyToken, verbose_name=_("凭证"), on_delete=models.PROTECT,
                                 related_name="response")
    survey = models.ForeignKey(Survey, verbose_name=_("评议调查"), on_delete=models.CASCADE,
                               related_name="responses")
    unit = models.ForeignKey("orgs.Unit", verbose_name=_("被评单位"), on_delete=models.PROTECT, related_name="+")
    group = models.CharField(_("评议群体"), max_length=24, choices=EvaluatorGroup.choices)
    answers = models.JSONField(_("答卷"))
    comment = models.TextField(_("意见建议"), blank=True)
    submitted_at = models.DateTimeField(_("提交时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("答卷")
        verbose_name_plural = _("答卷")
        indexes = [models.Index(fields=["survey", "unit", "group"], name="survey_response_unit_group")]

    def __str__(self) -> str:
        return f"{self.survey_id} {self.unit_id} {self.group}"
