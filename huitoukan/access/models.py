"""Role assignments: who may do what, over which part of the unit tree."""

from django.conf import settings
from django.db import models
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
