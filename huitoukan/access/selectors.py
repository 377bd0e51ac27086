from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from huitoukan.access import policy
from huitoukan.access.models import Account, AccountKind, RoleAssignment
from huitoukan.access.policy import Perm


def assignments_visible_to(*, user) -> QuerySet[RoleAssignment]:
    return (
        RoleAssignment.objects.filter(policy.units_q(user, Perm.ROLE_VIEW, "unit__path"))
        .select_related("user", "unit", "person", "supervision_group", "granted_by")
        .order_by("unit__path", "role", "user__username")
    )


def assignment_get_for(*, user, pk, perm: Perm = Perm.ROLE_VIEW) -> RoleAssignment:
    try:
        assignment = RoleAssignment.objects.select_related("unit", "user").get(pk=pk)
    except (RoleAssignment.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    policy.require(user, perm, assignment.unit)
    return assignment


def accounts_visible_to(*, user, perm: Perm = Perm.ACCOUNT_VIEW) -> QuerySet[Account]:
    """The business logins `user` holds `perm` over (policy.require_account): of a unit in its scope,
    holding no role outside it. The 三员's logins are in nobody's list: the command line manages them."""
    scope = policy.scope(user, perm)
    rows = Account.objects.filter(kind=AccountKind.BUSINESS, unit__isnull=False).filter(scope.q("unit__path"))
    if not scope.everywhere:
        outside = RoleAssignment.objects.filter(user_id=OuterRef("user_id")).exclude(scope.q("unit__path"))
        rows = rows.exclude(Exists(outside))
    return rows.select_related("user", "unit").order_by("unit__path", "user__username")


def account_search(*, user, text: str = "", status: str = "") -> QuerySet[Account]:
    """The list's search: a part of the username or of the person's name; 启用 / 停用."""
    rows = accounts_visible_to(user=user)
    if text:
        rows = rows.filter(Q(user__username__icontains=text) | Q(user__person__name__contains=text))
    if status in ("active", "disabled"):
        rows = rows.filter(user__is_active=status == "active")
    return rows


def account_get_for(*, user, pk, perm: Perm = Perm.ACCOUNT_VIEW) -> Account:
    """The login's account by its user's id: 404 when absent or out of scope (the same answer)."""
    try:
        account = Account.objects.select_related("user", "unit").get(user_id=pk)
    except (Account.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    policy.require_account(user, perm, account, account_grant_units(account.user_id))
    return account


def account_grant_units(user_id) -> list:
    """The units where the login holds a role: whoever manages it must hold the right over each."""
    return [a.unit for a in RoleAssignment.objects.filter(user_id=user_id).select_related("unit")]
