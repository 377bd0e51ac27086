"""What the command line does with a job: follow it with a progress bar, fetch its result."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

from django.core.management.base import CommandError

from huitoukan.core.files import staged_file
from huitoukan.core.progress import TerminalBar
from huitoukan.jobs.models import Job, JobState
from huitoukan.jobs.services import job_result_path

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
