"""`huitoukan covert-release [--date YYYY-MM-DD]`: release the 暗访 whose 解密日期 has come (the nightly task, now)."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from huitoukan.supervision.services import covert_releases_due


class Command(BaseCommand):
    help = "发布已到解密日期的暗访发现的问题（每晚自动执行）"

    def add_arguments(self, parser):
        parser.add_argument("--date", help="按这一天计算（YYYY-MM-DD，默认今天）")

    def handle(self, *args, date=None, **options):
        try:
            today = dt.date.fromisoformat(date) if date else None
        except ValueError:
            raise CommandError(f"日期“{date}”格式不正确，应为 YYYY-MM-DD。") from None
        self.stdout.write(f"已发布 {covert_releases_due(today=today)} 次暗访发现的问题。")
