"""`huitoukan notices-escalate [--date YYYY-MM-DD] [--background]`: raise 督办通知单 colours and notify now."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from huitoukan.jobs.models import JobState
from huitoukan.jobs.services import job_run
from huitoukan.notices.escalation import escalation_start


class Command(BaseCommand):
    help = "督办通知单按逾期天数转黄、转红，并提醒被督办单位和发文单位（每件每级一次）"

    def add_arguments(self, parser):
        parser.add_argument("--date", help="按这一天计算（YYYY-MM-DD，默认今天）")
        parser.add_argument("--background", action="store_true", help="交给后台任务执行（huey），只打印任务编号")

    def handle(self, *args, date=None, background=False, **options):
        try:
            today = dt.date.fromisoformat(date) if date else None
        except ValueError:
            raise CommandError(f"日期“{date}”格式不正确，应为 YYYY-MM-DD。") from None
        job = escalation_start(today=today, queue=background)
        if background:
            self.stdout.write(f"已提交后台任务 {job.pk}：{job.title}。")
            return
        job = job_run(job.pk)
        if job.state != JobState.DONE:
            raise CommandError(job.error)
        self.stdout.write(self.style.SUCCESS(job.stage))
