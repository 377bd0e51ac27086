"""Who must pass a second factor after the password (等保 2.0 8.1.4.1 d).

The three administrators (系统管理员, 安全管理员, 审计管理员) always; any other role when the
security policy names it. A login holding no such role signs in with its password alone.
"""

from __future__ import annotations

from huitoukan.access import policy
from huitoukan.access.models import ADMIN_ROLES
from huitoukan.security.selectors import policy_current


def second_factor_roles() -> frozenset[str]:
    """The roles whose holders sign in with a second factor: the 三员, and those the policy in force names."""
    return frozenset(ADMIN_ROLES) | policy_current().second_factor_role_values()


def second_factor_required(user) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    roles = policy.roles_of(user)
    # The 三员 need no read of the policy; a login without a role needs nothing.
    return bool(roles & ADMIN_ROLES) or bool(roles and roles & second_factor_roles())
