"""Role assignments: who may do what, over which part of the unit tree."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Role(models.TextChoices):
    CAMPAIGN_OFFICE = "campaign_office", _("活动办管理员")
    UNIT_FILLER = "unit_filler", _("单位填报员")
    RESPONSIBLE_LEADER = "responsible_leader", _("责任领导")
    UNIT_HEAD = "unit_head", _("主要负责同志")
    SUPERVISOR = "supervisor", _("督导组成员")
    DISCIPLINE = "discipline", _("纪检/组织部")
    SYSTEM_ADMIN = "system_admin", _("系统管理员")
    SECURITY_ADMIN = "security_admin", _("安全管理员")
    AUDIT_ADMIN = "audit_admin", _("审计管理员")


# The 三员: their roles never read business data by being administrators.
ADMIN_ROLES = frozenset({Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN})


class AccountKind(models.TextChoices):
    """What a login is, from its creation on: a business login, or one of the 三员's. It never changes."""

    BUSINESS = "business", _("业务账号")
    SYSTEM_ADMIN = "system_admin", _("系统管理员账号")
    SECURITY_ADMIN = "security_admin", _("安全管理员账号")
    AUDIT_ADMIN = "audit_admin", _("审计管理员账号")


# The administrator role each administrator kind holds (and the only role it may ever hold).
ROLE_OF_ADMIN_KIND: dict[str, Role] = {
    AccountKind.SYSTEM_ADMIN: Role.SYSTEM_ADMIN,
    AccountKind.SECURITY_ADMIN: Role.SECURITY_ADMIN,
    AccountKind.AUDIT_ADMIN: Role.AUDIT_ADMIN,
}
ADMIN_KIND_OF_ROLE: dict[str, AccountKind] = {role: kind for kind, role in ROLE_OF_ADMIN_KIND.items()}


def kind_may_hold(kind: str, role: str) -> bool:
    """A business login holds business roles only; an administrator login its own administrator role only."""
    if kind == AccountKind.BUSINESS:
        return role not in ADMIN_ROLES
    return ROLE_OF_ADMIN_KIND.get(kind) == role


class Account(models.Model):
    """The kind of a login, fixed at its creation, and what its administration needs to know of it.

    A business login belongs to a unit: the 系统管理员 of that unit's part of the tree manages it
    (disables, enables, resets its password). The 三员's logins belong to no unit and are managed
    from the command line only.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("用户"), on_delete=models.CASCADE, related_name="account"
    )
    kind = models.CharField(_("账号类型"), max_length=32, choices=AccountKind.choices)
    unit = models.ForeignKey(
        "orgs.Unit", verbose_name=_("所属单位"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="accounts",
    )
    # An initial or reset password: the login changes it before anything else (huitoukan.security).
    must_change_password = models.BooleanField(_("须修改密码"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("创建人"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("账号")
        verbose_name_plural = _("账号")
        constraints = [
            models.CheckConstraint(condition=models.Q(kind__in=AccountKind.values), name="account_kind_known"),
            # The 三员 belong to no unit: no 系统管理员 of a part of the tree manages them.
            models.CheckConstraint(condition=models.Q(kind=AccountKind.BUSINESS) | models.Q(unit__isnull=True),
                                   name="account_admin_no_unit"),
        ]

    def __str__(self) -> str:
        return f"{self.user.get_username()}（{self.get_kind_display()}）"

    @property
    def is_admin(self) -> bool:
        return self.kind != AccountKind.BUSINESS


class RoleAssignment(models.Model):
    """A (role, unit) pair held by a user; it covers the unit's whole subtree.

    A 督导组成员 assignment names its group instead and covers the group's assigned units;
    a 责任领导 assignment names the person the user acts as.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("用户"), on_delete=models.CASCADE, related_name="role_assignments"
    )
    role = models.CharField(_("角色"), max_length=32, choices=Role.choices)
    unit = models.ForeignKey(
        "orgs.Unit", verbose_name=_("单位"), on_delete=models.PROTECT, related_name="role_assignments"
    )
    person = models.ForeignKey(
        "orgs.Person",
        verbose_name=_("对应人员"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="role_assignments",
    )
    supervision_group = models.ForeignKey(
        "orgs.SupervisionGroup",
        verbose_name=_("督导组"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="role_assignments",
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("授权人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    granted_at = models.DateTimeField(_("授权时间"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("角色授权")
        verbose_name_plural = _("角色授权")
        constraints = [
            # NULLs are distinct in a plain unique constraint, hence one constraint per case.
            models.UniqueConstraint(
                fields=["user", "role", "unit"],
                condition=models.Q(supervision_group__isnull=True),
                name="role_assignment_unique",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "supervision_group"],
                condition=models.Q(supervision_group__isnull=False),
                name="role_assignment_unique_group",
            ),
        ]
        indexes = [models.Index(fields=["user", "role"], name="role_assignment_user_role")]

    def __str__(self) -> str:
        where = self.supervision_group or self.unit
        return f"{self.get_role_display()} @ {where}"
