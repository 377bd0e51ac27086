"""System checks for the security profile and the database settings."""

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register
from django.db import DatabaseError, connections


@register(Tags.database)
def no_superuser_outside_development(app_configs, databases=None, **kwargs):
    """三员分立: outside development nobody may bypass the policy as a superuser."""
    if settings.DEBUG or not databases:
        return []
    from django.contrib.auth import get_user_model

    try:
        names = list(get_user_model().objects.filter(is_superuser=True).values_list("username", flat=True)[:5])
    except DatabaseError:
        return []
    if not names:
        return []
    return [
        Error(
            f"存在超级用户（{'、'.join(names)}）。三员分立下不允许超级用户，请撤销 is_superuser。",
            id="huitoukan.E001",
        )
    ]


@register(Tags.database)
def sqlite_is_durable(app_configs, databases=None, **kwargs):
    """The embedded database must run in WAL with synchronous=FULL: nothing a user saved is lost."""
    problems = []
    for alias in databases or []:
        conn = connections[alias]
        if conn.vendor != "sqlite" or conn.settings_dict["NAME"] in ("", ":memory:") or conn.is_in_memory_db():
            continue
        with conn.cursor() as cursor:
            journal = cursor.execute("PRAGMA journal_mode").fetchone()[0]
            synchronous = cursor.execute("PRAGMA synchronous").fetchone()[0]
        if journal.lower() != "wal" or synchronous != 2:
            problems.append(
                Error(f"SQLite 须为 WAL 且 synchronous=FULL，当前为 {journal}/{synchronous}。", id="huitoukan.E002")
            )
    return problems


def _demo_key_problems() -> list[tuple[str, str, str]]:
    problems = []
    if settings.SECRET_KEY == settings.DEMO_SECRET_KEY:
        problems.append(("huitoukan.E003", "HUITOUKAN_SECRET_KEY", "会话和令牌的密钥"))
    if settings.AUDIT_HMAC_KEY == settings.DEMO_SECRET_KEY:
        # Anyone holding the public demo key can rewrite the security log and its anchors unseen.
        problems.append(("huitoukan.E004", "HUITOUKAN_AUDIT_KEY", "安全日志的校验密钥"))
    return problems


@register(Tags.security, deploy=True)
def keys_are_not_the_demo_key(app_configs, **kwargs):
    """Outside development the demo keys are refused: they are published with the source."""
    found = []
    for check_id, variable, what in _demo_key_problems():
        text = f"{what}仍是公开的演示密钥；部署时请设置 {variable}（与其他密钥不同的随机长字符串）。"
        if settings.DEBUG:
            found.append(Warning(text, id=check_id.replace(".E", ".W")))
        else:
            found.append(Error(text, id=check_id))
    return found


@register(Tags.security, Tags.database, deploy=True)
def no_login_keeps_the_demo_password(app_configs, databases=None, **kwargs):
    """Outside development no active login may sign in with the demo password, which README publishes
    (`huitoukan demo` gives it to every demo login). The logins created from the command line (no
    creator: the demo's, synth's, an installation's first) are each checked against their own hash;
    those an administrator created had an initial password that had to be changed at once."""
    if settings.DEBUG or not databases:
        return []
    from huitoukan.access.models import Account

    try:
        accounts = list(Account.objects.filter(created_by__isnull=True, user__is_active=True)
                        .select_related("user").order_by("user__username"))
    except DatabaseError:
        return []
    # One hash check per login (argon2, tens of ms): run by `check --deploy`, never per request.
    names = [a.user.get_username() for a in accounts
             if a.user.has_usable_password() and a.user.check_password(settings.DEMO_PASSWORD)]
    if not names:
        return []
    shown = "、".join(names[:10]) + ("等" if len(names) > 10 else "")
    return [Error(f"{len(names)} 个启用的账号仍使用公开的演示密码（{shown}）：请停用或重置其密码。",
                  id="huitoukan.E005")]
