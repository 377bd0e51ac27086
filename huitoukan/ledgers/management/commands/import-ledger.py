"""`huitoukan import-ledger FILE --unit PATH --campaign NAME [--kind KIND] [--person NAME] [--dry-run]`:
a filled ledger (附件1-4) from an xlsx file, all or nothing; re-importing it changes nothing."""

from pathlib import Path

from django.core.management.base import CommandError

from huitoukan.access.commands import ActingCommand
from huitoukan.campaigns.errors import CampaignError
from huitoukan.campaigns.models import Campaign
from huitoukan.campaigns.selectors import campaign_named
from huitoukan.core import importing
from huitoukan.ledgers.imports import (
    LedgerImportError,
    kind_parse,
    ledger_import,
    max_bytes,
    person_resolve,
)
from huitoukan.ledgers.layouts import LedgerKind, kind_choices_text
from huitoukan.orgs import selectors as org_selectors
from huitoukan.orgs.errors import OrgsError
from huitoukan.spreadsheets import RowAction


def _kind(text: str | None) -> LedgerKind | None:
    if not text:
        return None
    try:
        return kind_parse(text)
    except ValueError:
        raise CommandError(f"台账类型“{text}”不正确，可选：{kind_choices_text()}") from None


def _campaign(name: str, unit) -> Campaign:
    """The campaign of that name; of several, the one run by the unit or above it."""
    try:
        return campaign_named(name, unit=unit)
    except CampaignError as e:
        raise CommandError(e.message) from e


class Command(ActingCommand):
    help = "从 xlsx 文件导入填好的台账（附件1-4 的格式或自制表格）：先检查全部行，有一处错就什么也不写；可重复导入"

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("file", help="xlsx 文件")
        parser.add_argument("--unit", required=True, help="台账所属单位的路径，如 娄底市/涟源市（名称唯一时可只写名称）")
        parser.add_argument("--campaign", required=True, help="活动名称")
        parser.add_argument("--kind", help="台账类型：附件1-4、领导班子|党员领导干部|专项整治|制度建设、台账标题，或 leadership|personal|special|institution；不填则按标题和表头识别")
        parser.add_argument("--person", help="党员领导干部整改落实工作台帐的本人姓名；不填则读表头“姓名：”")
        parser.add_argument("--dry-run", action="store_true", help="只检查并列出将要新增和修改的事项，不写入")

    def handle(self, *args, file, unit, campaign, kind, person, dry_run, **options):
        actor = self.actor(options)
        path = Path(file)
        try:
            unit_obj = org_selectors.unit_resolve(unit)
        except OrgsError as e:
            raise CommandError(e.message) from e
        campaign_obj = _campaign(campaign, unit_obj)
        chosen = _kind(kind)
        person_obj = None
        if person:
            try:
                person_obj = person_resolve(name=person, within=unit_obj)
            except LedgerImportError as e:
                raise CommandError(e.message) from e
        data = importing.command_read(path, max_bytes())

        result = ledger_import(actor=actor, data=data, filename=path.name, campaign=campaign_obj, unit=unit_obj,
                               kind=chosen, person=person_obj, dry_run=dry_run)
        importing.command_refuse(self.stderr, result, path.name)

        for row in result.rows:
            if row.action == RowAction.UNCHANGED and options["verbosity"] < 2:
                continue
            line = f"第{row.row}行 {row.get_action_display()} 序号{row.seq} {row.problem}"
            if row.action == RowAction.UPDATE:
                line += "：" + "；".join(row.changes)
            elif row.progress_added:
                line += "（含整改进展）"
            self.stdout.write(line)
        who = f"{result.person.name}的" if result.person else f"{unit_obj.full_name} "
        counts = (f"新增 {result.created} 项，修改 {result.updated} 项，{result.unchanged} 项不变，"
                  f"新增进展 {result.progress_added} 条")
        if dry_run:
            self.stdout.write(f"预检通过（未写入）：{who}{result.title}将{counts}。")
        else:
            self.stdout.write(self.style.SUCCESS(f"已导入 {path.name} 到{who}{result.title}：{counts}。"))
