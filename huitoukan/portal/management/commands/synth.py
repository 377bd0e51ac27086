"""`huitoukan synth --units N --items M --seed S`: a synthetic province for benchmarks and load tests."""

from django.core.management.base import BaseCommand
from django.db import connection

from huitoukan.core.progress import TerminalBar
from huitoukan.portal import synth


class Command(BaseCommand):
    help = "生成合成省份（单位、人员、台账、整改事项和进展），供性能测试和压力测试使用；同一个种子生成同样的数据"

    def add_arguments(self, parser):
        parser.add_argument("--units", type=int, default=20000, help="单位数（默认 20000）")
        parser.add_argument("--items", type=int, default=400000, help="整改事项数（默认 400000）")
        parser.add_argument("--seed", type=int, default=1, help="随机种子")
        parser.add_argument("--no-reference", action="store_true", help="不测量同样行数的原始写入时间")

    def handle(self, *args, units, items, seed, no_reference, **options):
        bar = TerminalBar(self.stderr._out, force=options["verbosity"] > 1)
        result = synth.synth(units=units, items=items, seed=seed,
                             report=lambda stage, done, total: bar(done, total, stage))
        self.stdout.write(f"合成完成：单位 {result.units} 个，人员 {result.people} 名，台账 {result.ledgers} 本，"
                          f"整改事项 {result.items} 项，进展 {result.progress} 条，销号申请 {result.closings} 条，"
                          f"事项事件 {result.events} 条，汇总 {result.tallies} 行。")
        for stage, seconds in result.seconds.items():
            self.stdout.write(f"  {stage:<36} {seconds:8.2f} s")
        self.stdout.write(f"  {'synth in all':<36} {result.total:8.2f} s  ({result.rows} rows)")
        if not no_reference:
            raw, commit = synth.reference(result)
            how = "COPY" if connection.vendor == "postgresql" else "executemany"
            self.stdout.write(f"  {'raw ' + how + ' of the same rows':<36} {raw:8.2f} s  "
                              f"(commit {commit:.2f} s; synth in all = {result.total / raw if raw else 0:.2f} × that)")
        self.stdout.write("登录账号（密码同演示账号）：")
        for username, role, unit in result.logins:
            self.stdout.write(f"  {username:<36} {role}  {unit}")
