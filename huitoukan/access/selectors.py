from django.db.models import QuerySet

from huitoukan.access import policy
from huitoukan.access.models import RoleAssignment
from huitoukan.access.policy import Perm


def assignments_visible_to(*, user) -> QuerySet[RoleAssignment]:
    return (
        RoleAssignment.objects.filter(policy.units_q(user, Perm.ROLE_VIEW, "unit__path"))
        .select_related("user", "unit", "person", "supervision_group", "granted_by")
        .order_by("unit__path", "role", "user__username")
    )


def assignment_get_for(*, user, pk, perm: Perm = Perm.ROLE_VIEW) -> RoleAssignment:
    from django.http import Http404

    try:
        assignment = RoleAssignment.objects.select_related("unit", "user").get(pk=pk)
    except (RoleAssignment.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    policy.require(user, perm, assignment.unit)
    return assignment
