"""Importing a filled ledger workbook as offices fill it: every row checked, then all or nothing."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.http import Http404
from django.test import Client
from django.urls import reverse

from huitoukan.access.models import Role
from huitoukan.audit.models import SecurityEvent, SecurityEventKind
from huitoukan.campaigns import services as campaign_services
from huitoukan.core.errors import DomainError
from huitoukan.ledgers import services
from huitoukan.ledgers.errors import LedgerErrorCode
from huitoukan.ledgers.imports import ledger_import
from huitoukan.ledgers.layouts import LAYOUTS, LedgerKind
from huitoukan.ledgers.models import (
    DeadlineMode,
    Item,
    ItemEvent,
    ItemStatus,
    Ledger,
    ProgressEntry,
    SpecialTask,
    TaskTier,
)
from huitoukan.orgs import services as org_services
from huitoukan.spreadsheets import RowAction
from tests.ledgers.conftest import pdf

pytestmark = pytest.mark.django_db
D = dt.date
URL = "/ledgers/import/"


@pytest.fixture
def lw(lw_shared):
    # Every test here uses the ledger world: it is built once for the module (tests/ledgers/conftest.py).
    return lw_shared


# The headings as the attachments print them: broken over lines and spaced out to fit the cells.
BROKEN = {
    "序号": "序\n\n号",
    "整改时限": "整改\n时限",
    "牵头领导": "牵 头\n领 导",
    "责任单位": "责任\n\n单位",
    "完成时限": "完成\n\n时限",
    "制度建设任务落实情况": "制度建设任务\n\n落实情况",
    "“四风”方面突出问题": "“四风”方面\n\n突出问题",
}
HEADER = "单位：涟源市                填报时间：2015年1月20日"


def official_headings(kind: str) -> list[str]:
    return [BROKEN.get(h, h) for h in LAYOUTS[kind].headings]


def ledger_xlsx(rows, *, kind: str = LedgerKind.LEADERSHIP, headings=None, attachment: bool = True,
                title: str | None = "", header: str | None = HEADER, notes: bool = True, merges=(),
                sheet_name: str | None = None, gap_rows: int = 0) -> bytes:
    """An attachment as an office fills it: 附件N, title, header line, headings, rows, 说明.

    With every part present the headings are on row 4 and the first item on row 5.
    """
    layout = LAYOUTS[kind]
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    if sheet_name:
        sheet.title = sheet_name
    if attachment:
        sheet.append([f"{layout.attachment}："])
    if title is not None:
        sheet.append([title or layout.title])
    if header is not None:
        sheet.append([header])
    for _ in range(gap_rows):
        sheet.append([])
    sheet.append(headings if headings is not None else official_headings(kind))
    for row in rows:
        sheet.append([None if value == "" else value for value in row])
    if notes:
        sheet.append([])
        sheet.append([layout.notes])
    for cells in merges:
        sheet.merge_cells(cells)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def row(seq=1, problem="文山会海问题突出", measures="精简会议文件", deadline="2015年3月31日", leaders="吴海波",
        units="桥头河镇", progress="", next_steps=""):
    return [seq, problem, measures, deadline, leaders, units, progress, next_steps]


def run(lw, data, *, actor="office", dry_run=False, kind=None, unit=None, person=None, filename="台账.xlsx"):
    return ledger_import(actor=getattr(lw, actor) if actor else None, data=data, filename=filename,
                         campaign=lw.campaign, unit=unit or lw.tree.lianyuan, kind=kind, person=person,
                         dry_run=dry_run)


def messages(result) -> list[str]:
    return [str(issue) for issue in result.errors]


def items(lw) -> dict[int, Item]:
    return {i.seq: i for i in lw.ledger.items.all()}


def snapshot() -> tuple:
    """Everything an import could write."""
    return (Item.objects.count(), Item.history.count(), ProgressEntry.objects.count(), ItemEvent.objects.count(),
            Ledger.objects.count(), Ledger.history.count(),
            Item.lead_leaders.through.objects.count(), Item.responsible_units.through.objects.count())


# --- the official template ------------------------------------------------------------------


def test_official_template_creates_items_with_leaders_units_deadline_and_progress_by_the_office(lw):
    # given the 附件1 layout with its label, title, header line, broken headings and 说明
    data = ledger_xlsx([
        row(1, progress="已压缩会议12个", next_steps="继续压缩"),
        row(2, problem="调查研究不深入", measures="每季度蹲点调研", deadline="立行立改", leaders="罗建华、吴海波",
            units="桥头河镇、石狮村"),
    ])

    # when the campaign office imports it
    result = run(lw, data)

    # then both items exist as the sheet says, the rows named by their Excel row numbers
    assert result.ok, messages(result)
    assert result.committed and result.kind == LedgerKind.LEADERSHIP
    assert [(r.row, r.seq, r.action) for r in result.rows] == [(5, 1, RowAction.CREATE), (6, 2, RowAction.CREATE)]
    assert (result.created, result.updated, result.unchanged, result.progress_added) == (2, 0, 0, 1)
    first, second = items(lw)[1], items(lw)[2]
    assert (first.problem, first.measures, first.deadline_mode, first.due_on) == (
        "文山会海问题突出", "精简会议文件", DeadlineMode.DATE, D(2015, 3, 31))
    assert [p.name for p in first.lead_leaders.all()] == ["吴海波"]
    assert {u.name for u in second.responsible_units.all()} == {"桥头河镇", "石狮村"}
    assert {p.name for p in second.lead_leaders.all()} == {"罗建华", "吴海波"}
    assert (second.deadline_mode, second.due_on) == (DeadlineMode.IMMEDIATE, None)
    # and the progress is the lead leader's, entered by the office (代填), dated the sheet's 填报时间
    entry = first.progress.get()
    assert (entry.progress, entry.next_steps, entry.reported_on) == ("已压缩会议12个", "继续压缩", D(2015, 1, 20))
    assert (entry.leader, entry.by_office, entry.author) == (lw.leader_person, True, lw.office)
    assert first.status == ItemStatus.IN_PROGRESS
    assert first.history.first().history_user == lw.office
    assert SecurityEvent.objects.filter(kind=SecurityEventKind.IMPORT, user=lw.office).count() == 1


def test_the_first_lead_leader_of_the_cell_reports_the_progress(lw):
    data = ledger_xlsx([row(1, leaders="罗建华、吴海波", progress="已整改")])
    assert run(lw, data).ok
    assert items(lw)[1].progress.get().leader == lw.other_leader


def test_progress_without_a_filled_in_date_is_dated_today(lw):
    data = ledger_xlsx([row(1, progress="已整改")], header="单位：涟源市        填报时间：    年   月   日")
    result = run(lw, data)
    assert result.ok, messages(result)
    assert items(lw)[1].progress.get().reported_on == dt.date.today()


# --- dates as offices write them ----------------------------------------------------------------

# The campaign runs from 2014-12-31: a month without a year falls in 2015, except December.
@pytest.mark.parametrize(("cell", "mode", "due_on"), [
    ("2015年3月31日", DeadlineMode.DATE, D(2015, 3, 31)),
    ("2015.3.31", DeadlineMode.DATE, D(2015, 3, 31)),
    ("2015-03-31", DeadlineMode.DATE, D(2015, 3, 31)),
    ("2015/3/31", DeadlineMode.DATE, D(2015, 3, 31)),
    (D(2015, 3, 31), DeadlineMode.DATE, D(2015, 3, 31)),
    (dt.datetime(2015, 3, 31, 0, 0), DeadlineMode.DATE, D(2015, 3, 31)),
    ("2015年3月31日前", DeadlineMode.DATE, D(2015, 3, 31)),
    ("2015年3月底", DeadlineMode.DATE, D(2015, 3, 31)),
    ("2015年2月底前", DeadlineMode.DATE, D(2015, 2, 28)),
    ("3月底前", DeadlineMode.DATE, D(2015, 3, 31)),
    ("3月底", DeadlineMode.DATE, D(2015, 3, 31)),
    ("6月底前完成", DeadlineMode.DATE, D(2015, 6, 30)),
    ("12月底", DeadlineMode.DATE, D(2014, 12, 31)),
    ("4月15日", DeadlineMode.DATE, D(2015, 4, 15)),
    ("2015年6月中旬", DeadlineMode.DATE, D(2015, 6, 20)),
    ("2015年底", DeadlineMode.DATE, D(2015, 12, 31)),
    ("立行立改", DeadlineMode.IMMEDIATE, None),
    ("长期坚持", DeadlineMode.LONG_TERM, None),
    ("长 期\n坚 持", DeadlineMode.LONG_TERM, None),
    ("", DeadlineMode.NONE, None),
])
def test_each_deadline_form_is_read(lw, cell, mode, due_on):
    result = run(lw, ledger_xlsx([row(1, deadline=cell)]))
    assert result.ok, messages(result)
    item = items(lw)[1]
    assert (item.deadline_mode, item.due_on) == (mode, due_on)


def test_a_date_cell_that_lost_its_format_is_read_as_the_excel_date(lw):
    assert run(lw, ledger_xlsx([row(1, deadline=42094)])).ok  # 42094 is 2015-03-31 in Excel
    assert items(lw)[1].due_on == D(2015, 3, 31)


# --- leaders and units ---------------------------------------------------------------------------


@pytest.mark.parametrize("separator", ["、", "，", ",", ";", "；", "/", " ", "\u3000", "\n", " 、 "])
def test_each_separator_splits_the_leaders(lw, separator):
    result = run(lw, ledger_xlsx([row(1, leaders=f"吴海波{separator}罗建华")]))
    assert result.ok, messages(result)
    assert {p.name for p in items(lw)[1].lead_leaders.all()} == {"吴海波", "罗建华"}


def test_a_name_spaced_out_to_fill_the_cell_is_one_leader(lw):
    org_services.person_create(actor=None, unit=lw.tree.lianyuan, name="王伟", is_party_leader=True)
    result = run(lw, ledger_xlsx([row(1, leaders="王  伟、吴海波（市委常委）")]))
    assert result.ok, messages(result)
    assert {p.name for p in items(lw)[1].lead_leaders.all()} == {"王伟", "吴海波"}


def test_two_people_of_one_name_are_told_apart_by_the_unit_in_brackets(lw):
    org_services.person_create(actor=None, unit=lw.tree.qiaotouhe, name="罗建华", position="镇长")
    ambiguous = run(lw, ledger_xlsx([row(1, leaders="罗建华")]))
    assert messages(ambiguous)[0].startswith("第5行 牵头领导: 人员“罗建华”不唯一")
    result = run(lw, ledger_xlsx([row(1, leaders="罗建华（桥头河镇）")]))
    assert result.ok, messages(result)
    assert items(lw)[1].lead_leaders.get().unit == lw.tree.qiaotouhe


def test_responsible_units_by_name_or_path(lw):
    result = run(lw, ledger_xlsx([row(1, units="涟源市/桥头河镇，石狮村 涟源市")]))
    assert result.ok, messages(result)
    assert {u.name for u in items(lw)[1].responsible_units.all()} == {"桥头河镇", "石狮村", "涟源市"}


def test_a_leader_cell_merged_down_three_rows_leads_each_of_them(lw):
    # given 牵头领导 and 责任单位 merged over rows 5-7: the value is only in the top cell
    data = ledger_xlsx(
        [row(1, leaders="罗建华、吴海波"), row(2, problem="调查研究不深入", leaders="", units=""),
         row(3, problem="服务群众不到位", leaders="", units="")],
        merges=["E5:E7", "F5:F7"],
    )
    result = run(lw, data)
    assert result.ok, messages(result)
    for seq in (1, 2, 3):
        assert {p.name for p in items(lw)[seq].lead_leaders.all()} == {"罗建华", "吴海波"}, seq
        assert [u.name for u in items(lw)[seq].responsible_units.all()] == ["桥头河镇"], seq


def test_a_merged_seq_makes_one_item_of_its_rows_with_the_measures_joined(lw):
    # given one problem (序号 and 突出问题 merged over rows 5-6) with a measure and a leader per row
    data = ledger_xlsx(
        [row(1, measures="精简会议", leaders="吴海波"), row("", problem="", measures="压缩文件", leaders="罗建华"),
         row(2, problem="调查研究不深入")],
        merges=["A5:A6", "B5:B6", "D5:D6"],
    )
    result = run(lw, data)
    assert result.ok, messages(result)
    assert [(r.row, r.seq) for r in result.rows] == [(5, 1), (7, 2)]
    first = items(lw)[1]
    assert first.measures == "精简会议\n压缩文件"
    assert {p.name for p in first.lead_leaders.all()} == {"吴海波", "罗建华"}
    assert first.due_on == D(2015, 3, 31)


# --- sheets as people type them ----------------------------------------------------------------------


def test_broken_and_spaced_headings_are_recognised(lw):
    headings = ["序\n\n号", "突 出 问 题", "具体整改\n措施", "整改\n时限", "牵 头\n领 导", "责  任\n单  位",
                "整改落实\n情况", "后段工作\n措施"]
    result = run(lw, ledger_xlsx([row(1, progress="已整改", next_steps="巩固")], headings=headings))
    assert result.ok, messages(result)
    entry = items(lw)[1].progress.get()
    assert (entry.progress, entry.next_steps) == ("已整改", "巩固")


def test_hand_typed_sheet_with_headings_on_row_3_in_its_own_order(lw):
    # given no 附件 label, a title on row 1, the header on row 2, headings on row 3 in another
    # order with an extra 备注 column, a blank row, a section heading, and no 说明
    headings = ["序号", "存在问题", "牵头领导", "整改措施", "整改时间", "备注", "责任单位"]
    rows = [
        ["一、形式主义方面"],
        [1, "文山会海问题突出", "吴海波", "精简会议文件", "2015.3.31", "无", "桥头河镇"],
        [],
        [2, "调查研究不深入", "罗建华", "蹲点调研", "3月底前", "", "石狮村"],
    ]
    data = ledger_xlsx(rows, headings=headings, attachment=False, title="涟源市领导班子整改落实工作台账",
                       header="填报单位：中共涟源市委", notes=False)

    result = run(lw, data)

    assert result.ok, messages(result)
    assert [(r.row, r.seq) for r in result.rows] == [(5, 1), (7, 2)]
    assert (4, "分类标题") in result.skipped
    assert items(lw)[2].measures == "蹲点调研" and items(lw)[2].due_on == D(2015, 3, 31)


def test_pre_numbered_blank_rows_of_the_template_are_skipped(lw):
    data = ledger_xlsx([row(1), [2], [3], [4]])
    result = run(lw, data)
    assert result.ok, messages(result)
    assert [r.seq for r in result.rows] == [1]


def test_the_kind_is_read_from_the_title(lw):
    data = ledger_xlsx([[1, "作风建设类", "公务接待管理办法", "2015年3月底", "吴海波", "涟源市", "已起草", "严格执行", "印发"]],
                       kind=LedgerKind.INSTITUTION)
    result = run(lw, data)
    assert result.ok, messages(result)
    item = Ledger.objects.get(kind=LedgerKind.INSTITUTION).items.get()
    assert (item.category, item.problem, item.due_on) == ("作风建设类", "公务接待管理办法", D(2015, 3, 31))
    entry = item.progress.get()
    assert (entry.progress, entry.strict_execution, entry.next_steps) == ("已起草", "严格执行", "印发")


def test_the_kind_is_read_from_the_headings_when_there_is_no_title(lw):
    data = ledger_xlsx([[1, "公车私用", "专项清理", "吴海波", "涟源市", "已清理", "建立台账"]],
                       kind=LedgerKind.SPECIAL, attachment=False, title=None, header=None)
    result = run(lw, data)
    assert result.ok, messages(result)
    assert result.kind == LedgerKind.SPECIAL


def test_a_file_of_another_kind_than_chosen_is_refused(lw):
    result = run(lw, ledger_xlsx([row(1)]), kind=LedgerKind.SPECIAL)
    assert messages(result) == ["文件: 文件是“领导班子整改落实工作台帐”，与所选的“专项整治落实情况工作台帐”不一致。"]


def test_special_rectification_project_links_the_catalogue_task(lw):
    task = SpecialTask.objects.create(tier=TaskTier.CENTRAL, order=1, name="整治“文山会海”")
    data = ledger_xlsx([[1, "整治“文山会海”", "会议减少三分之一", "吴海波", "涟源市", "", ""],
                        [2, "本单位自定项目", "目标", "吴海波", "涟源市", "", ""]], kind=LedgerKind.SPECIAL)
    result = run(lw, data)
    assert result.ok, messages(result)
    ledger = Ledger.objects.get(kind=LedgerKind.SPECIAL)
    assert ledger.items.get(seq=1).special_task == task
    assert ledger.items.get(seq=2).special_task is None


def test_personal_ledger_belongs_to_the_person_named_in_the_header(lw):
    data = ledger_xlsx([[1, "深入基层不够", "每月下基层4天", "每月已下基层5天", "坚持"]], kind=LedgerKind.PERSONAL,
                       header="姓名：吴海波          职务：市委常委、组织部长          填报时间：2015年1月20日")
    result = run(lw, data)
    assert result.ok, messages(result)
    ledger = Ledger.objects.get(kind=LedgerKind.PERSONAL)
    assert ledger.person == lw.leader_person
    item = ledger.items.get()
    assert list(item.lead_leaders.all()) == [lw.leader_person]
    assert item.progress.get().leader == lw.leader_person


def test_personal_ledger_header_must_agree_with_the_chosen_person(lw):
    data = ledger_xlsx([[1, "深入基层不够", "", "", ""]], kind=LedgerKind.PERSONAL,
                       header="姓名：吴海波   职务：   填报时间：2015年1月20日")
    result = run(lw, data, person=lw.other_leader)
    assert messages(result) == ["第3行 姓名: 表头姓名“吴海波”与所选人员“罗建华”不一致。"]


# --- changes, re-imports and dry runs ---------------------------------------------------------------


def test_reimporting_the_same_file_changes_nothing(lw):
    data = ledger_xlsx([row(1, progress="已压缩会议12个", next_steps="继续"), row(2, deadline="3月底前")],
                       merges=["E5:E6"])
    assert run(lw, data).ok
    before = snapshot()

    again = run(lw, data)

    assert again.ok, messages(again)
    assert (again.created, again.updated, again.unchanged, again.progress_added) == (0, 0, 2, 0)
    assert snapshot() == before


def test_changed_cells_update_the_item_and_add_a_progress_entry(lw):
    assert run(lw, ledger_xlsx([row(1, progress="已压缩会议12个")])).ok
    history, entries = Item.history.count(), ProgressEntry.objects.count()

    result = run(lw, ledger_xlsx([row(1, measures="精简会议文件，压缩30%", leaders="吴海波、罗建华",
                                      deadline="立行立改", progress="已压缩会议20个", next_steps="建立长效机制")]))

    assert result.ok, messages(result)
    (planned,) = result.rows
    assert planned.action == RowAction.UPDATE and planned.progress_added
    assert planned.changes == [
        "具体整改措施：精简会议文件 → 精简会议文件，压缩30%",
        "整改时限：2015年3月31日 → 立行立改",
        "牵头领导：吴海波 → 吴海波、罗建华",
        "新增进展（2015-01-20）：已压缩会议20个",
    ]
    item = items(lw)[1]
    assert (item.measures, item.deadline_mode, item.due_on) == ("精简会议文件，压缩30%", DeadlineMode.IMMEDIATE, None)
    assert Item.history.count() > history  # the change is in the item's history
    assert ProgressEntry.objects.count() == entries + 1
    assert [e.progress for e in item.progress.all()] == ["已压缩会议12个", "已压缩会议20个"]  # history kept


def test_items_missing_from_the_file_are_left_alone(lw):
    assert run(lw, ledger_xlsx([row(1), row(2, problem="调查研究不深入")])).ok
    result = run(lw, ledger_xlsx([row(2, problem="调查研究不深入")]))
    assert result.ok and result.unchanged == 1
    assert set(items(lw)) == {1, 2}


def test_dry_run_plans_and_writes_nothing(lw):
    before = snapshot()
    result = run(lw, ledger_xlsx([row(1, progress="已整改"), row(2)]), dry_run=True)
    assert result.ok and not result.committed
    assert (result.created, result.progress_added) == (2, 1)
    assert snapshot() == before
    assert not SecurityEvent.objects.filter(kind=SecurityEventKind.IMPORT).exists()


def test_an_import_without_a_login_marks_the_progress_for_the_leader(lw):
    result = run(lw, ledger_xlsx([row(1, progress="已整改")]), actor=None)
    assert result.ok, messages(result)
    entry = items(lw)[1].progress.get()
    assert (entry.leader, entry.by_office, entry.author) == (lw.leader_person, True, None)


# --- refusals: a row-numbered Chinese message and nothing written ---------------------------------------


def refused(lw, data, expected: list[str], **kwargs):
    before = snapshot()
    result = run(lw, data, **kwargs)
    assert messages(result) == expected
    assert not result.committed
    assert snapshot() == before
    return result


def test_an_unknown_leader_is_refused_naming_row_and_column(lw):
    refused(lw, ledger_xlsx([row(1), row(2, leaders="吴海波、王五")]),
            ["第6行 牵头领导: 找不到人员“王五”（须为娄底市/涟源市及其下级单位的人员）。"])


def test_a_leader_of_another_county_is_unknown_here(lw):
    org_services.person_create(actor=None, unit=lw.tree.louxing, name="周平")
    refused(lw, ledger_xlsx([row(1, leaders="周平")]),
            ["第5行 牵头领导: 找不到人员“周平”（须为娄底市/涟源市及其下级单位的人员）。"])


def test_an_unknown_unit_is_refused(lw):
    refused(lw, ledger_xlsx([row(1, units="桥头河镇、乐坪街道")]),
            ["第5行 责任单位: 找不到单位“乐坪街道”（须为娄底市/涟源市或其下级单位）。"])


def test_an_impossible_date_is_refused(lw):
    refused(lw, ledger_xlsx([row(1, deadline="2015年2月30日")]), ["第5行 整改时限: 日期“2015年2月30日”不存在。"])


def test_an_unreadable_date_is_refused(lw):
    refused(lw, ledger_xlsx([row(1, deadline="尽快")]),
            ["第5行 整改时限: 无法识别“尽快”，请写成 2015年3月31日、2015-03-31、3月底前、立行立改 或 长期坚持。"])


def test_every_problem_of_the_file_is_listed_at_once(lw):
    result = refused(lw, ledger_xlsx([row(1, leaders="王五"), row(1, deadline="13月底"), row("一", problem="")]), [
        "第5行 牵头领导: 找不到人员“王五”（须为娄底市/涟源市及其下级单位的人员）。",
        "第6行 序号: 序号1与第5行重复。",
        "第6行 整改时限: 日期“13月底”不存在。",
        "第7行 序号: “一”不是有效的序号，应为正整数。",
        "第7行 突出问题: 不能为空。",
    ])
    assert result.rows == [] or all(r.row not in (5, 6, 7) for r in result.rows)


def test_a_missing_required_column_is_named(lw):
    headings = ["序号", "问题描述", "具体整改措施", "整改时限", "牵头领导", "责任单位", "整改落实情况", "后段工作措施"]
    refused(lw, ledger_xlsx([row(1)], headings=headings), [
        "突出问题: 缺少必需的列“突出问题”（“领导班子整改落实工作台帐”的表头为：序号、突出问题、具体整改措施、整改时限、"
        "牵头领导、责任单位、整改落实情况、后段工作措施）。",
    ])


def test_a_png_renamed_to_xlsx_is_refused(lw):
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 64
    refused(lw, png, ["文件: 文件不是有效的 xlsx 表格，请用 Excel 或 WPS 另存为 .xlsx 后再导入。"])


def test_a_word_file_is_refused(lw):
    refused(lw, b"PK\x03\x04whatever", ["文件: 只能导入 xlsx 或 CSV 文件（文件名以 .xlsx 或 .csv 结尾）。"],
            filename="台账.docx")


def test_a_file_over_the_size_limit_is_refused(lw, settings):
    settings.LEDGER_IMPORT_MAX_BYTES = 1024
    refused(lw, ledger_xlsx([row(1)]), ["文件: 文件超过了 1 KB 的上限，请分成几个文件导入。"])


def test_an_empty_sheet_is_refused(lw):
    workbook = openpyxl.Workbook()
    out = io.BytesIO()
    workbook.save(out)
    refused(lw, out.getvalue(), ["文件: 工作表是空的，没有台账内容。"])


def test_headings_without_rows_are_refused(lw):
    refused(lw, ledger_xlsx([]), ["文件: 表头下面没有台账数据。"])


def test_progress_for_a_closed_item_is_refused(lw):
    assert run(lw, ledger_xlsx([row(1)])).ok
    Item.objects.filter(seq=1).update(status=ItemStatus.CLOSED)
    refused(lw, ledger_xlsx([row(1, progress="又做了些")]),
            ["第5行 整改落实情况: 序号1的事项已销号，不能再填报进展；如问题反弹，请先在系统中标记反弹。"])


def test_next_steps_before_any_progress_are_a_measure_not_yet_started(lw):
    # given a hand-filled row with 后段工作措施 and no 整改落实情况 yet
    data = ledger_xlsx([row(1, next_steps="下月起推行视频会议")])

    # when it is imported
    result = run(lw, data)

    # then the item is listed as 未启动, its plan kept as a report with only 后段工作措施
    assert result.ok, messages(result)
    item = items(lw)[1]
    assert item.status == ItemStatus.NOT_STARTED
    entry = item.progress.get()
    assert (entry.progress, entry.next_steps, entry.status_after) == ("", "下月起推行视频会议", ItemStatus.NOT_STARTED)
    # the ledger shows it, and the same file again changes nothing
    assert {r.action for r in run(lw, data).rows} == {RowAction.UNCHANGED}
    from huitoukan.ledgers.exports import ledger_workbook

    assert {r.action for r in run(lw, ledger_workbook(ledgers=[lw.ledger])).rows} == {RowAction.UNCHANGED}


def test_a_plan_does_not_let_an_item_be_closed(lw):
    assert run(lw, ledger_xlsx([row(1, next_steps="下月起推行视频会议")])).ok
    with pytest.raises(DomainError) as err:
        services.closing_request(actor=lw.leader, item=items(lw)[1], summary="已完成", files=[pdf()])
    assert err.value.code == LedgerErrorCode.CLOSING_WITHOUT_PROGRESS


def test_after_progress_a_row_with_next_steps_must_say_where_the_work_stands(lw):
    assert run(lw, ledger_xlsx([row(1, progress="已压缩会议12个", next_steps="继续")])).ok
    refused(lw, ledger_xlsx([row(1, next_steps="改为视频会议")]),
            ["第5行 整改落实情况: 填写了“后段工作措施”，须同时填写本列。"])


@pytest.mark.parametrize(("kind", "missing"), [
    (LedgerKind.LEADERSHIP, "牵头领导"), (LedgerKind.LEADERSHIP, "责任单位"), (LedgerKind.LEADERSHIP, "具体整改措施"),
    (LedgerKind.PERSONAL, "具体整改措施"), (LedgerKind.SPECIAL, "牵头领导"), (LedgerKind.INSTITUTION, "责任单位"),
])
def test_a_file_without_a_column_its_attachment_requires_is_refused_by_name(lw, kind, missing):
    headings = [h for h in LAYOUTS[kind].headings if h != missing]
    # rows that would only touch existing items: the file is still refused as a whole
    data = ledger_xlsx([[1] + ["文山会海问题突出"] * (len(headings) - 1)], kind=kind, headings=headings)
    result = run(lw, data, kind=kind, person=lw.leader_person if kind == LedgerKind.PERSONAL else None)
    assert [(i.row, i.field) for i in result.errors] == [(None, missing)]
    assert f"缺少必需的列“{missing}”" in messages(result)[0]


@pytest.mark.parametrize("name", ["领导班子", "附件1", "附件一", "leadership", "领导班子整改落实工作台账"])
def test_the_kind_is_understood_by_its_chinese_names(lw, tmp_path, name):
    path = write(tmp_path, ledger_xlsx([row(1)]))
    out = io.StringIO()
    call_command("import-ledger", path, acting_as="office", unit="涟源市", campaign="回头看", kind=name, dry_run=True, stdout=out)
    assert "领导班子整改落实工作台帐将新增 1 项" in out.getvalue()


def test_a_campaign_of_another_county_is_refused(lw):
    campaign = campaign_services.campaign_create(actor=None, owner_unit=lw.tree.louxing, name="娄星区回头看",
                                                 starts_on=D(2014, 12, 31), ends_on=D(2015, 2, 28))
    result = ledger_import(actor=lw.office, data=ledger_xlsx([row(1)]), filename="台账.xlsx", campaign=campaign,
                           unit=lw.tree.lianyuan, kind=None, dry_run=True)
    assert messages(result) == ["活动: 活动“娄星区回头看”由娄底市/娄星区组织，不适用于娄底市/涟源市。"]


def test_a_unit_outside_the_office_scope_is_refused_like_an_absent_one(lw):
    with pytest.raises(Http404):
        run(lw, ledger_xlsx([row(1)]), unit=lw.tree.louxing)
    with pytest.raises(PermissionDenied):  # a 责任领导 sees the ledger but does not import: 403
        run(lw, ledger_xlsx([row(1)]), actor="leader")
    assert not Item.objects.exists()


# --- the web page -----------------------------------------------------------------------------------


def upload(data: bytes, name: str = "涟源市台账.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def form_data(lw, data: bytes, **overrides) -> dict:
    return {"campaign": lw.campaign.pk, "unit": lw.tree.lianyuan.pk, "kind": "", "person": "", "file": upload(data),
            **overrides}


def test_web_preview_then_confirm_imports_the_file(lw, client):
    client.force_login(lw.office)
    assert client.get(URL).status_code == 200

    # when the office uploads a file: a preview, nothing written yet
    preview = client.post(URL, form_data(lw, ledger_xlsx([row(1, progress="已整改"), row(2, problem="调查研究不深入")])))
    assert preview.status_code == 200
    page = preview.content.decode()
    assert "确认导入" in page and "调查研究不深入" in page
    assert not Item.objects.exists()

    # and confirms it: written, and shown on the ledger
    response = client.post(URL, {"token": preview.context["token"]})
    assert response.status_code == 302
    assert response["Location"] == reverse("ledger-detail", args=[lw.ledger.pk])
    assert set(items(lw)) == {1, 2}
    assert items(lw)[1].progress.get().by_office
    # the token is spent: a second confirmation writes nothing more
    before = snapshot()
    assert client.post(URL, {"token": preview.context["token"]}).status_code == 302
    assert snapshot() == before


def test_web_lists_the_row_errors_and_offers_no_confirmation(lw, client):
    client.force_login(lw.filler)
    response = client.post(URL, form_data(lw, ledger_xlsx([row(1, leaders="王五")])))
    assert response.status_code == 200
    assert "第5行 牵头领导: 找不到人员“王五”" in response.content.decode()
    assert response.context["token"] is None
    assert not Item.objects.exists()


def test_web_import_into_a_unit_out_of_scope_answers_404(lw, client):
    client.force_login(lw.office)
    response = client.post(URL, form_data(lw, ledger_xlsx([row(1)]), unit=lw.tree.louxing.pk))
    assert response.status_code == 404
    assert client.get(f"{URL}?unit={lw.tree.louxing.pk}").status_code == 404
    assert not Item.objects.exists()


def test_web_page_is_not_for_roles_without_ledger_editing(lw, client):
    client.force_login(lw.head)  # reads the ledgers, may not import: 403
    assert client.get(URL).status_code == 403
    assert client.post(URL, form_data(lw, ledger_xlsx([row(1)]))).status_code == 403
    assert not Item.objects.exists()


def test_web_confirmation_needs_the_session_that_previewed(lw, client, make_user):
    client.force_login(lw.office)
    preview = client.post(URL, form_data(lw, ledger_xlsx([row(1)])))
    other = Client()
    other.force_login(make_user(Role.CAMPAIGN_OFFICE, lw.tree.lianyuan))
    response = other.post(URL, {"token": preview.context["token"]})
    assert response.status_code == 302 and response["Location"] == URL
    assert not Item.objects.exists()


def test_web_opened_from_a_ledger_has_it_chosen(lw, client):
    client.force_login(lw.office)
    form = client.get(f"{URL}?ledger={lw.ledger.pk}").context["form"]
    assert (form.initial["campaign"], form.initial["unit"], form.initial["kind"]) == (
        lw.campaign.pk, lw.tree.lianyuan.pk, LedgerKind.LEADERSHIP)


# --- the command line ---------------------------------------------------------------------------------


def write(tmp_path, data: bytes, name: str = "台账.xlsx") -> str:
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


def test_cli_dry_run_prints_what_it_would_do_and_writes_nothing(lw, tmp_path):
    assert run(lw, ledger_xlsx([row(1)])).ok
    path = write(tmp_path, ledger_xlsx([row(1, measures="压缩文件"), row(2, problem="调查研究不深入", progress="已调研")]))
    before, out = snapshot(), io.StringIO()

    call_command("import-ledger", path, acting_as="office", unit="娄底市/涟源市", campaign="回头看", dry_run=True, stdout=out)

    assert out.getvalue().splitlines() == [
        "第5行 修改 序号1 文山会海问题突出：具体整改措施：精简会议文件 → 压缩文件",
        "第6行 新增 序号2 调查研究不深入（含整改进展）",
        "预检通过（未写入）：娄底市/涟源市 领导班子整改落实工作台帐将新增 1 项，修改 1 项，0 项不变，新增进展 1 条。",
    ]
    assert snapshot() == before


def test_cli_imports_with_the_kind_given_by_its_chinese_title(lw, tmp_path):
    path = write(tmp_path, ledger_xlsx([row(1, progress="已整改")]))
    out = io.StringIO()
    call_command("import-ledger", path, acting_as="office", unit="涟源市", campaign="回头看", kind="领导班子整改落实工作台账", stdout=out)
    assert "新增 1 项" in out.getvalue()
    entry = items(lw)[1].progress.get()
    assert (entry.leader, entry.by_office, entry.author) == (lw.leader_person, True, lw.office)


def test_cli_personal_ledger_for_the_named_person(lw, tmp_path):
    path = write(tmp_path, ledger_xlsx([[1, "深入基层不够", "每月下基层4天", "", ""]], kind=LedgerKind.PERSONAL,
                                       header="姓名：          职务：          填报时间：2015年1月20日"))
    call_command("import-ledger", path, acting_as="office", unit="涟源市", campaign="回头看", kind="personal", person="罗建华",
                 stdout=io.StringIO())
    assert Ledger.objects.get(kind=LedgerKind.PERSONAL).person == lw.other_leader


def test_cli_exits_2_printing_each_error_and_writes_nothing(lw, tmp_path):
    path = write(tmp_path, ledger_xlsx([row(1, leaders="王五"), row(2, deadline="2015年2月30日")]))
    before, err = snapshot(), io.StringIO()

    with pytest.raises(CommandError) as refused:
        call_command("import-ledger", path, acting_as="office", unit="涟源市", campaign="回头看", stderr=err, stdout=io.StringIO())

    assert refused.value.returncode == 2
    assert err.getvalue().splitlines() == [
        "第5行 牵头领导: 找不到人员“王五”（须为娄底市/涟源市及其下级单位的人员）。",
        "第6行 整改时限: 日期“2015年2月30日”不存在。",
    ]
    assert snapshot() == before


def test_cli_refuses_a_kind_it_does_not_know(lw, tmp_path):
    path = write(tmp_path, ledger_xlsx([row(1)]))
    with pytest.raises(CommandError, match="台账类型“台账”不正确"):
        call_command("import-ledger", path, acting_as="office", unit="涟源市", campaign="回头看", kind="台账")


# --- export, then import -------------------------------------------------------------------------------


def filled_ledgers(lw) -> list[Ledger]:
    """One ledger of each kind with items in every deadline mode, several leaders and units, and progress."""
    office, open_ = lw.office, services.ledger_open
    task = SpecialTask.objects.create(tier=TaskTier.CENTRAL, order=1, name="整治“文山会海”")
    leadership = lw.ledger
    personal = open_(actor=office, campaign=lw.campaign, unit=lw.tree.lianyuan, kind=LedgerKind.PERSONAL,
                     person=lw.leader_person)
    special = open_(actor=office, campaign=lw.campaign, unit=lw.tree.lianyuan, kind=LedgerKind.SPECIAL)
    institution = open_(actor=office, campaign=lw.campaign, unit=lw.tree.lianyuan, kind=LedgerKind.INSTITUTION)
    both, units = [lw.leader_person, lw.other_leader], [lw.tree.qiaotouhe, lw.tree.shishi]
    made = [
        services.item_create(actor=office, ledger=leadership, problem="文山会海问题突出", measures="精简会议\n压缩文件",
                             deadline_mode=DeadlineMode.DATE, due_on=D(2015, 3, 31), lead_leaders=both,
                             responsible_units=units),
        services.item_create(actor=office, ledger=leadership, problem="调查研究不深入", measures="蹲点调研",
                             deadline_mode=DeadlineMode.IMMEDIATE, lead_leaders=[lw.other_leader]),
        services.item_create(actor=office, ledger=leadership, problem="服务群众不到位",
                             deadline_mode=DeadlineMode.LONG_TERM),
        services.item_create(actor=office, ledger=personal, problem="深入基层不够", measures="每月下基层4天"),
        services.item_create(actor=office, ledger=special, problem="", special_task=task, measures="会议减少三分之一",
                             lead_leaders=both, responsible_units=[lw.tree.lianyuan]),
        services.item_create(actor=office, ledger=institution, problem="公务接待管理办法", category="作风建设类",
                             deadline_mode=DeadlineMode.DATE, due_on=D(2015, 6, 30), lead_leaders=[lw.leader_person],
                             responsible_units=[lw.tree.lianyuan]),
    ]
    for item in (made[0], made[3], made[4], made[5]):
        leader = item.lead_leaders.first()
        services.progress_add(actor=office, item=item, leader=leader, progress="已压缩会议12个",
                              next_steps="建立长效机制", reported_on=D(2015, 1, 10))
        services.progress_add(actor=office, item=item, leader=leader, progress="发文数量下降35%\n会议减少40%",
                              next_steps="继续巩固", reported_on=D(2015, 1, 20),
                              strict_execution="严格执行" if item.ledger == institution else "")
    return [leadership, personal, special, institution]


def test_export_then_import_is_a_no_op_for_each_kind(lw):
    from huitoukan.ledgers.exports import ledger_workbook

    for ledger in filled_ledgers(lw):
        # given the ledger exported in its attachment layout
        data = ledger_workbook(ledgers=[ledger])
        before = snapshot()

        # when the export is imported back, its kind read from the file
        result = run(lw, data, kind=None)

        # then every item is recognised as unchanged and nothing is written
        assert result.ok, (ledger.kind, messages(result))
        assert result.kind == ledger.kind
        assert result.ledger == ledger
        assert result.rows and {r.action for r in result.rows} == {RowAction.UNCHANGED}, (ledger.kind, result.rows)
        assert snapshot() == before, ledger.kind


def test_a_workbook_of_several_units_imports_the_sheet_of_the_chosen_unit(lw):
    # given a workbook with a sheet per unit, as the subtree export writes it
    workbook = openpyxl.load_workbook(io.BytesIO(ledger_xlsx([row(1, problem="桥头河镇的问题")], sheet_name="桥头河镇",
                                                             header="单位：桥头河镇      填报时间：2015年1月20日")))
    own = openpyxl.load_workbook(io.BytesIO(ledger_xlsx([row(1)], sheet_name="涟源市"))).active
    sheet = workbook.create_sheet("涟源市")
    for cells in own.iter_rows(values_only=True):
        sheet.append(cells)
    out = io.BytesIO()
    workbook.save(out)

    result = run(lw, out.getvalue())

    assert result.ok, messages(result)
    assert result.sheet == "涟源市"
    assert items(lw)[1].problem == "文山会海问题突出"


def test_a_workbook_of_several_ledgers_of_other_units_asks_which(lw):
    two = openpyxl.load_workbook(io.BytesIO(ledger_xlsx([row(1)], sheet_name="甲", header="单位：桥头河镇")))
    two.create_sheet("乙").append(["序号", "突出问题", "牵头领导"])
    out = io.BytesIO()
    two.save(out)
    result = run(lw, out.getvalue(), dry_run=True)
    assert messages(result) == ["文件: 工作簿中有多个台账工作表（甲：领导班子整改落实工作台帐；乙：领导班子整改落实工作台帐），"
                                "请每次导入一个，或选择台账类型。"]


def test_the_command_acts_as_the_named_login_and_is_refused_beyond_its_rights(lw, tmp_path, settings):
    path = write(tmp_path, ledger_xlsx([row(1)]))
    settings.OPERATOR = ""
    with pytest.raises(CommandError, match="--as"):
        call_command("import-ledger", path, unit="涟源市", campaign="回头看", stdout=io.StringIO())
    # a 责任领导 reads the ledger but may not import into it: refused, logged, nothing written
    with pytest.raises(CommandError, match="无权") as refused:
        call_command("import-ledger", path, acting_as="wuhaibo", unit="涟源市", campaign="回头看",
                     stdout=io.StringIO())
    assert refused.value.returncode == 4 and not Item.objects.exists()
    assert SecurityEvent.objects.get(kind=SecurityEventKind.DENIED).user == lw.leader
    # the configured operator stands in for --as, and the import is recorded under its name
    settings.OPERATOR = "office"
    call_command("import-ledger", path, unit="涟源市", campaign="回头看", stdout=io.StringIO())
    assert SecurityEvent.objects.get(kind=SecurityEventKind.IMPORT).user == lw.office
    assert items(lw)[1].history.first().history_user == lw.office
