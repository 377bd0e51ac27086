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
    # The contact details a sender left with an opinion or report (huitoukan.publicity), decrypted and shown.
    CONTACT_VIEW = "contact_view", _("查看群众联系方式")
    # The second factor (huitoukan.twofactor).
    OTP_VERIFIED = "otp_verified", _("二次验证通过")
    OTP_FAILED = "otp_failed", _("二次验证失败")
    OTP_ENROLLED = "otp_enrolled", _("绑定动态口令")
    OTP_RECOVERY_CODES = "otp_recovery_codes", _("重新生成恢复码")
    OTP_RESET = "otp_reset", _("重置二次验证")
    LOG_PURGED = "log_purged", _("清理安全日志")
    # The 系统管理员's actions on logins (access.services).
    ACCOUNT_CREATED = "account_created", _("新建账号")
    ACCOUNT_DISABLED = "account_disabled", _("停用账号")
    ACCOUNT_ENABLED = "account_enabled", _("启用账号")
    PASSWORD_RESET = "password_reset", _("重置密码")
    # The security policy, passwords and sessions (huitoukan.security).
    POLICY_CHANGED = "policy_changed", _("修改安全策略")
    PASSWORD_CHANGED = "password_changed", _("修改密码")
    SESSION_ENDED = "session_ended", _("强制结束会话")
    ACCOUNT_STALE_DISABLED = "account_stale_disabled", _("停用闲置账号")
    # An administrator account's change to the unit tree, people or groups (also in those objects'
    # history), and the 审计管理员's verification of this log.
    ADMIN_CHANGE = "admin_change", _("管理员变更数据")
    LOG_VERIFIED = "log_verified", _("校验安全日志")
    # The ledgers' item chains (ledgers.chain): rows sealed after the fact, and a verification that failed.
    LEDGER_SEALED = "ledger_sealed", _("补封台账链")
    LEDGER_CHAIN_BROKEN = "ledger_chain_broken", _("台账链校验未通过")


class Outcome(models.TextChoices):
    """What came of the attempt an event records: the log page's 结果 filter."""

    ALLOWED = "allowed", _("成功")
    DENIED = "denied", _("拒绝")
    FAILED = "failed", _("失败")


# Every kind says its outcome here: a new kind without one fails tests/audit/test_log_console.py.
OUTCOME_OF_KIND: dict[str, Outcome] = {
    SecurityEventKind.LOGIN: Outcome.ALLOWED,
    SecurityEventKind.LOGIN_FAILED: Outcome.FAILED,
    SecurityEventKind.LOGOUT: Outcome.ALLOWED,
    SecurityEventKind.LOCKED_OUT: Outcome.FAILED,
    SecurityEventKind.UNLOCKED: Outcome.ALLOWED,
    SecurityEventKind.DENIED: Outcome.DENIED,
    SecurityEventKind.ROLE_GRANTED: Outcome.ALLOWED,
    SecurityEventKind.ROLE_REVOKED: Outcome.ALLOWED,
    SecurityEventKind.EXPORT: Outcome.ALLOWED,
    SecurityEventKind.IMPORT: Outcome.ALLOWED,
    SecurityEventKind.TOKEN_ISSUED: Outcome.ALLOWED,
    SecurityEventKind.COVERT_VIEW: Outcome.ALLOWED,
    SecurityEventKind.CONTACT_VIEW: Outcome.ALLOWED,
    SecurityEventKind.OTP_VERIFIED: Outcome.ALLOWED,
    SecurityEventKind.OTP_FAILED: Outcome.FAILED,
    SecurityEventKind.OTP_ENROLLED: Outcome.ALLOWED,
    SecurityEventKind.OTP_RECOVERY_CODES: Outcome.ALLOWED,
    SecurityEventKind.OTP_RESET: Outcome.ALLOWED,
    SecurityEventKind.LOG_PURGED: Outcome.ALLOWED,
    SecurityEventKind.ACCOUNT_CREATED: Outcome.ALLOWED,
    SecurityEventKind.ACCOUNT_DISABLED: Outcome.ALLOWED,
    SecurityEventKind.ACCOUNT_ENABLED: Outcome.ALLOWED,
    SecurityEventKind.PASSWORD_RESET: Outcome.ALLOWED,
    SecurityEventKind.POLICY_CHANGED: Outcome.ALLOWED,
    SecurityEventKind.PASSWORD_CHANGED: Outcome.ALLOWED,
    SecurityEventKind.SESSION_ENDED: Outcome.ALLOWED,
    SecurityEventKind.ACCOUNT_STALE_DISABLED: Outcome.ALLOWED,
    SecurityEventKind.ADMIN_CHANGE: Outcome.ALLOWED,
    SecurityEventKind.LOG_VERIFIED: Outcome.ALLOWED,
    SecurityEventKind.LEDGER_SEALED: Outcome.ALLOWED,
    SecurityEventKind.LEDGER_CHAIN_BROKEN: Outcome.FAILED,
}


def kinds_with_outcome(outcome: str) -> list[str]:
    return [str(kind) for kind, o in OUTCOME_OF_KIND.items() if o == outcome]


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


class SecurityLogPurge(models.Model):
    """Rows older than `before` were removed; the chain now starts from the last removed row's digest.

    Signed with the log's key, so a forged or altered purge (to hide the oldest rows, or to pass
    a removal of the newest ones off as one) does not verify. The newest purge is the genesis.
    """

    at = models.DateTimeField(_("清理时间"))
    before = models.DateTimeField(_("清理此前的记录"))
    removed = models.BigIntegerField(_("本次清理条数"))
    # Rows removed by every purge so far: the position in the chain of the row whose digest is `digest`.
    total_removed = models.BigIntegerField()
    last_event_id = models.BigIntegerField()
    digest = models.CharField(max_length=64)
    mac = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("安全日志清理")
        verbose_name_plural = _("安全日志清理")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d} < {self.before:%Y-%m-%d} ({self.removed})"
