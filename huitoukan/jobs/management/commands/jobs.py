"""`huitoukan jobs`: the background jobs — list them, run or wait for one, queue stalled ones again."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from huitoukan.core.progress import TerminalBar
from huitoukan.jobs.commands import job_result_copy, job_wait
from huitoukan.jobs.models import Job
from huitoukan.jobs.services import job_run, jobs_requeue_stale


class Command(BaseCommand):
    help = "后台任务：列出最近的任务；--run 在本进程执行一个任务；--wait 等待任务完成；--requeue 重新排队中断的任务"

    def add_arguments(self, parser):
        group = parser.add_mutually_exclusive_group()
        group.add_argument("--run", metavar="编号", help="在本进程执行该任务（显示进度条）")
        group.add_argument("--wait", metavar="编号", help="等待该任务完成（显示进度条）")
        group.add_argument("--requeue", action="store_true", help="把心跳已停止的任务重新排队（定时任务每分钟也会做）")
        parser.add_argument("-o", "--output", help="--run/--wait：完成后把结果文件复制到这里")
        parser.add_argument("--timeout", type=float, help="--wait：最多等待的秒数")

    def handle(self, *args, run, wait, requeue, output, timeout, **options):
        bar = TerminalBar(force=options["verbosity"] > 1)
        if requeue:
            self.stdout.write(f"已重新排队 {jobs_requeue_stale()} 个任务。")
            return
        if run or wait:
            pk = run or wait
            if not Job.objects.filter(pk=pk).exists():
                raise CommandError(f"没有编号为 {pk} 的任务。")
            if run:
                try:
                    job = job_run(pk, echo=bar)
                finally:
                    bar.close()
                if not job.finished:
                    job = job_wait(pk, bar=bar, timeout=timeout)
            else:
                job = job_wait(pk, bar=bar, timeout=timeout)
            if output:
                job_result_copy(job, output)
            self.stdout.write(self._line(job))
            if job.error:
                raise CommandError(job.error)
            return
        for job in Job.objects.select_related("requester").order_by("-created_at")[:50]:
            self.stdout.write(self._line(job))

    @staticmethod
    def _line(job: Job) -> str:
        who = job.requester.get_username() if job.requester else "命令行"
        progress = f" {job.progress_done}/{job.progress_total}" if job.progress_total else ""
        result = f" → {job.result_name}（{job.result_rows} 行）" if job.result_name else ""
        return f"{job.pk}  {job.get_state_display()}{progress}  {job.title}  [{who}]{result}"
