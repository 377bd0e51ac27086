"""`huitoukan ledger-seal --backfill`: seal the rows written before the chain existed (or beside the services)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from huitoukan.ledgers import chain


class Command(BaseCommand):
    help = ("补封台账链：为尚未封存的整改事项、进展、佐证材料、销号申请和核验结果补写封存环节（存量数据、合成数据），"
            "记入安全日志，并追加一个锚点")

    def add_arguments(self, parser):
        parser.add_argument("--backfill", action="store_true", help="补封所有尚未封存的记录")
        parser.add_argument("--anchors", type=Path, default=None, help="锚点文件（默认 ledger-anchors.jsonl）")

    def handle(self, *args, backfill=False, anchors=None, **options):
        if not backfill:
            raise CommandError("请用 --backfill 确认补封：补封后，记录的现状即被视为原始内容。", returncode=2)
        items, links = chain.chain_backfill()
        written = chain.chain_anchor(anchors)
        self.stdout.write(f"已补封 {items} 个整改事项的 {links} 个环节" + (
            f"，并追加锚点 {written['anchor']}。" if written else "。"))
