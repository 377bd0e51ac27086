"""Logins (their kind, creation, disabling, password reset), and granting and revoking roles.
Every grant and revocation is in the history and the security log, and so is every action on a login.
"""

from __future__ import annotations

import secrets
import string

from axes.utils import reset as axes_reset
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.signals import user_logged_in
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from rest_framework.authtoken.models import Token

from huitoukan.access import policy, selectors
from huitoukan.access.authentication import token_expired
from huitoukan.access.errors import AccessError, AccessErrorCode
from huitoukan.access.models import (
    ADMIN_KIND_OF_ROLE,
    ADMIN_ROLES,
    Account,
    AccountKind,
    Role,
    RoleAssignment,
    kind_may_hold,
)
from huitoukan.access.policy import Perm
from huitoukan.audit.models import SecurityEventKind
from huitoukan.audit.services import security_event_record

PERSON_ROLES = frozenset({Role.RESPONSIBLE_LEADER, Role.UNIT_HEAD, Role.SUPERVISOR, Role.DISCIPLINE})


@transaction.atomic
def role_grant(
    *, actor, user, role: str, unit, person=None, supervision_group=None, request=None
) -> RoleAssignment:
    """Grant `role` over `unit`'s subtree.

    No grant changes what a login is (its Account kind): a business login receives business roles
    only, an administrator's login its own administrator role only, and the three administrator
    roles are granted by the server operator alone (`policy.operating`, the command line).
    `actor` None: a test's set-up, or data loaded by the server; a login without an Account row
    then becomes the kind the role calls for."""
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
    # 三员分立 through the login's kind: an administrator's login holds its one administrator role and
    # nothing else, a business login no administrator role.
    kind = _kind_for_grant(actor, user, role)
    if not kind_may_hold(kind, role):
        if kind == AccountKind.BUSINESS:
            raise AccessError(AccessErrorCode.BUSINESS_ACCOUNT_ADMIN_ROLE, user=user.get_username(), role=role.label)
        code = (AccessErrorCode.ADMIN_ACCOUNT_OTHER_ROLE if role in ADMIN_ROLES
                else AccessErrorCode.ADMIN_ACCOUNT_BUSINESS_ROLE)
        raise AccessError(code, user=user.get_username(), kind=AccountKind(kind).label, role=role.label)
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


def _kind_for_grant(actor, user, role: Role) -> str:
    """The grantee's kind. A set-up grant (`actor` None) to a login without an Account types it by the role."""
    account = Account.objects.filter(user=user).first()
    if account is not None:
        return account.kind
    if actor is None:
        kind = ADMIN_KIND_OF_ROLE.get(role, AccountKind.BUSINESS)
        _account_write(user=user, kind=kind, unit=None, actor=actor)
        return kind
    return AccountKind.BUSINESS


@transaction.atomic
def role_revoke(*, actor, assignment: RoleAssignment, request=None) -> None:
    """Revoke a grant. The login stays what it was (its kind never changes): an administrator's login
    left without its role can do nothing, and can be given no business role either."""
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

    The actor needs the 安全管理员's right over the login (policy.require_over_login).
    """
    units = [a.unit for a in RoleAssignment.objects.filter(user=user).select_related("unit")]
    policy.require_over_login(actor, Perm.ACCOUNT_UNLOCK, units)
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


# --- logins ----------------------------------------------------------------------------------------


def _account_write(*, user, kind: str, unit, actor, must_change_password: bool = False) -> Account:
    account = Account(user=user, kind=kind, unit=unit, created_by=actor, must_change_password=must_change_password)
    account._history_user = actor
    account._change_reason = "新建"
    account.save()
    return account


def _password_checked(password: str, user) -> None:
    try:
        validate_password(password, user)
    except ValidationError as e:
        raise AccessError(AccessErrorCode.PASSWORD_INVALID, reasons="".join(e.messages)) from None


def _actor_name(actor) -> str:
    return actor.get_username() if actor is not None else "命令行"


@transaction.atomic
def account_create(*, actor, username: str, kind: str = AccountKind.BUSINESS, unit=None, password: str | None,
                   must_change_password: bool = False, request=None):
    """Create a login of `kind`, for good: no grant will ever make it another kind.

    A business login belongs to a unit, and whoever holds ACCOUNT_MANAGE there creates it (the
    系统管理员). An administrator's login belongs to no unit and is created from the command line
    only (`actor` None, or the server operator). `password` None: a login that cannot sign in with a
    password (yet). Returns the user, with its `account`.
    """
    kind = AccountKind(kind)
    username = (username or "").strip()
    if kind != AccountKind.BUSINESS:
        if actor is not None and not policy.is_operator(actor):
            raise AccessError(AccessErrorCode.ADMIN_ACCOUNT_COMMAND_LINE)
        if unit is not None:
            raise AccessError(AccessErrorCode.ADMIN_NO_UNIT)
    elif unit is None:
        if actor is not None and not policy.is_operator(actor):
            raise AccessError(AccessErrorCode.BUSINESS_UNIT_REQUIRED)
    else:
        if actor is not None:
            policy.require(actor, Perm.ACCOUNT_MANAGE, unit)
        if unit.abolished_on is not None:
            raise AccessError(AccessErrorCode.UNIT_ABOLISHED, unit=unit.full_name)
    User = get_user_model()
    try:
        UnicodeUsernameValidator()(username)
    except ValidationError:
        raise AccessError(AccessErrorCode.USERNAME_INVALID) from None
    if not username or len(username) > 150:
        raise AccessError(AccessErrorCode.USERNAME_INVALID)
    if User.objects.filter(username=username).exists():
        raise AccessError(AccessErrorCode.USERNAME_TAKEN, user=username)
    user = User(username=username)
    if password is None:
        user.set_unusable_password()
    else:
        _password_checked(password, user)
        user.set_password(password)
    user.save()
    user.account = _account_write(user=user, kind=kind, unit=unit, actor=actor,
                                  must_change_password=must_change_password and password is not None)
    security_event_record(kind=SecurityEventKind.ACCOUNT_CREATED, user=actor, username=_actor_name(actor),
                          request=request, detail={"to": username, "kind": kind.value,
                                                   "unit": unit.full_name if unit is not None else ""})
    return user


def _account_locked(actor, user, perm: Perm = Perm.ACCOUNT_MANAGE) -> Account:
    """The login's account, locked, once `actor` may manage it (a login without a row: the operator's alone)."""
    if actor is not None and actor.pk == user.pk:
        raise AccessError(AccessErrorCode.SELF_ACCOUNT)
    account = Account.objects.select_for_update(of=("self",)).select_related("unit", "user").filter(user=user).first()
    if account is None:
        account = Account(user=user, kind=AccountKind.BUSINESS, unit=None)
    if actor is not None:
        policy.require_account(actor, perm, account, selectors.account_grant_units(user.pk))
    if account.pk is None:
        account = _account_write(user=user, kind=AccountKind.BUSINESS, unit=None, actor=actor)
    return account


def sessions_end(*, user) -> int:
    """Sign the login out of every browser at once; returns the sessions ended."""
    ended = [s.session_key for s in Session.objects.filter(expire_date__gt=timezone.now())
             if s.get_decoded().get("_auth_user_id") == str(user.pk)]
    Session.objects.filter(session_key__in=ended).delete()
    return len(ended)


@transaction.atomic
def account_disable(*, actor, user, request=None):
    """The login can no longer sign in; its open sessions and its API token end at once."""
    _account_locked(actor, user)
    user = get_user_model().objects.select_for_update().get(pk=user.pk)
    if not user.is_active:
        raise AccessError(AccessErrorCode.ALREADY_DISABLED, user=user.get_username())
    user.is_active = False
    user.save(update_fields=["is_active"])
    sessions = sessions_end(user=user)
    token = api_tokens_end(user=user)
    security_event_record(kind=SecurityEventKind.ACCOUNT_DISABLED, user=actor, username=_actor_name(actor),
                          request=request, detail={"to": user.get_username(), "sessions": sessions,
                                                   "api_token": token})
    return user


@transaction.atomic
def account_enable(*, actor, user, request=None):
    _account_locked(actor, user)
    user = get_user_model().objects.select_for_update().get(pk=user.pk)
    if user.is_active:
        raise AccessError(AccessErrorCode.ALREADY_ENABLED, user=user.get_username())
    user.is_active = True
    user.save(update_fields=["is_active"])
    security_event_record(kind=SecurityEventKind.ACCOUNT_ENABLED, user=actor, username=_actor_name(actor),
                          request=request, detail={"to": user.get_username()})
    return user


TEMPORARY_PASSWORD_LENGTH = 14
_TEMPORARY_ALPHABETS = (string.ascii_lowercase.replace("l", ""), string.ascii_uppercase.replace("O", "").replace("I", ""),
                        "23456789", "#%+=@")


def _temporary_password(user) -> str:
    """A random password of every character class, long enough for any policy; checked by the validators."""
    from huitoukan.security.selectors import policy_current

    length = max(TEMPORARY_PASSWORD_LENGTH, policy_current().password_min_length)
    pool = "".join(_TEMPORARY_ALPHABETS)
    for _ in range(20):
        chars = [secrets.choice(a) for a in _TEMPORARY_ALPHABETS]
        chars += [secrets.choice(pool) for _ in range(length - len(chars))]
        secrets.SystemRandom().shuffle(chars)
        password = "".join(chars)
        try:
            validate_password(password, user)
        except ValidationError:
            continue
        return password
    raise RuntimeError("no temporary password passed the password validators")


@transaction.atomic
def password_reset(*, actor, user, request=None) -> str:
    """Give the login a one-time temporary password, returned to be shown once: the login must change
    it at its next sign-in (Account.must_change_password, enforced by huitoukan.security). Its open
    sessions and API token end; a lockout is lifted. The password itself is written nowhere else."""
    account = _account_locked(actor, user)
    user = get_user_model().objects.select_for_update().get(pk=user.pk)
    password = _temporary_password(user)
    user.set_password(password)
    user.save(update_fields=["password"])
    account.must_change_password = True
    account._history_user = actor
    account._change_reason = "重置密码"
    account.save(update_fields=["must_change_password"])
    sessions = sessions_end(user=user)
    api_tokens_end(user=user)
    axes_reset(username=user.get_username())
    security_event_record(kind=SecurityEventKind.PASSWORD_RESET, user=actor, username=_actor_name(actor),
                          request=request, detail={"to": user.get_username(), "sessions": sessions})
    return password
