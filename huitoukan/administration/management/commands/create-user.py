import getpass
import os

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import CommandError

from huitoukan.access import services
from huitoukan.access.commands import ActingCommand
from huitoukan.access.models import AccountKind
from huitoukan.core.errors import DomainError
from huitoukan.orgs import selectors

# 业务 / 系统管理员 / 安全管理员 / 审计管理员, their full labels, or the codes.
KIND_BY_NAME = ({str(k.label): k for k in AccountKind} | {str(k.label).removesuffix("账号"): k for k in AccountKind}
                | {"业务": AccountKind.BUSINESS} | {k.value: k for k in AccountKind})


class Command(ActingCommand):
    help = ("新建登录账号（不是超级用户；角色另用 grant-role 授予）。账号类型一经新建不再改变："
            "业务账号只能授予业务角色，管理员账号只能授予对应的管理员角色。"
            "密码从 HUITOUKAN_NEW_PASSWORD 或交互输入读取。"
            "以 --as 账号（或 HUITOUKAN_OPERATOR）的名义、服务器运维的权限执行；新装系统的第一个账号除外。"
            "例：huitoukan create-user wang --kind 业务 --unit 娄底市/涟源市 --as ops；"
            "huitoukan create-user sec1 --kind 安全管理员 --as ops")
    operator_authority = True

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("username")
        parser.add_argument("--kind", default=str(AccountKind.BUSINESS.label),
                            help="账号类型：业务、系统管理员、安全管理员、审计管理员（默认业务）")
        parser.add_argument("--unit", help="业务账号的所属单位路径，如 娄底市/涟源市（由该单位的系统管理员管理）")
        parser.add_argument("--must-change-password", action="store_true",
                            help="首次登录须先修改密码（初始密码）")

    def handle(self, *args, username, kind, unit=None, must_change_password=False, **options):
        if kind not in KIND_BY_NAME:
            names = "、".join(str(k.label).removesuffix("账号") for k in AccountKind)
            raise CommandError(f"未知账号类型“{kind}”，可选：{names}。", returncode=2)
        creator = self._creator(options, username)
        password = os.environ.get("HUITOUKAN_NEW_PASSWORD") or getpass.getpass("密码：")
        try:
            home = selectors.unit_resolve(unit) if unit else None
            services.account_create(actor=creator, username=username, kind=KIND_BY_NAME[kind], unit=home,
                                    password=password, must_change_password=must_change_password)
        except DomainError as e:
            raise CommandError(e.message, returncode=2) from e
        self.stdout.write(f"已新建用户 {username}（{KIND_BY_NAME[kind].label}）。")

    def _creator(self, options, username: str):
        """The named login the new one is created by. The only exception is a new installation's first
        login (no login exists yet, or it is the operator's own, HUITOUKAN_OPERATOR): the log then says 命令行."""
        named = options.get("acting_as") or settings.OPERATOR
        first = not get_user_model().objects.exists() or (not options.get("acting_as") and named == username)
        if first and not get_user_model().objects.filter(username=named).exists():
            return None
        return self.actor(options)
