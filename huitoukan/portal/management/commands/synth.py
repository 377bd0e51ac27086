"""`huitoukan synth --units N --items M --seed S`: a synthetic province for benchmarks and load tests."""

import sys

from django.core.management.base import BaseCommand

from huitoukan.portal import synth


class Command(BaseCommand):
    help = "生成合成省份（单位、人员、台账、整改事项和进展），供性能测试和压力测试使用；同一个种子生成同样的数据"

    def add_arguments(self, parser):
        parser.add_argument("--units", type=int, default=20000, help="单位数（默认 20000）")
        parser.add_argument("--items", type=int, default=400000, help="整改事项数（默认 400000）")
        parser.add_argument("--seed", type=int, default=1, help="随机种子")
        parser.add_argument("--no-reference", action="store_true", help="不测量同样行数的原始写入时间")

    def handle(self, *args, units, items, seed, no_reference, **options):
        def report(stage, done, total):
            if sys.stderr.isatty() or options["verbosity"] > 1:
                width = 30
                filled = width * done // max(total, 1)
                sys.stderr.write(f"\r{stage:<6} [{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
                if done >= total:
                    sys.stderr.write("\n")

        result = synth.synth(units=units, items=items, seed=seed, report=report)
        self.stdout.write(f"合成完成：单位 {result.units} 个，人员 {result.people} 名，台账 {result.ledgers} 本，"
                          f"整改事项 {result.items} 项，进展 {result.progress} 条。")
        for stage, seconds in result.seconds.items():
            self.stdout.write(f"  {stage:<34} {seconds:8.2f} s")
        if not no_reference:
            raw = synth.reference(result)
            items_took = result.seconds["items, leaders, units, progress"]
            self.stdout.write(f"  {'raw write of the same item rows':<34} {raw:8.2f} s  "
                              f"(synth made and wrote them in {items_took / raw if raw else 0:.1f} × that)")
        self.stdout.write("登录账号（密码同演示账号）：")
        for username, role, unit in result.logins:
            self.stdout.write(f"  {username:<36} {role}  {unit}")
