"""Notifications: a message in the app for one login, and its deliveries by email or group robot.

A notification exists at most once per (recipient, key): the key names the occasion (e.g.
"deadline:12:unit:34:step:-7"), so a reminder job that runs twice notifies once. A delivery is a
durable job of its own (DESIGN.md): a row with its state; huey carries only its id, and a send
is claimed with a conditional UPDATE, so two workers never send the same row.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Notification(models.Model):
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+",
                                  verbose_name=_("接收人"))
    kind = models.CharField(_("类别"), max_length=40, blank=True)
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    link = models.CharField(_("链接"), max_length=500, blank=True)  # site-relative: "/campaigns/12/"
    key = models.CharField(_("去重键"), max_length=200)
    created_at = models.DateTimeField(_("时间"), default=timezone.now)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("消息")
        verbose_name_plural = _("消息")
        constraints = [models.UniqueConstraint(fields=["recipient", "key"], name="notification_once_per_key")]
        indexes = [models.Index(fields=["recipient", "read_at", "-created_at"], name="notification_inbox_idx")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class ChannelPreference(models.Model):
    """How a login wants to hear of its notifications besides the app (always on).

    Without a row, email is on when the login has an address. Personal DingTalk and WeCom
    messages are not offered: only an office's group robots post there (RobotHook).
    """

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+",
                                verbose_name=_("用户"))
    email = models.BooleanField(_("邮件提醒"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("提醒方式")
        verbose_name_plural = _("提醒方式")

    def __str__(self) -> str:
        return f"{self.user_id}: email={self.email}"


class RobotKind(models.TextChoices):
    DINGTALK = "dingtalk", _("钉钉群机器人")
    WECOM = "wecom", _("企业微信群机器人")


class RobotHook(models.Model):
    """A group robot of an office (its unit): the office's DingTalk or WeCom group hears of its reminders."""

    # A reference by name, not an import: notifications sits below orgs in the layers.
    unit = models.ForeignKey("orgs.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("单位"))
    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("类型"), max_length=10, choices=RobotKind.choices)
    url = models.URLField(_("Webhook 地址"), max_length=500)
    # DingTalk's 加签 secret ("SEC…"); empty when the robot is secured by keyword or address instead.
    secret = models.CharField(_("加签密钥"), max_length=200, blank=True)
    is_active = models.BooleanField(_("启用"), default=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    # The secret stays out of the history: a snapshot table is read more widely than the live row.
    history = HistoricalRecords(excluded_fields=["secret"])

    class Meta:
        verbose_name = _("群机器人")
        verbose_name_plural = _("群机器人")
        indexes = [models.Index(fields=["unit", "is_active"], name="robot_unit_idx")]

    def __str__(self) -> str:
        return self.name


class Channel(models.TextChoices):
    EMAIL = "email", _("邮件")
    DINGTALK = "dingtalk", _("钉钉群")
    WECOM = "wecom", _("企业微信群")


class DeliveryState(models.TextChoices):
    QUEUED = "queued", _("待发送")
    SENDING = "sending", _("发送中")
    SENT = "sent", _("已发送")
    FAILED = "failed", _("发送失败")


class Delivery(models.Model):
    """One message on one channel: an email of a notification, or a post of a robot for a key."""

    channel = models.CharField(_("渠道"), max_length=10, choices=Channel.choices)
    notification = models.ForeignKey(Notification, on_delete=models.CASCADE, null=True, blank=True,
                                     related_name="deliveries", verbose_name=_("消息"))
    robot = models.ForeignKey(RobotHook, on_delete=models.CASCADE, null=True, blank=True,
                              related_name="deliveries", verbose_name=_("群机器人"))
    key = models.CharField(_("去重键"), max_length=200)
    address = models.CharField(_("收件地址"), max_length=254, blank=True)  # email: the address when queued
    title = models.CharField(_("标题"), max_length=200)
    text = models.TextField(_("内容"), blank=True)
    link = models.CharField(_("链接"), max_length=500, blank=True)
    state = models.CharField(_("状态"), max_length=10, choices=DeliveryState.choices, default=DeliveryState.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    last_error = models.TextField(_("最近错误"), blank=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    # When a queued or failed row is due (again); None once sent or given up.
    next_attempt_at = models.DateTimeField(_("下次尝试"), null=True, blank=True, default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("发送记录")
        verbose_name_plural = _("发送记录")
        constraints = [
            models.UniqueConstraint(fields=["notification", "channel"], condition=Q(notification__isnull=False),
                                    name="delivery_once_per_notification"),
            models.UniqueConstraint(fields=["robot", "key"], condition=Q(robot__isnull=False),
                                    name="delivery_once_per_robot_key"),
            models.CheckConstraint(condition=Q(notification__isnull=True) ^ Q(robot__isnull=True),
                                   name="delivery_of_notification_or_robot"),
        ]
        indexes = [models.Index(fields=["state", "next_attempt_at"], name="delivery_due_idx")]

    def __str__(self) -> str:
        return f"{self.get_channel_display()}: {self.title}"
