"""What the command line does with a job: follow it with a progress bar, fetch its result."""

from __future__ import annotations

import datetime as dt
import shutil
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from huitoukan.core.files import staged_file
from huitoukan.core.progress import TerminalBar
from huitoukan.jobs.models import Job, JobState
from huitoukan.jobs.services import job_result_path, job_run

POLL_SECONDS = 0.5


def job_result_copy(job: Job, path: Path) -> Job:
    """Copy a finished job's result to `path`, whole or not at all; a failed job is the error."""
    if job.state == JobState.FAILED:
        raise CommandError(f"任务失败：{job.error}")
    source = job_result_path(job)
    if source is None or not source.is_file():
        raise CommandError(f"任务 {job.pk} 没有结果文件（状态：{job.get_state_display()}）。")
    path = Path(path)
    try:
        with staged_file(path.parent or Path("."), prefix=f".{path.name}.") as staged, open(source, "rb") as f:
            shutil.copyfileobj(f, staged.file)
            staged.commit(path)
    except OSError as e:
        raise CommandError(f"无法写入 {path}：{e.strerror or e}") from e
    return job


def job_wait(pk, *, bar: TerminalBar, timeout: float | None = None) -> Job:
    """Poll the job until it is finished, drawing its progress."""
    started = time.monotonic()
    while True:
        job = Job.objects.filter(pk=pk).first()
        if job is None:
            raise CommandError(f"没有编号为 {pk} 的任务。")
        bar(job.progress_done, job.progress_total, job.stage or job.get_state_display())
        if job.finished:
            bar.close()
            return job
        if timeout is not None and time.monotonic() - started > timeout:
            bar.close()
            raise CommandError(f"等待超时：任务 {pk} 仍在{job.get_state_display()}。")
        time.sleep(POLL_SECONDS)


class DailyJobCommand(BaseCommand):
    """A daily job run now from the command line (`--date`, `--background`): the reminders, the escalation.

    A subclass says what it runs: `start(today=..., queue=...)` makes the job row (and queues it to huey with
    `queue`); without --background the command runs it here and prints its last stage."""

    def start(self, *, today: dt.date | None, queue: bool) -> Job:
        raise NotImplementedError

    def add_arguments(self, parser):
        parser.add_argument("--date", help="按这一天计算（YYYY-MM-DD，默认今天）")
        parser.add_argument("--background", action="store_true", help="交给后台任务执行（huey），只打印任务编号")

    def handle(self, *args, date=None, background=False, **options):
        try:
            today = dt.date.fromisoformat(date) if date else None
        except ValueError:
            raise CommandError(f"日期“{date}”格式不正确，应为 YYYY-MM-DD。") from None
        job = self.start(today=today, queue=background)
        if background:
            self.stdout.write(f"已提交后台任务 {job.pk}：{job.title}。")
            return
        job = job_run(job.pk)
        if job.state != JobState.DONE:
            raise CommandError(job.error)
        self.stdout.write(self.style.SUCCESS(job.stage))
