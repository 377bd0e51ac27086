"""`huitoukan totals-rebuild [--check]`: the kept totals (汇总) recounted from the items, ledgers and units."""

from django.core.management.base import BaseCommand, CommandError

from huitoukan.core.progress import TerminalBar
from huitoukan.jobs.models import JobState
from huitoukan.jobs.services import job_run
from huitoukan.ledgers import totals
from huitoukan.ledgers.jobs import totals_rebuild_start

EXIT_DIFFERENT = 3


class Command(BaseCommand):
    help = "按事项、台账和单位重新统计各单位的汇总数（整改事项按状态、“四风”、时限，已建台账数，单位数）；--check 只比对，不写入"

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="只比对保存的汇总数和重新统计的结果，不一致时退出码为 3")
        parser.add_argument("--background", action="store_true", help="交给后台任务执行（huey），只打印任务编号")

    def handle(self, *args, check, background, **options):
        if check:
            pairs = list(zip(totals.all_kept(), totals.all_recounted(), strict=True))
            wrong = sum(kept[key] != recounted[key] for kept, recounted in pairs for key in kept.keys() | recounted.keys())
            if wrong:
                raise CommandError(f"汇总数与事项、台账或单位不一致：{wrong} 组（用 totals-rebuild 重新统计）。",
                                   returncode=EXIT_DIFFERENT)
            self.stdout.write(f"汇总数与事项、台账、单位一致（{sum(len(kept) for kept, _ in pairs)} 组）。")
            return
        # As a job, so every rebuild is on record (when, how long, what it counted), run here or by huey.
        job = totals_rebuild_start(queue=background)
        if background:
            self.stdout.write(f"已提交后台任务 {job.pk}：{job.title}。用 huitoukan jobs --wait {job.pk} 等待完成。")
            return
        bar = TerminalBar(force=options["verbosity"] > 1)
        try:
            job = job_run(job.pk, echo=bar)
        finally:
            bar.close()
        if job.state != JobState.DONE:
            raise CommandError(job.error)
        self.stdout.write(self.style.SUCCESS(job.stage))
