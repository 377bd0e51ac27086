"""The 等保 2.0 三级 reference of each security-policy value, written once.

Every numeric field of SecurityPolicy names here the value the 等保 profile asks for and which way a
value is weaker: a policy weaker than the reference is refused (SecurityPolicy.clean), and the
console shows the reference beside the value in force.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

# The three administrator roles (access.models.ADMIN_ROLES, whose values these are): they need the
# second factor whatever the policy's list says. Security lies below access and cannot import it;
# tests/security/test_policy.py holds the two sets equal.
ADMIN_ROLE_VALUES = frozenset({"system_admin", "security_admin", "audit_admin"})


@dataclass(frozen=True)
class Reference:
    field: str
    value: int
    at_least: bool  # True: a smaller value is weaker; False: a larger one is
    text: str  # the requirement as the console shows it
    upper: int  # the largest value accepted at all (a sanity bound, not a 等保 one)
    lower: int = 1  # the smallest value accepted at all


REFERENCES: dict[str, Reference] = {
    r.field: r
    for r in (
        Reference("password_min_length", 8, True, _("不少于8位"), upper=64),
        Reference("password_min_classes", 3, True, _("大写字母、小写字母、数字、其他字符中至少3类"), upper=4),
        Reference("password_expiry_days", 90, False, _("不超过90天"), upper=90),
        Reference("password_history", 5, True, _("不得与最近5次相同"), upper=24),
        Reference("lockout_failures", 5, False, _("同一账号连续失败不超过5次即锁定"), upper=5),
        Reference("lockout_account_failures", 20, False, _("账号自所有地址累计失败不超过20次即锁定"), upper=20),
        Reference("lockout_minutes", 10, True, _("锁定不少于10分钟"), upper=24 * 60),
        Reference("session_idle_minutes", 30, False, _("无操作不超过30分钟自动退出"), upper=30),
        Reference("session_absolute_minutes", 480, False, _("单次会话不超过8小时"), upper=8 * 60, lower=10),
        Reference("stale_account_days", 90, False, _("超过90天未使用的账号停用"), upper=90),
    )
}


def weaker_than_reference(field: str, value: int) -> bool:
    ref = REFERENCES[field]
    return value < ref.value if ref.at_least else value > ref.value
