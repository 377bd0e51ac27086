from pathlib import Path

from django.core.management.base import BaseCommand

from huitoukan.portal.backup import backup_create


class Command(BaseCommand):
    help = "备份数据库和佐证材料到一个 tar 文件（系统运行中也可备份）"

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)

    def handle(self, *args, file: Path, **options):
        manifest = backup_create(file)
        self.stdout.write(f"已备份到 {file}（{manifest['vendor']}，{manifest['created_at']}）。")
