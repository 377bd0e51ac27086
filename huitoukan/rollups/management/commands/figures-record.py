"""`huitoukan figures-record [--day YYYY-MM-DD]`: keep a day's 汇总 figures (a periodic task does it nightly)."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from huitoukan.rollups.services import daily_figures_record


class Command(BaseCommand):
    help = "记录某日各单位的汇总数字（整改事项、已销号、已逾期），供“逾期事项变化”图表使用；默认今天"

    def add_arguments(self, parser):
        parser.add_argument("--day", help="日期，如 2015-01-31（默认今天）")

    def handle(self, *args, day, **options):
        try:
            on = dt.date.fromisoformat(day) if day else None
        except ValueError:
            raise CommandError(f"日期“{day}”不正确，应为 YYYY-MM-DD。") from None
        n = daily_figures_record(day=on)
        self.stdout.write(f"已记录 {n} 个单位的汇总数字。")
