"""`huitoukan import-units FILE [--dry-run]`: the unit tree from an xlsx or CSV file, all or nothing."""

from pathlib import Path

from django.conf import settings

from huitoukan.access.commands import ActingCommand
from huitoukan.core import importing
from huitoukan.orgs.unit_import import unit_import
from huitoukan.spreadsheets import RowAction


class Command(ActingCommand):
    help = "从 xlsx 或 CSV 文件导入组织树：先检查全部行，有一行出错就什么也不写；可重复导入（以服务器运维身份，可新增顶层单位，记在 --as 账号名下）"
    operator_authority = True

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("file", help="xlsx 或 CSV 文件")
        parser.add_argument("--dry-run", action="store_true", help="只检查并列出将要新增和修改的单位，不写入")

    def handle(self, *args, file, dry_run, **options):
        actor = self.actor(options)
        path = Path(file)
        data = importing.command_read(path, settings.UNIT_IMPORT_MAX_BYTES)

        result = unit_import(actor=actor, data=data, filename=path.name, dry_run=dry_run)
        importing.command_refuse(self.stderr, result, path.name)

        for row in result.changed_rows:
            line = (f"第{row.row}行 {row.get_action_display()} {row.full_name}"
                    f"（{row.get_level_display()}，{row.get_kind_display()}）")
            if row.action == RowAction.UPDATE:
                line += "：" + "；".join(row.changes)
            self.stdout.write(line)
        if options["verbosity"] > 1:
            for row in result.rows:
                if row.action == RowAction.UNCHANGED:
                    self.stdout.write(f"第{row.row}行 {row.get_action_display()} {row.full_name}")
        counts = f"新增 {result.created} 个单位，修改 {result.updated} 个，{result.unchanged} 个不变"
        if dry_run:
            self.stdout.write(f"预检通过（未写入）：将{counts}。")
        else:
            self.stdout.write(self.style.SUCCESS(f"已导入 {path.name}：{counts}。"))
