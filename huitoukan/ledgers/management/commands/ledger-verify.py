"""`huitoukan ledger-verify [--unit PATH] [--anchor]`: every item's chain recomputed from the rows as they are now."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from huitoukan.core.errors import DomainError
from huitoukan.ledgers import chain
from huitoukan.orgs import selectors as org_selectors

EXIT_BROKEN = 3


class Command(BaseCommand):
    help = ("校验整改事项的台账链：逐项重算进展、佐证材料、销号申请和核验的封存环节，并与数据库以外的锚点对照；"
            "发现被改动（如填报日期）、删除、未封存的记录时列出并以非零状态退出")

    def add_arguments(self, parser):
        parser.add_argument("--unit", default=None, help="只校验该单位（路径，如 娄底市/涟源市）及其下级的台账")
        parser.add_argument("--anchors", type=Path, default=None,
                            help="锚点文件（默认在安全日志锚点文件旁的 ledger-anchors.jsonl）")
        parser.add_argument("--anchor", action="store_true", help="校验通过后把新封存的环节计入一个新锚点")

    def handle(self, *args, unit=None, anchors=None, anchor=False, **options):
        root = None
        if unit:
            try:
                root = org_selectors.unit_resolve(unit, active_only=False)
            except DomainError as e:
                raise CommandError(str(e), returncode=2) from e
        report = chain.chain_verify(unit=root, anchors=anchors)
        for problem in report.problems:
            self.stdout.write(problem)
        if not report.ok:
            chain.chain_broken_record(report, unit=root)
            raise CommandError(report.message, returncode=EXIT_BROKEN)
        self.stdout.write(report.message)
        if anchor:
            written = chain.chain_anchor(anchors)
            self.stdout.write(f"已追加锚点 {written['anchor']}：{written['count']} 个封存环节。" if written
                              else "没有新的封存环节，未追加锚点。")
