"""`huitoukan passing-refresh [--date YYYY-MM-DD]`: work out every campaign's 过关 verdicts now (a periodic task
does it nightly)."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from huitoukan.accountability.passing_services import verdicts_refresh_all


class Command(BaseCommand):
    help = "重新计算各活动各单位的过关情况（专项整治评估验收、群众满意度、述职评议考核、整改事项超期）；默认按今天"

    def add_arguments(self, parser):
        parser.add_argument("--date", help="按这一天计算（YYYY-MM-DD，默认今天）")

    def handle(self, *args, date=None, **options):
        try:
            today = dt.date.fromisoformat(date) if date else None
        except ValueError:
            raise CommandError(f"日期“{date}”格式不正确，应为 YYYY-MM-DD。") from None
        results = verdicts_refresh_all(today=today)
        checked = sum(r.checked for r in results.values())
        changed = sum(r.changed + r.dropped for r in results.values())
        self.stdout.write(f"已计算 {len(results)} 个活动 {checked} 个单位的过关情况，{changed} 个有变化。")
