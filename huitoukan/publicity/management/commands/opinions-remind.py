"""`huitoukan opinions-remind [--date YYYY-MM-DD] [--background]`: the 群众意见 answer reminders now."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from huitoukan.jobs.models import JobState
from huitoukan.jobs.services import job_run
from huitoukan.publicity.opinion_reminders import reminders_start


class Command(BaseCommand):
    help = "群众意见答复提醒：临近时限提醒受理单位活动办，逾期提醒单位主要负责同志（每件每步一次）"

    def add_arguments(self, parser):
        parser.add_argument("--date", help="按这一天计算（YYYY-MM-DD，默认今天）")
        parser.add_argument("--background", action="store_true", help="交给后台任务执行（huey），只打印任务编号")

    def handle(self, *args, date=None, background=False, **options):
        try:
            today = dt.date.fromisoformat(date) if date else None
        except ValueError:
            raise CommandError(f"日期“{date}”格式不正确，应为 YYYY-MM-DD。") from None
        job = reminders_start(today=today, queue=background)
        if background:
            self.stdout.write(f"已提交后台任务 {job.pk}：{job.title}。")
            return
        job = job_run(job.pk)
        if job.state != JobState.DONE:
            raise CommandError(job.error)
        self.stdout.write(self.style.SUCCESS(job.stage))
