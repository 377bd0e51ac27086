"""The security log: append-only, each row chained to the previous one by an HMAC."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SecurityEventKind(models.TextChoices):
    LOGIN = "login", _("登录")
    LOGIN_FAILED = "login_failed", _("登录失败")
    LOGOUT = "logout", _("退出")
    LOCKED_OUT = "locked_out", _("账号锁定")
    UNLOCKED = "unlocked", _("解除锁定")
    DENIED = "denied", _("越权访问被拒")
    ROLE_GRANTED = "role_granted", _("授予角色")
    ROLE_REVOKED = "role_revoked", _("撤销角色")
    EXPORT = "export", _("导出数据")
    IMPORT = "import", _("导入数据")
    TOKEN_ISSUED = "token_issued", _("签发接口令牌")
    COVERT_VIEW = "covert_view", _("查看暗访记录")
    # The second factor (huitoukan.twofactor).
    OTP_VERIFIED = "otp_verified", _("二次验证通过")
    OTP_FAILED = "otp_failed", _("二次验证失败")
    OTP_ENROLLED = "otp_enrolled", _("绑定动态口令")
    OTP_RECOVERY_CODES = "otp_recovery_codes", _("重新生成恢复码")
    OTP_RESET = "otp_reset", _("重置二次验证")


class SecurityEvent(models.Model):
    at = models.DateTimeField(_("时间"), db_index=True)
    kind = models.CharField(_("事件"), max_length=32, choices=SecurityEventKind.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("用户"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    username = models.CharField(_("账号"), max_length=150, blank=True)
    ip = models.CharField(_("IP地址"), max_length=64, blank=True)
    path = models.CharField(_("访问路径"), max_length=500, blank=True)
    detail = models.JSONField(_("详情"), default=dict, blank=True)
    digest = models.CharField(max_length=64, unique=True)

    class Meta:
        verbose_name = _("安全日志")
        verbose_name_plural = _("安全日志")
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.get_kind_display()} {self.username}"


class ChainHead(models.Model):
    """One row, locked while appending, so concurrent writers chain in a single line."""

    digest = models.CharField(max_length=64)
    last_event_id = models.BigIntegerField(default=0)
    count = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.count} @ {self.digest[:12]}"
