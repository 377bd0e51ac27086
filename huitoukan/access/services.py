"""Granting and revoking roles. Every grant and revocation is in the history and the security log."""

from __future__ import annotations

from axes.utils import reset as axes_reset
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in
from django.db import transaction
from django.utils import timezone
from rest_framework.authtoken.models import Token

from huitoukan.access import policy
from huitoukan.access.authentication import token_expired
from huitoukan.access.errors import AccessError, AccessErrorCode
from huitoukan.access.models import ADMIN_ROLES, Role, RoleAssignment
from huitoukan.access.policy import Perm
from huitoukan.audit.models import SecurityEventKind
from huitoukan.audit.services import security_event_record

PERSON_ROLES = frozenset({Role.RESPONSIBLE_LEADER, Role.UNIT_HEAD, Role.SUPERVISOR, Role.DISCIPLINE})


@transaction.atomic
def role_grant(
    *, actor, user, role: str, unit, person=None, supervision_group=None, request=None
) -> RoleAssignment:
    """Grant `role` over `unit`'s subtree. Only the server operator grants the 安全管理员 and the
    审计管理员 (`policy.operating`, the command line). `actor` None: a test's set-up."""
    role = Role(role)
    if supervision_group is not None:
        unit = supervision_group.dispatched_by
    if actor is not None:
        if role not in policy.GRANTABLE_ROLES and not policy.is_operator(actor):
            raise AccessError(AccessErrorCode.ROLE_NOT_GRANTABLE, role=role.label)
        if actor.pk == user.pk:
            raise AccessError(AccessErrorCode.SELF_GRANT)
        policy.require(actor, Perm.ROLE_GRANT, unit)
        if supervision_group is not None:
            # A group's member sees the group's units: the grantor must cover every one of them.
            for assigned in supervision_group.assigned_units.all():
                policy.require(actor, Perm.ROLE_GRANT, assigned)
    if role == Role.SUPERVISOR and supervision_group is None:
        raise AccessError(AccessErrorCode.GROUP_REQUIRED)
    if role == Role.RESPONSIBLE_LEADER and person is None:
        raise AccessError(AccessErrorCode.PERSON_REQUIRED)
    if person is not None:
        # Only leaders act as a person; the 三员 and clerks never do.
        if role not in PERSON_ROLES:
            raise AccessError(AccessErrorCode.PERSON_NOT_FOR_ROLE, role=role.label)
        if not person.unit.path.startswith(unit.path):
            raise AccessError(AccessErrorCode.PERSON_OUTSIDE_UNIT, person=person.name, unit=unit.full_name)
    # Lock the grantee, so two simultaneous grants cannot both pass the 三员 check.
    get_user_model().objects.select_for_update().filter(pk=user.pk).first()
    held = {a.role for a in RoleAssignment.objects.filter(user=user)}
    # 三员分立: one person holds at most one administrator role, and none with business roles.
    if role in ADMIN_ROLES and held - {role}:
        raise AccessError(
            AccessErrorCode.ADMIN_ROLE_CONFLICT,
            user=user.get_username(),
            held="、".join(str(Role(r).label) for r in held - {role}),
            role=role.label,
        )
    if role not in ADMIN_ROLES and held & ADMIN_ROLES:
        raise AccessError(
            AccessErrorCode.ADMIN_ROLE_CONFLICT,
            user=user.get_username(),
            held="、".join(str(Role(r).label) for r in held & ADMIN_ROLES),
            role=role.label,
        )
    if RoleAssignment.objects.filter(user=user, role=role, unit=unit, supervision_group=supervision_group).exists():
        raise AccessError(AccessErrorCode.ALREADY_GRANTED, user=user.get_username())
    assignment = RoleAssignment(
        user=user,
        role=role,
        unit=unit,
        person=person,
        supervision_group=supervision_group,
        granted_by=actor,
    )
    assignment._history_user = actor
    assignment._change_reason = "授予"
    assignment.save()
    security_event_record(
        kind=SecurityEventKind.ROLE_GRANTED,
        user=actor,
        username=actor.get_username() if actor else "命令行",
        request=request,
        detail={"to": user.get_username(), "role": role.value, "unit": unit.full_name,
                "group": supervision_group.name if supervision_group else ""},
    )
    policy.forget(user)
    return assignment


@transaction.atomic
def role_revoke(*, actor, assignment: RoleAssignment, request=None) -> None:
    if actor is not None:
        if actor.pk == assignment.user_id:
            raise AccessError(AccessErrorCode.SELF_GRANT)
        policy.require(actor, Perm.ROLE_GRANT, assignment.unit)
        if assignment.role not in policy.GRANTABLE_ROLES and not policy.is_operator(actor):
            raise AccessError(AccessErrorCode.ROLE_NOT_GRANTABLE, role=Role(assignment.role).label)
    detail = {"to": assignment.user.get_username(), "role": assignment.role, "unit": assignment.unit.full_name}
    assignment._history_user = actor
    assignment._change_reason = "撤销"
    assignment.delete()
    security_event_record(
        kind=SecurityEventKind.ROLE_REVOKED,
        user=actor,
        username=actor.get_username() if actor else "命令行",
        request=request,
        detail=detail,
    )
    policy.forget(assignment.user)


@transaction.atomic
def account_unlock(*, actor, user, request=None) -> int:
    """Lift `user`'s login lockout from every address; returns the failure records (one per address) cleared.

    The actor needs the 安全管理员's right over every unit where the user holds a role (a county's
    安全管理员 cannot unlock the city's logins), or anywhere for a login without a role.
    """
    units = [a.unit for a in RoleAssignment.objects.filter(user=user).select_related("unit")]
    for unit in units:
        policy.require(actor, Perm.ACCOUNT_UNLOCK, unit)
    if not units:
        policy.require_somewhere(actor, Perm.ACCOUNT_UNLOCK)
    cleared = axes_reset(username=user.get_username())
    security_event_record(kind=SecurityEventKind.UNLOCKED, user=actor, request=request,
                          detail={"to": user.get_username(), "records": cleared})
    return cleared


@transaction.atomic
def api_token_issue(*, user, request) -> Token:
    """A token is a sign-in: the security log records both, and axes clears the failure count.

    A user has one token (DRF's Token is keyed by the user), shared by all their clients. Each
    sign-in gives it its full lifetime again, so a second client never receives a token about to
    expire; an expired one is replaced by a new key rather than brought back to life.
    """
    user_logged_in.send(sender=user.__class__, request=request, user=user)
    token = Token.objects.select_for_update().filter(user=user).first()
    if token is not None and token_expired(token):
        token.delete()
        token = None
    created = token is None
    if created:
        token = Token.objects.create(user=user)
    else:
        token.created = timezone.now()
        Token.objects.filter(pk=token.pk).update(created=token.created)
    security_event_record(kind=SecurityEventKind.TOKEN_ISSUED, user=user, request=request, detail={"new": created})
    return token


def api_tokens_end(*, user) -> bool:
    """The user's API token stops working at once; True if there was one."""
    deleted, _ = Token.objects.filter(user=user).delete()
    return bool(deleted)


@transaction.atomic
def api_token_revoke(*, user, request) -> None:
    ended = api_tokens_end(user=user)
    security_event_record(kind=SecurityEventKind.LOGOUT, user=user, request=request, detail={"api_token": ended})
