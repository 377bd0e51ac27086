from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from huitoukan.portal.backup import backup_restore


class Command(BaseCommand):
    help = "从 backup 生成的文件恢复数据库和佐证材料（请先停止系统）"

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)

    def handle(self, *args, file: Path, **options):
        if not file.exists():
            raise CommandError(f"找不到备份文件 {file}。", returncode=2)
        try:
            manifest = backup_restore(file)
        except ValueError as e:
            raise CommandError(str(e), returncode=2) from e
        self.stdout.write(f"已从 {file} 恢复（备份时间 {manifest['created_at']}）。")
