"""`huitoukan formalism-scan [--campaign ID] [--unit 娄底市/涟源市 ...]`: run the 形式主义预警 checks now (the nightly
task). A unit is named by its path, as `ledger-verify --unit` takes it (an id is still accepted)."""

from django.core.management.base import BaseCommand, CommandError

from huitoukan.campaigns.models import Campaign
from huitoukan.core.errors import DomainError
from huitoukan.formalism.models import FlagKind
from huitoukan.formalism.services import formalism_scan, formalism_scan_all
from huitoukan.orgs import selectors as org_selectors
from huitoukan.orgs.models import Unit


class Command(BaseCommand):
    help = "运行形式主义预警检查（每晚自动执行）：佐证材料重复使用、晚于销号、过小，时限当天集中销号，跨单位雷同，突击填报"

    def add_arguments(self, parser):
        parser.add_argument("--campaign", type=int, help="活动编号（默认全部有台账的活动）")
        parser.add_argument("--unit", action="append", default=[],
                            help="只检查该单位（路径，如 娄底市/涟源市；也可用单位编号）及其下级（可多次）")

    def handle(self, *args, campaign=None, unit=(), **options):
        if campaign is None:
            if unit:
                raise CommandError("指定单位时须同时指定活动（--campaign）。")
            results = formalism_scan_all()
        else:
            found = Campaign.objects.filter(pk=campaign).first()
            if found is None:
                raise CommandError(f"活动编号“{campaign}”不存在。")
            units = [self._unit(name) for name in unit]
            results = {found.pk: formalism_scan(campaign=found, units=units or None)}
        labels = dict(FlagKind.choices)
        for pk, counts in results.items():
            kinds = "，".join(f"{labels[k]} {n}" for k, n in counts["by_kind"].items() if n)
            self.stdout.write(f"活动 {pk}：发现 {counts['found']} 条（新 {counts['new']}，再次发现 {counts['again']}）"
                              + (f"：{kinds}" if kinds else ""))

    @staticmethod
    def _unit(name: str) -> Unit:
        """A unit by its path (娄底市/涟源市, or a unique name), as ledger-verify resolves it; digits alone: its id."""
        name = name.strip()
        if name.isdigit():
            found = Unit.objects.filter(pk=int(name)).first()
            if found is None:
                raise CommandError(f"单位编号“{name}”不存在。")
            return found
        try:
            return org_selectors.unit_resolve(name, active_only=False)
        except DomainError as e:
            raise CommandError(str(e)) from e
