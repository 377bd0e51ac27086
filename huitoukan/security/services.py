"""Changes to the security policy, to passwords, to sessions and to stale accounts; each one logged.

Security lies below access (the roles and the permission policy): a caller that acts for a user
decides first whether that user may (the 安全管理员's console checks access.policy), then calls here.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from huitoukan.audit.services import security_event_record
from huitoukan.security import events
from huitoukan.security.models import PasswordRecord, SecurityPolicy, StaleDisabling
from huitoukan.security.rules import REFERENCES
from huitoukan.security.selectors import policy_current, policy_forget

# Past passwords kept per user: enough for the strictest history depth the policy accepts.
PASSWORD_RECORDS_KEPT = REFERENCES["password_history"].upper
POLICY_FIELDS = (*REFERENCES, "second_factor_roles")


@transaction.atomic
def policy_update(*, actor, changes: dict, request=None) -> SecurityPolicy:
    """Change the policy in force. A value weaker than the 等保 reference raises ValidationError
    (Chinese, per field) and nothing changes; the log records each changed value before and after."""
    policy_current()  # the first read writes the initial row
    policy = SecurityPolicy.objects.select_for_update().get(pk=1)
    before = {f: getattr(policy, f) for f in POLICY_FIELDS}
    for field, value in changes.items():
        if field not in POLICY_FIELDS:
            raise ValueError(f"not a policy field: {field}")
        setattr(policy, field, sorted(set(value)) if field == "second_factor_roles" else value)
    policy.full_clean()
    after = {f: getattr(policy, f) for f in POLICY_FIELDS}
    changed = [f for f in POLICY_FIELDS if before[f] != after[f]]
    if not changed:
        return policy
    policy._history_user = actor
    policy._change_reason = "、".join(str(SecurityPolicy._meta.get_field(f).verbose_name) for f in changed)
    policy.save()
    security_event_record(kind=events.POLICY_CHANGED, user=actor, request=request, detail={
        "before": {f: before[f] for f in changed}, "after": {f: after[f] for f in changed}})
    policy_forget()
    return policy


def password_record(user) -> PasswordRecord | None:
    """Keep the user's newly set password (its hash) for the reuse rule; older ones beyond the kept depth go."""
    if not user.password or not user.has_usable_password():
        return None
    newest = PasswordRecord.objects.filter(user=user).order_by("-set_at", "-id").first()
    if newest is not None and newest.password == user.password:
        return newest
    record = PasswordRecord.objects.create(user=user, password=user.password, set_at=timezone.now())
    stale = PasswordRecord.objects.filter(user=user).order_by("-set_at", "-id").values_list(
        "pk", flat=True)[PASSWORD_RECORDS_KEPT:]
    PasswordRecord.objects.filter(pk__in=list(stale)).delete()
    return record


@transaction.atomic
def password_change(*, user, password: str, request=None) -> None:
    """The user sets their own new password (validated by the caller's form): the history keeps it
    (access.passwords.PasswordHistoryValidator.password_changed), an initial or reset password's
    must-change flag is lifted, and the log records the change."""
    user.set_password(password)
    user.save(update_fields=["password"])
    account = getattr(user, "account", None)
    if account is not None and getattr(account, "must_change_password", False):
        account.must_change_password = False
        account._history_user = user
        account.save(update_fields=["must_change_password"])
    security_event_record(kind=events.PASSWORD_CHANGED, user=user, request=request, detail={})


def session_end(*, actor, session_key: str, username: str, request=None) -> bool:
    """End a session (its user is signed out at their next request); False if it had already ended."""
    deleted, _ = Session.objects.filter(session_key=session_key).delete()
    if deleted:
        security_event_record(kind=events.SESSION_ENDED, user=actor, request=request,
                              detail={"to": username, "session": session_key[:8]})
    return bool(deleted)


def stale_accounts_disable(now=None) -> list[StaleDisabling]:
    """Disable the active logins unused for the policy's `stale_account_days` (last sign-in, else
    creation); the server operator's login (settings.OPERATOR) is kept. Each is logged and listed."""
    now = now or timezone.now()
    days = policy_current().stale_account_days
    cutoff = now - timedelta(days=days)
    users = (get_user_model().objects.filter(is_active=True)
             .annotate(used=Coalesce("last_login", "date_joined")).filter(used__lt=cutoff))
    if settings.OPERATOR:
        users = users.exclude(Q(username=settings.OPERATOR))
    done = []
    for user in users:
        with transaction.atomic():
            user.is_active = False
            user.save(update_fields=["is_active"])
            done.append(StaleDisabling.objects.create(user=user, last_used=user.last_login, disabled_at=now,
                                                      days=days))
            security_event_record(kind=events.ACCOUNT_STALE_DISABLED, username="定时任务", detail={
                "to": user.get_username(), "last_used": user.last_login or user.date_joined, "days": days})
    return done
