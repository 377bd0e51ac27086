"""What signing out of the web ends besides the session; what an administrator's change leaves in the log."""

from django.contrib.auth.signals import user_logged_out
from django.dispatch import receiver
from simple_history.signals import post_create_historical_record

from huitoukan.access import policy, services
from huitoukan.access.middleware import TIMED_OUT_ATTR
from huitoukan.audit.models import SecurityEventKind
from huitoukan.audit.services import security_event_record


@receiver(user_logged_out)
def _api_token_ends_with_the_sign_out(sender, request, user, **kwargs):
    # A user who signs out expects to be signed out everywhere. A session the idle or absolute
    # timeout ended is not that: the token has its own lifetime, and a script using it goes on.
    if user is not None and not getattr(request, TIMED_OUT_ATTR, False):
        services.api_tokens_end(user=user)


# Written to the log by their own services already (授予角色, 新建账号, 修改安全策略 …).
_LOGGED_BY_THEIR_SERVICES = frozenset({"access.roleassignment", "access.account", "security.securitypolicy"})
_CHANGE = {"+": "新增", "~": "修改", "-": "删除"}


@receiver(post_create_historical_record)
def _an_administrators_change_is_in_the_security_log(sender, instance, history_instance, history_user=None,
                                                     **kwargs):
    """Every change an administrator account makes (the 系统管理员's units, people, groups) is in the
    security log the 审计管理员 reads, besides the object's history (等保 8.1.5.1 a)."""
    user = history_user
    if user is None or instance._meta.label_lower in _LOGGED_BY_THEIR_SERVICES or not policy.is_admin_account(user):
        return
    security_event_record(
        kind=SecurityEventKind.ADMIN_CHANGE, user=user,
        detail={"what": str(instance._meta.verbose_name), "object": str(instance)[:200],
                "change": _CHANGE.get(history_instance.history_type, history_instance.history_type),
                "reason": getattr(history_instance, "history_change_reason", "") or ""})
