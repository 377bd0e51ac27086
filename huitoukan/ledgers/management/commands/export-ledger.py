"""`huitoukan export-ledger --campaign NAME --unit PATH --kind KIND [--person NAME] [--subtree]
[--format xlsx|docx] -o FILE`: a ledger in the layout of 附件1-4."""

from pathlib import Path

from django.core.management.base import CommandError

from huitoukan.access.commands import ActingCommand
from huitoukan.access.policy import Perm
from huitoukan.campaigns.errors import CampaignError
from huitoukan.campaigns.models import Campaign
from huitoukan.campaigns.selectors import campaign_named
from huitoukan.core.files import write_atomic
from huitoukan.core.progress import TerminalBar
from huitoukan.jobs.commands import job_result_copy
from huitoukan.jobs.services import job_run
from huitoukan.ledgers import selectors
from huitoukan.ledgers.exports import FORMATS, ledger_file, subtree_export_record
from huitoukan.ledgers.imports import kind_parse
from huitoukan.ledgers.jobs import subtree_export_start
from huitoukan.ledgers.layouts import LAYOUTS, LedgerKind, kind_choices_text
from huitoukan.ledgers.models import Ledger
from huitoukan.orgs import selectors as org_selectors
from huitoukan.orgs.errors import OrgsError
from huitoukan.orgs.models import Person


def parse_kind(text: str) -> LedgerKind:
    """Any name of a kind that import-ledger accepts (code, 附件N, title, 领导班子 …)."""
    try:
        return kind_parse(text)
    except ValueError:
        raise CommandError(f"台账类型“{text}”不正确，可选：{kind_choices_text()}") from None


def _campaign(name: str) -> Campaign:
    try:
        return campaign_named(name)
    except CampaignError as e:
        raise CommandError(e.message) from e


def _unit(path: str):
    try:
        return org_selectors.unit_resolve(path)
    except OrgsError:
        try:
            # An abolished unit's ledgers stay: export them when that is the only match.
            return org_selectors.unit_resolve(path, active_only=False)
        except OrgsError as e:
            raise CommandError(e.message) from e


def _person(unit, name: str) -> Person:
    found = list(Person.objects.filter(unit=unit, name=name.strip())[:10])
    if not found:
        raise CommandError(f"{unit.full_name} 没有名为“{name}”的人员。")
    if len(found) > 1:
        raise CommandError(f"{unit.full_name} 有 {len(found)} 位“{name}”：" + "、".join(str(p) for p in found))
    return found[0]


def _write(path: Path, data: bytes) -> None:
    # Beside the target and renamed, so a failed export never leaves half a file.
    try:
        write_atomic(path, data)
    except OSError as e:
        raise CommandError(f"无法写入 {path}：{e.strerror or e}") from e


class Command(ActingCommand):
    help = "按附件1-4的格式导出台账（xlsx 或 docx）；--subtree 导出该单位及全部下级单位的台账，每个单位一个工作表"

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--campaign", required=True, help="活动名称")
        parser.add_argument("--unit", required=True, help="单位路径（娄底市/涟源市）或唯一的名称")
        parser.add_argument("--kind", required=True,
                            help="台账类型：附件1-4、领导班子|党员领导干部|专项整治|制度建设、台账标题，或 leadership|personal|special|institution")
        parser.add_argument("--person", help="党员领导干部台账：姓名（该单位的人员）")
        parser.add_argument("--subtree", action="store_true", help="该单位及全部下级单位的台账（只能是 xlsx）")
        parser.add_argument("--format", choices=FORMATS, help="默认按输出文件的扩展名，否则为 xlsx")
        parser.add_argument("-o", "--output", required=True, help="输出文件")
        parser.add_argument("--background", action="store_true",
                            help="--subtree：交给后台任务执行（huey），只打印任务编号；结果在任务完成后复制到输出文件")

    def handle(self, *args, **options):
        actor = self.actor(options)
        path = Path(options["output"])
        suffix = path.suffix.lower().lstrip(".")
        fmt = options["format"] or (suffix if suffix in FORMATS else "xlsx")
        kind = parse_kind(options["kind"])
        campaign = _campaign(options["campaign"])
        unit = _unit(options["unit"])

        if options["subtree"]:
            if fmt != "xlsx":
                raise CommandError("--subtree 只能导出为 xlsx（每个单位一个工作表）。")
            unit = org_selectors.unit_get_for(user=actor, pk=unit.pk, perm=Perm.WORK_VIEW)
            self._subtree(actor=actor, campaign=campaign, unit=unit, kind=kind, path=path, options=options)
            return

        if kind == LedgerKind.PERSONAL:
            if not options["person"]:
                raise CommandError("党员领导干部整改落实工作台帐要用 --person 指定姓名（或用 --subtree 导出全部）。")
            person = _person(unit, options["person"])
            ledger = Ledger.objects.filter(campaign=campaign, person=person).select_related(
                "unit", "person", "campaign").first()
            who = person.name
        else:
            ledger = Ledger.objects.filter(campaign=campaign, unit=unit, kind=kind, person__isnull=True).select_related(
                "unit", "person", "campaign").first()
            who = unit.full_name
        if ledger is None:
            raise CommandError(f"“{campaign.name}”中没有 {who} 的{LAYOUTS[kind].title}。")
        ledger = selectors.ledger_get_for(user=actor, pk=ledger.pk)
        export = ledger_file(user_or_none=actor, ledger=ledger, fmt=fmt)
        _write(path, export.data)
        self.stdout.write(self.style.SUCCESS(f"已导出 {who} 的{LAYOUTS[kind].title}（{export.rows} 项）到 {path}。"))

    def _subtree(self, *, actor, campaign, unit, kind, path: Path, options) -> None:
        """As a job (the web's runner, with a progress bar here), its result copied to `path`."""
        if options["background"]:
            job = subtree_export_start(user=actor, campaign=campaign, root_unit=unit, kind=kind, queue=True)
            self.stdout.write(f"已提交后台任务 {job.pk}：{job.title}。用 huitoukan jobs --wait {job.pk} -o {path} 等待并取回文件。")
            return
        job = subtree_export_start(user=actor, campaign=campaign, root_unit=unit, kind=kind, queue=False)
        bar = TerminalBar(force=options["verbosity"] > 1)
        try:
            job = job_run(job.pk, echo=bar)
        finally:
            bar.close()
        result = job_result_copy(job, path)
        subtree_export_record(user_or_none=actor, job=job, campaign=campaign, root_unit=unit, kind=kind)
        self.stdout.write(self.style.SUCCESS(
            f"已导出 {unit.full_name} 及下级的{LAYOUTS[kind].title}（{result.result_rows} 项）到 {path}。"))
