"""`huitoukan rechecks-plan [--remind] [--date YYYY-MM-DD]`: plan the missing 回头看复查 of every closed item
(idempotent: run it twice, the second plans nothing), withdraw those of reopened items, and with --remind send
the day's reminders (the nightly task does both)."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from huitoukan.rechecks.services import rechecks_plan, reminders_send


class Command(BaseCommand):
    help = "为已销号的整改事项安排缺少的回头看复查（可重复执行），撤销已重新打开事项的待复查；--remind 同时发送复查提醒"

    def add_arguments(self, parser):
        parser.add_argument("--remind", action="store_true", help="同时发送到期和逾期的复查提醒")
        parser.add_argument("--date", help="提醒按这一天计算（YYYY-MM-DD，默认今天）")

    def handle(self, *args, remind=False, date=None, **options):
        try:
            today = dt.date.fromisoformat(date) if date else None
        except ValueError:
            raise CommandError(f"日期“{date}”格式不正确，应为 YYYY-MM-DD。") from None
        done = rechecks_plan()
        self.stdout.write(f"已检查 {done.items} 件已销号事项，新安排复查 {done.planned} 次，撤销 {done.withdrawn} 次。")
        if remind:
            self.stdout.write(f"发送复查提醒 {reminders_send(today=today)} 条。")
