from django.core.management.base import BaseCommand, CommandError

from huitoukan.audit.services import security_log_verify


class Command(BaseCommand):
    help = "校验安全日志的链式校验值：发现被修改、插入或删除的记录时以非零状态退出"

    def handle(self, *args, **options):
        report = security_log_verify()
        if not report.ok:
            where = f"（记录编号 {report.first_bad_id}）" if report.first_bad_id else ""
            raise CommandError(f"校验失败：{report.problem}{where}；已校验 {report.checked} 条。", returncode=3)
        self.stdout.write(f"校验通过：{report.checked} 条记录。")
