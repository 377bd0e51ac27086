"""`huitoukan totals-rebuild [--check]`: the kept totals (汇总) recounted from the items, ledgers and units."""

from django.core.management.base import BaseCommand, CommandError

from huitoukan.ledgers import totals

EXIT_DIFFERENT = 3


class Command(BaseCommand):
    help = "按事项、台账和单位重新统计各单位的汇总数（整改事项按状态、“四风”、时限，已建台账数，单位数）；--check 只比对，不写入"

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="只比对保存的汇总数和重新统计的结果，不一致时退出码为 3")

    def handle(self, *args, check, **options):
        if check:
            pairs = list(zip(totals.all_kept(), totals.all_recounted(), strict=True))
            wrong = sum(kept[key] != recounted[key] for kept, recounted in pairs for key in kept.keys() | recounted.keys())
            if wrong:
                raise CommandError(f"汇总数与事项、台账或单位不一致：{wrong} 组（用 totals-rebuild 重新统计）。",
                                   returncode=EXIT_DIFFERENT)
            self.stdout.write(f"汇总数与事项、台账、单位一致（{sum(len(kept) for kept, _ in pairs)} 组）。")
            return
        rows = totals.rebuild_all()
        self.stdout.write(self.style.SUCCESS(f"已重新统计汇总数：{rows} 组。"))
