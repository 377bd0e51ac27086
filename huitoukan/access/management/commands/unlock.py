from django.contrib.auth import get_user_model
from django.core.management.base import CommandError

from huitoukan.access import lockout, services
from huitoukan.access.commands import ActingCommand


class Command(ActingCommand):
    help = ("解除账号的登录锁定（所有来源地址的失败记录一并清除），须以安全管理员账号执行，记入安全日志。"
            "例：huitoukan unlock zhang --as secadmin")

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        # Run with the login's own roles (not the operator's authority): only a 安全管理员 covering
        # the account unlocks it; any other login is refused with exit code 4, in the security log.
        actor = self.actor(options)
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"找不到用户“{username}”。", returncode=2)
        failures = lockout.account_failures(username)
        services.account_unlock(actor=actor, user=user)
        self.stdout.write(f"已解除 {username} 的登录锁定（清除近期失败 {failures} 次）。")
