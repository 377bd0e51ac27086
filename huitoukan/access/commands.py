"""Commands that act as a named login: `--as USER`, or the operator named by HUITOUKAN_OPERATOR.

The login's roles decide what the command may do, exactly as on the pages, and the history and
the security log name it. A refusal is written to the security log and ends the command with a
Chinese message and exit code 4.
"""

from __future__ import annotations

from contextlib import ExitStack

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from huitoukan.access import policy

EXIT_REFUSED = 4


class ActingCommand(BaseCommand):
    """A management command run on behalf of a login (`self.actor(options)`).

    A command whose `operator_authority` is set runs with the server operator's authority
    (`policy.operating`): the tree's structure and the grants everywhere, never business data.
    """

    operator_authority = False

    def add_arguments(self, parser):
        authority = ("以服务器运维的权限执行（组织树和授权）" if self.operator_authority
                     else "权限按该账号的角色")
        parser.add_argument(
            "--as", dest="acting_as", metavar="USER", default=None,
            help=f"以哪个账号的名义执行：{authority}，变更历史和安全日志记该账号；不填则用 HUITOUKAN_OPERATOR",
        )

    def actor(self, options):
        name = options.get("acting_as") or settings.OPERATOR
        if not name:
            raise CommandError("请用 --as 指定以哪个账号的身份执行（或设置环境变量 HUITOUKAN_OPERATOR）。")
        user = get_user_model().objects.filter(username=name).first()
        if user is None or not user.is_active:
            raise CommandError(f"没有名为“{name}”的有效账号。")
        self._actor = user
        if self.operator_authority:
            self._operating.enter_context(policy.operating(user))
        return user

    def execute(self, *args, **options):
        self._operating = ExitStack()
        try:
            with self._operating:
                return super().execute(*args, **options)
        except (policy.Denied, policy.Forbidden) as refusal:
            from huitoukan.audit.models import SecurityEventKind
            from huitoukan.audit.services import security_event_record

            user = getattr(self, "_actor", None)
            unit = getattr(refusal.unit, "full_name", "")
            security_event_record(kind=SecurityEventKind.DENIED, user=user,
                                  detail={"perm": str(refusal.perm), "unit": unit, "command": self._name()})
            where = f"（{unit}）" if unit else ""
            who = user.get_username() if user is not None else ""
            raise CommandError(f"账号“{who}”无权进行此操作，或对象不存在{where}。", returncode=EXIT_REFUSED) from None

    def _name(self) -> str:
        return self.__module__.rsplit(".", 1)[-1]
