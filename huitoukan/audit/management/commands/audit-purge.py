import datetime as dt
import getpass

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from huitoukan.audit.services import AuditError, retention_days, security_log_purge


class Command(BaseCommand):
    help = ("清理某日以前的安全日志记录（至少保留 180 天，HUITOUKAN_AUDIT_RETENTION_DAYS 可调长）："
            "清理前先校验日志；清理后校验从清理点继续，清理本身记入安全日志并追加锚点")

    def add_arguments(self, parser):
        parser.add_argument("--before", required=True, metavar="YYYY-MM-DD",
                            help=f"清理此日零点以前的记录，须早于今天 {retention_days()} 天以上")

    def handle(self, *args, before, **options):
        try:
            day = dt.date.fromisoformat(before)
        except ValueError:
            raise CommandError(f"--before：“{before}”不是日期，请写成 2015-01-31 的形式。") from None
        moment = timezone.make_aware(dt.datetime.combine(day, dt.time.min))
        try:
            purge = security_log_purge(before=moment, username=f"命令行（{getpass.getuser()}）")
        except AuditError as e:
            raise CommandError(e.message, returncode=2) from None
        self.stdout.write(f"已清理 {purge.removed} 条 {day:%Y-%m-%d} 以前的记录；日志此后从清理点起校验。")
