"""The security policy in force (one row, with its history) and each user's past passwords."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from huitoukan.security.rules import ADMIN_ROLE_VALUES, REFERENCES, weaker_than_reference


def _bounded(field: str) -> list:
    ref = REFERENCES[field]
    return [MinValueValidator(ref.lower), MaxValueValidator(ref.upper)]


def _initial(field: str) -> int:
    """The first policy's values: the deployment's settings (environment), else the profile's defaults."""
    defaults = {
        "password_min_length": getattr(settings, "PASSWORD_MIN_LENGTH", 10),
        "password_min_classes": getattr(settings, "PASSWORD_MIN_CLASSES", 3),
        "password_expiry_days": getattr(settings, "PASSWORD_EXPIRY_DAYS", 90),
        "password_history": getattr(settings, "PASSWORD_HISTORY", 5),
        "lockout_failures": settings.LOGIN_FAILURE_LIMIT,
        "lockout_account_failures": settings.LOGIN_ACCOUNT_FAILURE_LIMIT,
        "lockout_minutes": settings.LOCKOUT_MINUTES,
        "session_idle_minutes": settings.SESSION_IDLE_SECONDS // 60,
        "session_absolute_minutes": settings.SESSION_ABSOLUTE_SECONDS // 60,
        "stale_account_days": getattr(settings, "STALE_ACCOUNT_DAYS", 90),
    }
    return defaults[field]


def initial_second_factor_roles() -> list[str]:
    return sorted(ADMIN_ROLE_VALUES)


class SecurityPolicy(models.Model):
    """The one policy in force (pk 1). Its history keeps every earlier version and who set it."""

    password_min_length = models.PositiveSmallIntegerField(
        _("密码最小长度"), validators=_bounded("password_min_length"))
    password_min_classes = models.PositiveSmallIntegerField(
        _("密码须含字符类别数"), validators=_bounded("password_min_classes"))
    password_expiry_days = models.PositiveSmallIntegerField(
        _("密码有效期（天）"), validators=_bounded("password_expiry_days"))
    password_history = models.PositiveSmallIntegerField(
        _("不得重复使用最近几次密码"), validators=_bounded("password_history"))
    lockout_failures = models.PositiveSmallIntegerField(
        _("同一地址登录失败锁定次数"), validators=_bounded("lockout_failures"))
    lockout_account_failures = models.PositiveSmallIntegerField(
        _("所有地址累计登录失败锁定次数"), validators=_bounded("lockout_account_failures"))
    lockout_minutes = models.PositiveIntegerField(_("锁定时长（分钟）"), validators=_bounded("lockout_minutes"))
    session_idle_minutes = models.PositiveIntegerField(
        _("无操作超时（分钟）"), validators=_bounded("session_idle_minutes"))
    session_absolute_minutes = models.PositiveIntegerField(
        _("会话最长时间（分钟）"), validators=_bounded("session_absolute_minutes"))
    second_factor_roles = models.JSONField(
        _("须二次验证的角色"), default=initial_second_factor_roles, blank=True,
        help_text=_("三员（系统管理员、安全管理员、审计管理员）无论如何都须二次验证。"))
    stale_account_days = models.PositiveSmallIntegerField(
        _("账号闲置停用天数"), validators=_bounded("stale_account_days"))
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("安全策略")
        verbose_name_plural = _("安全策略")

    def __str__(self) -> str:
        return str(_("安全策略"))

    @classmethod
    def initial(cls) -> SecurityPolicy:
        return cls(pk=1, **{field: _initial(field) for field in REFERENCES})

    def clean(self):
        errors = {}
        for field, ref in REFERENCES.items():
            value = getattr(self, field)
            if value is not None and weaker_than_reference(field, value):
                errors[field] = _("%(label)s为%(value)s，低于等保2.0三级要求（%(text)s），不予保存。") % {
                    "label": self._meta.get_field(field).verbose_name, "value": value, "text": ref.text}
        if (self.lockout_failures and self.lockout_account_failures
                and self.lockout_account_failures < self.lockout_failures):
            errors.setdefault("lockout_account_failures", _(
                "所有地址累计登录失败锁定次数不得少于同一地址登录失败锁定次数。"))
        if not isinstance(self.second_factor_roles, list) or not all(
                isinstance(r, str) for r in self.second_factor_roles):
            errors["second_factor_roles"] = _("须二次验证的角色应为角色列表。")
        if errors:
            raise ValidationError(errors)

    def second_factor_required(self, role_values) -> bool:
        """Whether a login holding these roles must pass the second factor (the 三员 always must)."""
        required = ADMIN_ROLE_VALUES | set(self.second_factor_roles or ())
        return any(str(role) in required for role in role_values)

    def second_factor_role_values(self) -> frozenset[str]:
        return ADMIN_ROLE_VALUES | frozenset(self.second_factor_roles or ())


class PasswordRecord(models.Model):
    """A password a user has had, as Django stores it (argon2 hash): the reuse rule reads the newest."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("用户"), on_delete=models.CASCADE,
                             related_name="password_records")
    password = models.CharField(_("密码（散列）"), max_length=128)
    set_at = models.DateTimeField(_("设置时间"), db_index=True)

    class Meta:
        verbose_name = _("历史密码")
        verbose_name_plural = _("历史密码")
        ordering = ["-set_at", "-id"]
        indexes = [models.Index(fields=["user", "-set_at"], name="password_record_user_set_at")]

    def __str__(self) -> str:
        return f"{self.user_id} @ {self.set_at:%Y-%m-%d %H:%M}"


class StaleDisabling(models.Model):
    """An account the periodic job disabled because it went unused: the 系统管理员's list."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("用户"), on_delete=models.CASCADE,
                             related_name="stale_disablings")
    last_used = models.DateTimeField(_("最后使用时间"), null=True, blank=True)
    disabled_at = models.DateTimeField(_("停用时间"), db_index=True)
    days = models.PositiveSmallIntegerField(_("闲置停用天数"))

    class Meta:
        verbose_name = _("闲置停用记录")
        verbose_name_plural = _("闲置停用记录")
        ordering = ["-disabled_at", "-id"]

    def __str__(self) -> str:
        return f"{self.user_id} @ {self.disabled_at:%Y-%m-%d}"
