from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from huitoukan.audit.services import anchor_file, security_log_anchor, security_log_check


class Command(BaseCommand):
    help = ("校验安全日志的链式校验值，并与数据库以外保存的锚点对照：发现被修改、插入或删除的记录"
            "（包括删除最新记录并回退链头、清空日志）时以非零状态退出；--anchor 追加一个新锚点")

    def add_arguments(self, parser):
        parser.add_argument("--anchors", type=Path, default=None,
                            help="锚点文件（默认 HUITOUKAN_AUDIT_ANCHOR_FILE），应存放在数据库以外的位置")
        parser.add_argument("--anchor", action="store_true",
                            help="校验通过后追加当前链头为新锚点（锚点文件尚不存在时由此建立）")

    def handle(self, *args, anchors=None, anchor=False, **options):
        path = anchors or anchor_file()
        report = security_log_check(path)
        if report.no_anchor_file and anchor:
            # The chain itself verified; the operator starts the anchors by hand.
            self.stderr.write(f"注意：{report.problem}。链式校验值一致，现建立锚点文件。")
        elif not report.ok:
            raise CommandError(report.message, returncode=3)
        else:
            self.stdout.write(report.message)
        if anchor:
            written = security_log_anchor(path)
            self.stdout.write(f"已追加锚点：第 {written['count']} 条，{written['at']}。")
