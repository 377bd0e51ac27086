"""`huitoukan synth --units N --items M --seed S`: a synthetic province for benchmarks and load tests."""

import time

from django.core.management.base import BaseCommand
from django.db import connection

from huitoukan.portal import synth

_WIDTH = 30
_REDRAW_SECONDS = 0.2


class _Progress:
    """A progress bar on stderr: redrawn in place on a terminal (or with -v 2); elsewhere (pipes,
    logs) one line per stage once it is done."""

    def __init__(self, stream, live: bool):
        self.stream, self.live = stream, live
        self.started, self.drawn_at = time.monotonic(), 0.0

    def __call__(self, stage: str, done: int, total: int) -> None:
        now = time.monotonic()
        finished = done >= total
        if finished:
            if self.live or done:
                self._line(stage, done, total, now, "\n")
            return
        if self.live and now - self.drawn_at >= _REDRAW_SECONDS:
            self._line(stage, done, total, now, "")

    def _line(self, stage: str, done: int, total: int, now: float, end: str) -> None:
        self.drawn_at = now
        filled = _WIDTH * done // max(total, 1)
        text = f"{stage:<10} [{'#' * filled}{'.' * (_WIDTH - filled)}] {done}/{total}  {now - self.started:6.1f} s"
        self.stream.write(("\r" + text + "\033[K" if self.live else text) + end)
        self.stream.flush()


class Command(BaseCommand):
    help = "生成合成省份（单位、人员、台账、整改事项和进展），供性能测试和压力测试使用；同一个种子生成同样的数据"

    def add_arguments(self, parser):
        parser.add_argument("--units", type=int, default=20000, help="单位数（默认 20000）")
        parser.add_argument("--items", type=int, default=400000, help="整改事项数（默认 400000）")
        parser.add_argument("--seed", type=int, default=1, help="随机种子")
        parser.add_argument("--no-reference", action="store_true", help="不测量同样行数的原始写入时间")

    def handle(self, *args, units, items, seed, no_reference, **options):
        stream = self.stderr._out
        progress = _Progress(stream, live=stream.isatty() or options["verbosity"] > 1)
        result = synth.synth(units=units, items=items, seed=seed, report=progress)
        self.stdout.write(f"合成完成：单位 {result.units} 个，人员 {result.people} 名，台账 {result.ledgers} 本，"
                          f"整改事项 {result.items} 项，进展 {result.progress} 条，汇总 {result.tallies} 行。")
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
