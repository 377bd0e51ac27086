"""Ledgers out as Excel and Word in the layout of seed 001 附件1-4: scoped, logged, one query plan."""

from __future__ import annotations

import datetime as dt
import io
from urllib.parse import unquote

import docx
import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from hypothesis import given
from hypothesis import strategies as st

from huitoukan.access.models import Role
from huitoukan.audit.models import SecurityEvent, SecurityEventKind
from huitoukan.ledgers import exports, selectors, services
from huitoukan.ledgers.exports import (
    ledger_rows,
    ledger_workbook,
    sheet_names,
    subtree_workbook,
)
from huitoukan.ledgers.layouts import LAYOUTS, LedgerKind
from huitoukan.ledgers.models import DeadlineMode, InstitutionAction, TaskTier
from huitoukan.ledgers.word import ledger_document
from huitoukan.orgs import services as org_services
from huitoukan.orgs.models import UnitKind, UnitLevel

pytestmark = pytest.mark.django_db
D = dt.date
FILLED = D(2015, 1, 6)
GAP = " " * 16


@pytest.fixture
def lw(lw_shared):
    # Every test here uses the ledger world: it is built once for the module (tests/ledgers/conftest.py).
    return lw_shared


def book_of(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


def values(sheet, row: int) -> list:
    return [cell.value for cell in sheet[row]]


def item_rows(sheet, layout) -> list[list]:
    """The item rows: between the headings (row 4) and the 说明 row."""
    rows = [list(r) for r in sheet.iter_rows(min_row=5, values_only=True)]
    assert rows[-1][0] == layout.notes
    return rows[:-1]


def add(lw, ledger, problem, **fields):
    return services.item_create(actor=lw.office, ledger=ledger, problem=problem, **fields)


def report(lw, item, progress, *, on, leader=None, **fields):
    return services.progress_add(actor=lw.office, item=item, progress=progress, reported_on=on,
                                 leader=leader or lw.leader_person, **fields)


@pytest.fixture
def leadership(lw):
    """涟源市's 领导班子 ledger: the four kinds of deadline, shared leaders, a progress history."""
    ledger = lw.ledger
    ledger.filled_on = FILLED
    ledger.save()
    first = add(lw, ledger, "文山会海问题突出", measures="精简会议文件，压缩发文数量30%",
                deadline_mode=DeadlineMode.DATE, due_on=D(2015, 3, 31),
                lead_leaders=[lw.other_leader, lw.leader_person],
                responsible_units=[lw.tree.shishi, lw.tree.qiaotouhe])
    report(lw, first, "已压缩会议12个", next_steps="继续压缩", on=D(2015, 1, 10))
    report(lw, first, "发文数量下降35%", next_steps="建立长效机制", on=D(2015, 1, 20), leader=lw.other_leader)
    add(lw, ledger, "公车私用", measures="公车集中停放", deadline_mode=DeadlineMode.IMMEDIATE,
        lead_leaders=[lw.leader_person])
    add(lw, ledger, "调查研究不深入", deadline_mode=DeadlineMode.LONG_TERM)
    add(lw, ledger, "=HYPERLINK(\"http://x\",\"点我\")")
    return ledger


class TestWorkbookLayout:
    def test_leadership_ledger_is_attachment_1_with_its_rows(self, leadership):
        layout = LAYOUTS[LedgerKind.LEADERSHIP]
        sheet = book_of(ledger_workbook(ledgers=[leadership]))["涟源市"]

        assert sheet["A1"].value == "附件1"
        assert sheet["A2"].value == "领导班子整改落实工作台帐"
        assert sheet["A2"].font.b and sheet["A2"].font.sz == 16 and sheet["A2"].alignment.horizontal == "center"
        assert "A2:H2" in {str(r) for r in sheet.merged_cells.ranges}
        assert sheet["A3"].value == f"单位：涟源市{GAP}填报时间：2015年1月6日"
        assert values(sheet, 4) == layout.headings
        assert all(c.font.b and c.alignment.wrap_text and c.border.left.style for c in sheet[4])
        assert item_rows(sheet, layout) == [
            [1, "文山会海问题突出", "精简会议文件，压缩发文数量30%", "2015年3月31日", "吴海波、罗建华",
             "桥头河镇、石狮村", "发文数量下降35%", "建立长效机制"],
            [2, "公车私用", "公车集中停放", "立行立改", "吴海波", None, None, None],
            [3, "调查研究不深入", None, "长期坚持", None, None, None, None],
            [4, "=HYPERLINK(\"http://x\",\"点我\")", None, None, None, None, None, None],
        ]

    def test_the_notes_are_merged_under_the_table_word_for_word(self, leadership):
        layout = LAYOUTS[LedgerKind.LEADERSHIP]
        sheet = book_of(ledger_workbook(ledgers=[leadership]))["涟源市"]

        notes_row = 4 + 4 + 1
        assert sheet.cell(notes_row, 1).value == layout.notes
        assert f"A{notes_row}:H{notes_row}" in {str(r) for r in sheet.merged_cells.ranges}
        assert sheet.cell(notes_row, 1).alignment.wrap_text
        assert sheet.row_dimensions[notes_row].height >= 3 * 16  # three lines of 说明 at least

    def test_rows_are_as_tall_as_their_longest_wrapped_cell(self, lw, leadership):
        add(lw, leadership, "短", measures="严格控制会议数量和规模，全年会议数量减少30%以上；" * 4)

        sheet = book_of(ledger_workbook(ledgers=[leadership]))["涟源市"]

        one_line, long = sheet.row_dimensions[6].height, sheet.row_dimensions[9].height
        assert one_line <= 25  # 公车私用: every cell fits on one line
        assert long >= 5 * 14  # 100 characters in a column of 30: five lines or more
        assert long < 409

    def test_a_text_beginning_with_equals_stays_a_string(self, leadership):
        sheet = book_of(ledger_workbook(ledgers=[leadership]))["涟源市"]

        cell = sheet["B8"]
        assert cell.data_type == "s"
        assert cell.value.startswith("=HYPERLINK")

    def test_it_prints_on_a4_landscape_with_the_headings_on_every_page(self, leadership):
        sheet = book_of(ledger_workbook(ledgers=[leadership]))["涟源市"]

        assert sheet.page_setup.orientation == "landscape"
        assert int(sheet.page_setup.paperSize) == 9  # A4
        assert sheet.sheet_properties.pageSetUpPr.fitToPage
        # fitToWidth is left out when it is 1, Excel's default
        assert (int(sheet.page_setup.fitToWidth or 1), int(sheet.page_setup.fitToHeight)) == (1, 0)
        assert sheet.print_title_rows == "$4:$4"
        assert "&P" in sheet.oddFooter.center.text and "&N" in sheet.oddFooter.center.text
        assert sheet.page_margins.left == pytest.approx(1.5 / 2.54, abs=0.01)
        widths = [sheet.column_dimensions[c].width for c in "ABCDEFGH"]
        assert widths == pytest.approx([c.width for c in LAYOUTS[LedgerKind.LEADERSHIP].columns], abs=1)

    def test_the_fill_date_is_today_until_the_ledger_has_one(self, lw):
        sheet = book_of(ledger_workbook(ledgers=[lw.ledger], today=D(2015, 2, 5))).active

        assert sheet["A3"].value == f"单位：涟源市{GAP}填报时间：2015年2月5日"

    def test_personal_ledger_is_attachment_2_headed_by_name_and_post(self, lw):
        layout = LAYOUTS[LedgerKind.PERSONAL]
        ledger = services.ledger_open(actor=lw.office, campaign=lw.campaign, unit=lw.tree.lianyuan,
                                      kind=LedgerKind.PERSONAL, person=lw.leader_person)
        item = add(lw, ledger, "深入基层调研少", measures="每月下基层不少于5天")
        report(lw, item, "已下基层8天", next_steps="形成调研报告", on=D(2015, 1, 12))

        sheet = book_of(ledger_workbook(ledgers=[ledger], today=FILLED))["吴海波"]

        assert sheet["A1"].value == "附件2"
        assert sheet["A2"].value == "党员领导干部整改落实工作台帐"
        assert sheet["A3"].value == f"姓名：吴海波{GAP}职务：市委常委、组织部长{GAP}填报时间：2015年1月6日"
        assert values(sheet, 4) == layout.headings
        assert item_rows(sheet, layout) == [[1, "深入基层调研少", "每月下基层不少于5天", "已下基层8天", "形成调研报告"]]

    def test_special_ledger_is_attachment_3_with_the_task_as_its_project(self, lw):
        layout = LAYOUTS[LedgerKind.SPECIAL]
        task = services.special_task_create(actor=None, tier=TaskTier.CENTRAL, name="整治“文山会海”", order=1)
        ledger = services.ledger_open(actor=lw.office, campaign=lw.campaign, unit=lw.tree.lianyuan,
                                      kind=LedgerKind.SPECIAL)
        item = add(lw, ledger, "", special_task=task, measures="会议文件减少三分之一",
                   lead_leaders=[lw.head_person, lw.leader_person], responsible_units=[lw.tree.qiaotouhe])
        report(lw, item, "已清理文件42件", next_steps="月底前验收", on=D(2015, 1, 15))

        sheet = book_of(ledger_workbook(ledgers=[ledger], today=FILLED)).active

        assert (sheet["A1"].value, sheet["A2"].value) == ("附件3", "专项整治落实情况工作台帐")
        assert sheet["A3"].value == f"单位：涟源市{GAP}填报时间：2015年1月6日"
        assert values(sheet, 4) == layout.headings
        # The unit head first, as everywhere people of a unit are listed.
        assert item_rows(sheet, layout) == [
            [1, "整治“文山会海”", "会议文件减少三分之一", "张卫国、吴海波", "桥头河镇", "已清理文件42件", "月底前验收"]
        ]

    def test_institution_ledger_is_attachment_4_with_plain_category(self, lw):
        layout = LAYOUTS[LedgerKind.INSTITUTION]
        ledger = services.ledger_open(actor=lw.office, campaign=lw.campaign, unit=lw.tree.lianyuan,
                                      kind=LedgerKind.INSTITUTION)
        item = add(lw, ledger, "公务接待管理办法", category="厉行节约", institution_action=InstitutionAction.ESTABLISH,
                   deadline_mode=DeadlineMode.DATE, due_on=D(2015, 2, 28), lead_leaders=[lw.leader_person],
                   responsible_units=[lw.tree.lianyuan])
        report(lw, item, "办法已起草", strict_execution="接待费同比下降20%", next_steps="征求意见后印发",
               on=D(2015, 1, 18))

        sheet = book_of(ledger_workbook(ledgers=[ledger], today=FILLED)).active

        assert (sheet["A1"].value, sheet["A2"].value) == ("附件4", "制度建设任务落实工作台帐")
        assert values(sheet, 4) == layout.headings
        assert item_rows(sheet, layout) == [
            [1, "厉行节约", "公务接待管理办法", "2015年2月28日", "吴海波", "涟源市", "办法已起草", "接待费同比下降20%",
             "征求意见后印发"]
        ]
        assert sheet.cell(5 + 1, 1).value == layout.notes

    def test_the_export_shows_the_same_progress_as_the_ledger_screen(self, leadership):
        # given the entry the screens show (selectors.latest_progress)
        shown = {item.seq: selectors.latest_progress(item) for item in selectors.items_of_ledger(ledger=leadership)}

        # when the export reads every ledger's rows at once
        ((_, rows),) = ledger_rows(ledgers=[leadership])

        # then each row carries that same entry
        assert [r.progress for r in rows] == [shown[r.seq].progress if shown[r.seq] else "" for r in rows]
        assert [r.next_steps for r in rows] == [shown[r.seq].next_steps if shown[r.seq] else "" for r in rows]

    def test_sheet_names_follow_excels_rules(self):
        long = "娄底市涟源市桥头河镇石狮村党支部第一党小组活动办公室综合组" * 2
        names = sheet_names(["涟源市", "涟源市", "a/b:c?", long, long, "'引号'", "History"])

        assert names[:3] == ["涟源市", "涟源市(2)", "a_b_c_"]
        assert len(names[3]) == 31 and names[4].endswith("(2)") and len(names[4]) == 31
        assert names[5] == "引号"
        assert names[6] == "History(2)"


def _township(tree, name):
    return org_services.unit_create(actor=None, parent=tree.lianyuan, name=name, level=UnitLevel.TOWNSHIP,
                                    kind=UnitKind.PARTY_COMMITTEE, established_on=D(2013, 6, 18))


def _ledger_with_items(lw, unit, n=2):
    ledger = services.ledger_open(actor=None, campaign=lw.campaign, unit=unit, kind=LedgerKind.LEADERSHIP)
    leader = org_services.person_create(actor=None, unit=unit, name=f"{unit.name}书记", is_party_leader=True)
    for i in range(n):
        item = services.item_create(actor=None, ledger=ledger, problem=f"{unit.name}问题{i + 1}",
                                    lead_leaders=[leader], responsible_units=[unit])
        services.progress_add(actor=None, item=item, progress=f"{unit.name}进展{i + 1}", leader=leader,
                              reported_on=D(2015, 1, 10))
    return ledger


class TestSubtreeExport:
    def test_one_sheet_per_unit_in_tree_order_within_the_readers_scope(self, lw):
        # given ledgers of 涟源市, 桥头河镇, 石狮村 and, out of scope, 娄星区
        for unit in (lw.tree.shishi, lw.tree.lianyuan, lw.tree.qiaotouhe):
            _ledger_with_items(lw, unit)
        other = services.ledger_open(actor=None, campaign=lw.campaign, unit=lw.tree.louxing,
                                     kind=LedgerKind.LEADERSHIP)
        services.item_create(actor=None, ledger=other, problem="娄星区问题")

        # when the 活动办 of 涟源市 exports its subtree
        data = subtree_workbook(user=lw.office, campaign=lw.campaign, root_unit=lw.tree.lianyuan,
                                kind=LedgerKind.LEADERSHIP, today=FILLED)

        # then one sheet per unit, in tree order, each in the attachment's layout
        book = book_of(data)
        assert book.sheetnames == ["涟源市", "桥头河镇", "石狮村"]
        assert book["石狮村"]["A3"].value == f"单位：石狮村{GAP}填报时间：2015年1月6日"
        assert [r[1] for r in item_rows(book["桥头河镇"], LAYOUTS[LedgerKind.LEADERSHIP])] == [
            "桥头河镇问题1", "桥头河镇问题2"]
        assert [r[6] for r in item_rows(book["石狮村"], LAYOUTS[LedgerKind.LEADERSHIP])] == [
            "石狮村进展1", "石狮村进展2"]

    def test_a_root_outside_the_readers_scope_is_404(self, lw):
        with pytest.raises(Http404):
            subtree_workbook(user=lw.office, campaign=lw.campaign, root_unit=lw.tree.city,
                             kind=LedgerKind.LEADERSHIP)

    def test_without_ledgers_the_blank_attachment_comes_back(self, lw):
        book = book_of(subtree_workbook(user=lw.office, campaign=lw.campaign, root_unit=lw.tree.qiaotouhe,
                                        kind=LedgerKind.SPECIAL, today=FILLED))

        assert book.sheetnames == ["桥头河镇"]
        sheet = book.active
        assert values(sheet, 4) == LAYOUTS[LedgerKind.SPECIAL].headings
        assert sheet["A6"].value is None and sheet["A5"].value == LAYOUTS[LedgerKind.SPECIAL].notes

    def test_personal_ledgers_get_a_sheet_per_person(self, lw):
        for person in (lw.other_leader, lw.head_person):
            ledger = services.ledger_open(actor=None, campaign=lw.campaign, unit=lw.tree.lianyuan,
                                          kind=LedgerKind.PERSONAL, person=person)
            services.item_create(actor=None, ledger=ledger, problem=f"{person.name}的问题")

        book = book_of(subtree_workbook(user=lw.office, campaign=lw.campaign, root_unit=lw.tree.lianyuan,
                                        kind=LedgerKind.PERSONAL))

        assert book.sheetnames == ["张卫国", "罗建华"]  # the unit head first

    def test_the_query_count_does_not_grow_with_units(self, lw, django_assert_max_num_queries):
        # given 3 units with ledgers
        for unit in (lw.tree.lianyuan, lw.tree.qiaotouhe, lw.tree.shishi):
            _ledger_with_items(lw, unit)

        def export_counting() -> int:
            user = get_user_model().objects.get(pk=lw.office.pk)  # no cached scopes
            with CaptureQueriesContext(connection) as queries:
                subtree_workbook(user=user, campaign=lw.campaign, root_unit=lw.tree.lianyuan,
                                 kind=LedgerKind.LEADERSHIP)
            return len(queries)

        # 11: the login, its grants, the ledgers, the units leading linked items without a ledger (上下联动), and the
        # rows' seven
        with django_assert_max_num_queries(11):
            three = export_counting()

        # when 7 more units get ledgers, with more items each
        for i in range(7):
            _ledger_with_items(lw, _township(lw.tree, f"第{i + 1}镇"), n=3)

        # then the export of 10 units takes the same queries
        with django_assert_max_num_queries(11):
            ten = export_counting()
        assert ten == three
        assert len(book_of(subtree_workbook(user=lw.office, campaign=lw.campaign, root_unit=lw.tree.lianyuan,
                                            kind=LedgerKind.LEADERSHIP)).sheetnames) == 10


class TestWordDocument:
    def test_document_is_landscape_with_title_and_a_repeating_heading_row(self, leadership):
        layout = LAYOUTS[LedgerKind.LEADERSHIP]
        document = docx.Document(io.BytesIO(ledger_document(ledger=leadership)))

        section = document.sections[0]
        assert section.orientation == WD_ORIENT.LANDSCAPE
        assert section.page_width > section.page_height
        texts = [p.text for p in document.paragraphs]
        assert texts[:3] == ["附件1", "领导班子整改落实工作台帐", f"单位：涟源市{GAP}填报时间：2015年1月6日"]
        title = document.paragraphs[1]
        assert title.alignment == 1 and title.runs[0].bold  # centred
        assert title.runs[0]._r.rPr.rFonts.get(qn("w:eastAsia")) == "宋体"
        assert texts[-1] == layout.notes

        table = document.tables[0]
        heading = table.rows[0]
        assert heading._tr.trPr.find(qn("w:tblHeader")) is not None
        assert [c.text for c in heading.cells] == layout.headings
        assert [c.text for c in table.rows[1].cells] == [
            "1", "文山会海问题突出", "精简会议文件，压缩发文数量30%", "2015年3月31日", "吴海波、罗建华",
            "桥头河镇、石狮村", "发文数量下降35%", "建立长效机制"]
        assert [c.text for c in table.rows[2].cells][3] == "立行立改"
        assert len(table.rows) == 1 + 4


class TestWebDownloads:
    def test_a_ledger_downloads_as_xlsx_named_for_the_unit_and_is_logged(self, client, lw, leadership):
        client.force_login(lw.leader)

        response = client.get(f"/ledgers/{leadership.pk}/export/", {"format": "xlsx"})

        assert response.status_code == 200
        assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        encoded = response["Content-Disposition"].split("filename*=UTF-8''")[1]
        assert unquote(encoded) == "领导班子整改落实工作台帐-涟源市.xlsx"
        assert book_of(response.content)["涟源市"]["A2"].value == "领导班子整改落实工作台帐"
        event = SecurityEvent.objects.get(kind=SecurityEventKind.EXPORT)
        assert event.user == lw.leader
        assert event.detail["ledgers"] == [leadership.pk] and event.detail["rows"] == 4
        assert event.detail["format"] == "xlsx"

    def test_a_ledger_downloads_as_docx(self, client, lw, leadership):
        client.force_login(lw.office)

        response = client.get(f"/ledgers/{leadership.pk}/export/", {"format": "docx"})

        assert response.status_code == 200
        assert "wordprocessingml" in response["Content-Type"]
        assert unquote(response["Content-Disposition"]).endswith("领导班子整改落实工作台帐-涟源市.docx")
        assert docx.Document(io.BytesIO(response.content)).tables[0].rows[1].cells[1].text == "文山会海问题突出"

    def test_a_ledger_out_of_scope_is_404_and_not_logged_as_an_export(self, client, lw, make_user):
        other = services.ledger_open(actor=None, campaign=lw.campaign, unit=lw.tree.louxing,
                                     kind=LedgerKind.LEADERSHIP)
        client.force_login(lw.office)

        assert client.get(f"/ledgers/{other.pk}/export/").status_code == 404
        assert client.get("/ledgers/999999/export/").status_code == 404
        client.force_login(make_user(Role.SYSTEM_ADMIN, lw.tree.lianyuan))
        assert client.get(f"/ledgers/{lw.ledger.pk}/export/").status_code == 404
        assert not SecurityEvent.objects.filter(kind=SecurityEventKind.EXPORT).exists()

    def test_unknown_format_is_refused(self, client, lw):
        client.force_login(lw.office)

        assert client.get(f"/ledgers/{lw.ledger.pk}/export/", {"format": "pdf"}).status_code == 400

    def test_the_subtree_downloads_and_is_logged_with_unit_and_kind(self, client, lw, leadership):
        _ledger_with_items(lw, lw.tree.qiaotouhe)
        client.force_login(lw.head)

        response = client.get("/ledgers/export/", {"campaign": lw.campaign.pk, "unit": lw.tree.lianyuan.pk,
                                                   "kind": "leadership"})

        assert response.status_code == 200
        assert unquote(response["Content-Disposition"]).endswith("领导班子整改落实工作台帐-涟源市及下级单位.xlsx")
        assert book_of(response.content).sheetnames == ["涟源市", "桥头河镇"]
        detail = SecurityEvent.objects.get(kind=SecurityEventKind.EXPORT).detail
        assert (detail["unit"], detail["kind"], detail["ledgers"], detail["rows"]) == (
            "娄底市/涟源市", "leadership", 2, 6)

    def test_the_subtree_of_a_unit_out_of_scope_is_404(self, client, lw):
        client.force_login(lw.office)
        query = {"campaign": lw.campaign.pk, "kind": "leadership"}

        assert client.get("/ledgers/export/", query | {"unit": lw.tree.louxing.pk}).status_code == 404
        assert client.get("/ledgers/export/", query | {"unit": "x"}).status_code == 404
        assert client.get("/ledgers/export/", query | {"unit": lw.tree.lianyuan.pk, "kind": "x"}).status_code == 400
        assert not SecurityEvent.objects.filter(kind=SecurityEventKind.EXPORT).exists()


class TestCommand:
    def test_export_ledger_writes_the_unit_ledger_by_its_chinese_name(self, lw, leadership, tmp_path):
        path = tmp_path / "台帐.xlsx"
        out = io.StringIO()

        call_command("export-ledger", "--as", "office", "--campaign", "回头看", "--unit", "娄底市/涟源市", "--kind",
                     "领导班子整改落实工作台帐", "-o", str(path), stdout=out)

        assert "4 项" in out.getvalue()
        assert book_of(path.read_bytes())["涟源市"]["A1"].value == "附件1"
        event = SecurityEvent.objects.get(kind=SecurityEventKind.EXPORT)
        assert event.username == "office" and event.detail["rows"] == 4

    def test_export_ledger_writes_a_persons_ledger_as_docx(self, lw, tmp_path):
        ledger = services.ledger_open(actor=None, campaign=lw.campaign, unit=lw.tree.lianyuan,
                                      kind=LedgerKind.PERSONAL, person=lw.leader_person)
        services.item_create(actor=None, ledger=ledger, problem="深入基层调研少")
        path = tmp_path / "个人.docx"

        call_command("export-ledger", "--as", "office", "--campaign", "回头看", "--unit", "涟源市", "--kind", "personal",
                     "--person", "吴海波", "-o", str(path), stdout=io.StringIO())

        document = docx.Document(str(path))
        assert document.paragraphs[1].text == "党员领导干部整改落实工作台帐"
        assert document.tables[0].rows[1].cells[1].text == "深入基层调研少"

    def test_export_ledger_subtree_has_a_sheet_per_unit(self, lw, leadership, tmp_path):
        _ledger_with_items(lw, lw.tree.shishi)
        path = tmp_path / "全部.xlsx"

        call_command("export-ledger", "--as", "office", "--campaign", "回头看", "--unit", "涟源市", "--kind", "leadership",
                     "--subtree", "-o", str(path), stdout=io.StringIO())

        assert book_of(path.read_bytes()).sheetnames == ["涟源市", "石狮村"]

    def test_export_ledger_explains_what_is_missing(self, lw, tmp_path):
        path = str(tmp_path / "x.xlsx")
        with pytest.raises(CommandError, match="没有 娄底市/涟源市/桥头河镇 的专项整治落实情况工作台帐"):
            call_command("export-ledger", "--as", "office", "--campaign", "回头看", "--unit", "桥头河镇", "--kind", "special", "-o", path)
        with pytest.raises(CommandError, match="--person"):
            call_command("export-ledger", "--as", "office", "--campaign", "回头看", "--unit", "涟源市", "--kind", "附件2", "-o", path)
        with pytest.raises(CommandError, match="台账类型“年报”不正确"):
            call_command("export-ledger", "--as", "office", "--campaign", "回头看", "--unit", "涟源市", "--kind", "年报", "-o", path)
        with pytest.raises(CommandError, match="没有名为“无此活动”的活动"):
            call_command("export-ledger", "--as", "office", "--campaign", "无此活动", "--unit", "涟源市", "--kind", "special",
                         "-o", path)


@given(st.lists(st.one_of(st.integers(1, 999), st.text(alphabet="问题整改ab1\n ，", max_size=120)),
                min_size=8, max_size=8))
def test_the_fast_row_height_is_the_row_height(values):
    widths = [c.width for c in LAYOUTS[LedgerKind.LEADERSHIP].columns]
    one_line = [exports._one_line_max(w) for w in widths]
    texts = [v if isinstance(v, str) else "" for v in values]
    assert exports._row_height_fast(values, widths, one_line) == exports.row_height(texts, widths)
