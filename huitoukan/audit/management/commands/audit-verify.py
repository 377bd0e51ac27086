from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from huitoukan.audit.services import security_log_anchor, security_log_check_anchors


class Command(BaseCommand):
    help = "校验安全日志的链式校验值和锚点：发现被修改、插入或删除的记录时以非零状态退出；--anchor 追加一个新锚点"

    def add_arguments(self, parser):
        parser.add_argument("--anchors", type=Path, default=None,
                            help="锚点文件（默认 settings.AUDIT_ANCHOR_FILE），应存放在数据库以外的位置")
        parser.add_argument("--anchor", action="store_true", help="校验通过后追加当前链头为新锚点")

    def handle(self, *args, anchors=None, anchor=False, **options):
        path = anchors or Path(settings.AUDIT_ANCHOR_FILE)
        report = security_log_check_anchors(path)
        if not report.ok:
            where = f"（记录编号 {report.first_bad_id}）" if report.first_bad_id else ""
            raise CommandError(f"校验失败：{report.problem}{where}；已校验 {report.checked} 条。", returncode=3)
        self.stdout.write(f"校验通过：{report.checked} 条记录。")
        if anchor:
            written = security_log_anchor(path)
            self.stdout.write(f"已追加锚点：第 {written['count']} 条，{written['at']}。")
