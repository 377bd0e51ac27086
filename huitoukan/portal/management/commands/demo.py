import datetime as dt

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from huitoukan.portal.demo import DEMO_OPERATOR, demo_load


class Command(BaseCommand):
    help = "载入娄底市演示数据（可重复运行，不会重复创建）"

    def add_arguments(self, parser):
        parser.add_argument("--as-of", dest="as_of", metavar="YYYY-MM-DD",
                            help="保持文件原有日期（2014-12-31至2015-02-28），并以该日为“今天”；"
                                 "不指定时日程整体平移，使今天落在督查核实阶段")

    def handle(self, *args, **options):
        as_of = None
        if options.get("as_of"):
            try:
                as_of = dt.date.fromisoformat(options["as_of"])
            except ValueError:
                raise CommandError(f"--as-of 的日期格式不正确：{options['as_of']}（应为 YYYY-MM-DD）") from None
        result = demo_load(as_of=as_of)
        self.stdout.write(
            f"演示数据：新增单位 {result.units_created} 个，人员 {result.people_created} 名，账号 {result.users_created} 个。"
        )
        self.stdout.write(f"演示账号（密码均为 {settings.DEMO_PASSWORD}）：")
        for login in result.logins:
            self.stdout.write(f"  {login.username:<18} {login.role.label}  {login.group or login.unit}  {login.note}")
        self.stdout.write(f"  {DEMO_OPERATOR:<18} 服务器运维（命令行）  import-units、export-units、grant-role 用 --as {DEMO_OPERATOR}；网页上没有角色")
        self.stdout.write("三员账号首次登录时用手机验证器（如 Google Authenticator、FreeOTP）扫码绑定动态口令，并保存十个恢复码；"
                          "此后每次登录都要输入动态口令。")
