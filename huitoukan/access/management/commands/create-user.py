import getpass
import os

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "新建登录账号（不是超级用户；角色另用 grant-role 授予）。密码从 HUITOUKAN_NEW_PASSWORD 或交互输入读取。"

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        User = get_user_model()
        if User.objects.filter(username=username).exists():
            raise CommandError(f"用户“{username}”已存在。", returncode=2)
        password = os.environ.get("HUITOUKAN_NEW_PASSWORD") or getpass.getpass("密码：")
        user = User(username=username)
        try:
            validate_password(password, user)
        except ValidationError as e:
            raise CommandError("；".join(e.messages), returncode=2) from e
        user.set_password(password)
        user.save()
        self.stdout.write(f"已新建用户 {username}。")
