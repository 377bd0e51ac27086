"""Importing the unit tree from xlsx and CSV: all rows checked first, then all or nothing."""

from __future__ import annotations

import csv
import datetime as dt
import io

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from huitoukan.access.models import Role
from huitoukan.audit.models import SecurityEvent, SecurityEventKind
from huitoukan.orgs import services as org_services
from huitoukan.orgs.models import Batch, Unit, UnitKind, UnitLevel
from huitoukan.orgs.unit_import import ImportIssueCode, unit_import
from huitoukan.spreadsheets import FileIssueCode, RowAction, SheetIssueCode

HEADINGS = ["上级单位", "单位名称", "层级", "类型", "批次", "成立日期"]

# Three new units under 涟源市, the third under the second (named by an earlier row).
GOOD_ROWS = [
    ["娄底市/涟源市", "新民乡", "乡镇", "党委", "第二批", dt.date(2014, 1, 2)],
    ["涟源市", "龙塘镇", "乡镇街道", "党委", "", ""],
    ["娄底市/涟源市/龙塘镇", "龙塘村", "村", "基层党组织", "", "2014-03-05"],
]


def xlsx_bytes(rows, *, headings=HEADINGS, title: str | None = "涟源市组织树导入表") -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    if title is not None:
        sheet.append([title])
    sheet.append(headings)
    for row in rows:
        sheet.append([None if value == "" else value for value in row])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def csv_text(rows, *, headings=HEADINGS) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(headings)
    writer.writerows([v.isoformat() if isinstance(v, dt.date) else v for v in row] for row in rows)
    return out.getvalue()


def unit(full_name: str) -> Unit:
    return Unit.objects.get(full_name=full_name, abolished_on__isnull=True)


def messages_of(result) -> list[str]:
    return [str(issue) for issue in result.errors]


@pytest.mark.django_db
class TestGoodFiles:
    def test_xlsx_with_title_row_creates_units_with_history(self, tree):
        # given a workbook with a title row, aliases, a date cell, and a parent made by an earlier row
        data = xlsx_bytes(GOOD_ROWS)

        # when it is imported from the command line
        result = unit_import(actor=None, data=data, filename="组织树.xlsx")

        # then all three units exist under 涟源市, each with its 成立 history row
        assert result.ok, messages_of(result)
        assert (result.created, result.updated, result.unchanged) == (3, 0, 0)
        xinmin = unit("娄底市/涟源市/新民乡")
        assert (xinmin.level, xinmin.kind, xinmin.batch) == (UnitLevel.TOWNSHIP, UnitKind.PARTY_COMMITTEE, Batch.SECOND)
        assert xinmin.established_on == dt.date(2014, 1, 2)
        village = unit("娄底市/涟源市/龙塘镇/龙塘村")
        assert village.level == UnitLevel.VILLAGE and village.established_on == dt.date(2014, 3, 5)
        assert Unit.objects.get_parent(village).full_name == "娄底市/涟源市/龙塘镇"
        for u in (xinmin, village):
            assert [h.history_change_reason for h in u.history.all()] == ["成立"]
        # and the plan names the spreadsheet rows (title row 1, headings row 2)
        assert [r.row for r in result.rows] == [3, 4, 5]

    def test_utf8_csv_with_bom_creates_units(self, tree):
        # given a CSV as Excel writes "CSV UTF-8", columns in another order
        headings = ["单位名称", "类型", "上级单位", "层级"]
        rows = [["新民乡", "党委", "娄底市/涟源市", "乡镇街道"]]
        data = ("\ufeff" + csv_text(rows, headings=headings)).encode("utf-8")

        # when imported
        result = unit_import(actor=None, data=data, filename="units.csv")

        # then the unit is created with its history
        assert result.ok, messages_of(result)
        assert unit("娄底市/涟源市/新民乡").history.count() == 1

    def test_gb18030_csv_from_chinese_excel_is_read(self, tree):
        # given a CSV in the encoding Chinese Excel and WPS save plain CSV in
        data = csv_text(GOOD_ROWS[:2]).encode("gb18030")

        # when imported
        result = unit_import(actor=None, data=data, filename="组织树.csv")

        # then the Chinese names arrive intact
        assert result.ok, messages_of(result)
        assert unit("娄底市/涟源市/龙塘镇").level == UnitLevel.TOWNSHIP

    def test_tab_separated_utf16_text_from_excel_is_read(self, tree):
        # given Excel's "Unicode text": UTF-16 with a BOM, tab-separated
        data = csv_text(GOOD_ROWS[:1]).replace(",", "\t").encode("utf-16")

        result = unit_import(actor=None, data=data, filename="组织树.txt")

        assert result.ok, messages_of(result)
        assert unit("娄底市/涟源市/新民乡").batch == Batch.SECOND

    def test_reimporting_the_same_file_changes_nothing(self, tree):
        # given a file already imported once
        data = xlsx_bytes(GOOD_ROWS)
        assert unit_import(actor=None, data=data, filename="a.xlsx").created == 3
        units_before = Unit.objects.count()
        history_before = Unit.history.count()

        # when it is imported again
        result = unit_import(actor=None, data=data, filename="a.xlsx")

        # then every row is unchanged and nothing was written
        assert result.ok, messages_of(result)
        assert (result.created, result.updated, result.unchanged) == (0, 0, 3)
        assert Unit.objects.count() == units_before
        assert Unit.history.count() == history_before

    def test_same_name_with_another_level_updates_the_unit(self, tree):
        # given 市教育局 (市, 机关单位) listed as a 党组
        data = xlsx_bytes([["娄底市", "市教育局", "市", "党组", "", "2013-06-18"]])

        # when imported
        result = unit_import(actor=None, data=data, filename="a.xlsx")

        # then it is updated in place, with a history row
        assert result.ok, messages_of(result)
        assert (result.created, result.updated) == (0, 1)
        assert result.rows[0].changes == ["类型：机关单位 → 党组"]
        assert unit("娄底市/市教育局").kind == UnitKind.PARTY_GROUP
        assert tree.education.history.count() == 2

    def test_dry_run_plans_but_writes_nothing(self, tree):
        # given a good file
        data = xlsx_bytes(GOOD_ROWS)
        history_before = Unit.history.count()

        # when checked with dry_run
        result = unit_import(actor=None, data=data, filename="a.xlsx", dry_run=True)

        # then the plan is there but the tree is as it was
        assert result.ok and not result.committed
        assert [r.action for r in result.rows] == [RowAction.CREATE] * 3
        assert not Unit.objects.filter(name="新民乡").exists()
        assert Unit.history.count() == history_before

    def test_top_unit_is_created_from_the_command_line(self, db):
        # given an empty tree and a file whose first row has no parent
        data = xlsx_bytes([["", "娄底市", "市", "党委", "第一批", ""], ["娄底市", "涟源市", "县(市、区)", "党委", "", ""]])

        # when imported by the command line (actor None)
        result = unit_import(actor=None, data=data, filename="a.xlsx")

        # then the top unit and its child exist
        assert result.ok, messages_of(result)
        assert unit("娄底市/涟源市").level == UnitLevel.COUNTY


@pytest.mark.django_db
class TestBadFiles:
    def test_several_bad_rows_are_each_reported_and_nothing_is_written(self, tree):
        # given a file whose rows 3, 5 and 6 are wrong in different columns, row 4 good
        data = xlsx_bytes([
            ["娄底市/涟源市", "", "乡镇", "党委", "", ""],
            ["娄底市/涟源市", "好镇", "乡镇", "党委", "", ""],
            ["娄底市/涟源市", "坏镇", "小组", "委员会", "第三批", "去年"],
            ["娄底市/涟源市", "甲/乙", "乡镇", "党委", "", ""],
        ])
        units_before = Unit.objects.count()
        history_before = Unit.history.count()

        # when imported
        result = unit_import(actor=None, data=data, filename="a.xlsx")

        # then each problem names its row and column, and nothing was written
        assert not result.ok and not result.committed
        errors = messages_of(result)
        assert errors[0] == "第3行 单位名称: 不能为空。"
        assert errors[1].startswith("第5行 层级: 无法识别“小组”，应为：中央、省、市、县、乡镇街道、村社区")
        assert errors[2].startswith("第5行 类型: 无法识别“委员会”")
        assert errors[3].startswith("第5行 批次: 无法识别“第三批”")
        assert errors[4] == "第5行 成立日期: 无法识别的日期“去年”，请写成 2013-06-18 的形式。"
        assert errors[5].startswith("第6行 单位名称: 不能包含“/”")
        assert len(errors) == 6
        assert Unit.objects.count() == units_before
        assert Unit.history.count() == history_before

    def test_a_bad_row_still_has_its_parent_checked_and_serves_as_a_parent(self, tree):
        # given a new unit with a bad kind and an unknown parent, and a good child below it
        data = xlsx_bytes([
            ["娄底市/双峰县", "新镇", "乡镇", "委员会", "", ""],
            ["娄底市/涟源市", "龙塘镇", "乡镇", "委员会", "", ""],
            ["娄底市/涟源市/龙塘镇", "龙塘村", "村", "基层党组织", "", ""],
            ["娄底市/双峰县/新镇", "新村", "村", "基层党组织", "", ""],
        ])

        # when imported
        result = unit_import(actor=None, data=data, filename="a.xlsx")

        # then both problems of row 3 and the one of row 4 are reported; rows 5 and 6 are not blamed
        assert [(e.row, e.field) for e in result.errors] == [(3, "上级单位"), (3, "类型"), (4, "类型")]

    def test_duplicate_heading_is_reported(self, tree):
        data = xlsx_bytes([], headings=["上级单位", "单位名称", "层级", "类型", "层级"])

        result = unit_import(actor=None, data=data, filename="a.xlsx")

        assert [str(e) for e in result.errors] == ["第2行 层级: 列“层级”出现了不止一次。"]

    def test_unknown_parent_is_a_row_error(self, tree):
        # given a row under a unit that does not exist
        data = xlsx_bytes([["娄底市/双峰县", "青树坪镇", "乡镇", "党委", "", ""]])

        # when imported
        result = unit_import(actor=None, data=data, filename="a.xlsx")

        # then the parent column of row 3 says so
        assert messages_of(result) == ["第3行 上级单位: 上级单位“娄底市/双峰县”不存在或不在权限范围内。"]
        assert not Unit.objects.filter(name="青树坪镇").exists()

    def test_ambiguous_parent_lists_the_candidates(self, tree):
        # given two units called 新村, one under 桥头河镇 and one under 乐坪街道
        for parent in (tree.qiaotouhe, tree.leping):
            org_services.unit_create(actor=None, parent=parent, name="新村", level=UnitLevel.VILLAGE,
                                     kind=UnitKind.GRASSROOTS)
        data = xlsx_bytes([["新村", "一组", "村", "基层党组织", "", ""]])

        # when a row names 新村 alone as its parent
        result = unit_import(actor=None, data=data, filename="a.xlsx")

        # then the error lists both full paths
        [issue] = result.errors
        assert (issue.row, issue.field, issue.code) == (3, "上级单位", ImportIssueCode.PARENT_AMBIGUOUS)
        assert "娄底市/涟源市/桥头河镇/新村" in issue.message
        assert "娄底市/娄星区/乐坪街道/新村" in issue.message

    def test_level_above_the_parent_is_rejected(self, tree):
        # given a 县 under the 乡镇 桥头河镇
        data = xlsx_bytes([["娄底市/涟源市/桥头河镇", "某县", "县", "党委", "", ""]])

        # when imported
        result = unit_import(actor=None, data=data, filename="a.xlsx")

        # then
        assert messages_of(result) == [
            "第3行 层级: 层级“县”不能高于上级单位“娄底市/涟源市/桥头河镇”的层级“乡镇街道”。"
        ]

    def test_level_above_a_parent_made_in_the_same_file_is_rejected(self, tree):
        # given a new 村 and below it a 乡镇
        data = xlsx_bytes([
            ["娄底市/涟源市/桥头河镇", "新村", "村", "基层党组织", "", ""],
            ["娄底市/涟源市/桥头河镇/新村", "某镇", "乡镇", "党委", "", ""],
        ])

        # when imported
        result = unit_import(actor=None, data=data, filename="a.xlsx")

        # then row 4 is refused
        assert [(e.row, e.field) for e in result.errors] == [(4, "层级")]
        assert not Unit.objects.filter(name="新村").exists()

    def test_duplicate_name_under_one_parent_in_the_file_is_rejected(self, tree):
        # given the same new unit twice, once by path and once by unique name of the parent
        data = xlsx_bytes([
            ["娄底市/涟源市", "新民乡", "乡镇", "党委", "", ""],
            ["涟源市", "新民乡", "乡镇", "党委", "", ""],
        ])

        # when imported
        result = unit_import(actor=None, data=data, filename="a.xlsx")

        # then the second is reported against the first
        assert messages_of(result) == ["第4行 单位名称: 与第3行重复：同一上级单位下不能有两个“新民乡”。"]
        assert not Unit.objects.filter(name="新民乡").exists()

    def test_missing_required_column_is_one_error_naming_it(self, tree):
        # given a file without the 类型 column
        data = xlsx_bytes([["娄底市/涟源市", "新民乡", "乡镇"]], headings=["上级单位", "单位名称", "层级"])

        # when imported
        result = unit_import(actor=None, data=data, filename="a.xlsx")

        # then exactly one error, naming the column
        [issue] = result.errors
        assert issue.field == "类型" and issue.code == SheetIssueCode.COLUMN_MISSING
        assert "缺少必需的列“类型”" in str(issue)

    def test_png_named_xlsx_is_rejected(self, tree):
        # given an image's bytes under an xlsx name
        png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"

        # when imported
        result = unit_import(actor=None, data=png, filename="组织树.xlsx")

        # then the file is refused as a whole
        [issue] = result.errors
        assert issue.row is None and issue.code == FileIssueCode.FILE_NOT_XLSX

    def test_other_file_types_are_rejected(self, tree):
        result = unit_import(actor=None, data=b"%PDF-1.4", filename="组织树.pdf")

        assert [e.code for e in result.errors] == [FileIssueCode.FILE_TYPE]

    def test_empty_file_is_rejected(self, tree):
        result = unit_import(actor=None, data=b"", filename="组织树.csv")

        assert [e.code for e in result.errors] == [FileIssueCode.FILE_EMPTY]

    def test_file_over_the_size_limit_is_rejected(self, tree, settings):
        # given a limit of 1 KB and a larger file
        settings.UNIT_IMPORT_MAX_BYTES = 1024
        data = csv_text([["娄底市/涟源市", f"新单位{i}", "乡镇", "党委", "", ""] for i in range(100)]).encode()
        assert len(data) > 1024

        # when imported
        result = unit_import(actor=None, data=data, filename="a.csv")

        # then refused without reading a row
        assert [e.code for e in result.errors] == [FileIssueCode.FILE_TOO_LARGE]
        assert "1 KB" in str(result.errors[0])
        assert not Unit.objects.filter(name="新单位0").exists()


@pytest.mark.django_db
class TestScope:
    def test_admin_of_lianyuan_cannot_import_under_louxing(self, tree, make_user):
        # given a system administrator of 涟源市
        admin = make_user(Role.SYSTEM_ADMIN, tree.lianyuan)
        data = xlsx_bytes([
            ["娄底市/涟源市", "新民乡", "乡镇", "党委", "", ""],
            ["娄底市/娄星区", "新街道", "乡镇", "党委", "", ""],
        ])

        # when they import a row under 娄星区
        result = unit_import(actor=admin, data=data, filename="a.xlsx")

        # then that row is refused in the words used for a unit that does not exist, and nothing is written
        assert messages_of(result) == ["第4行 上级单位: 上级单位“娄底市/娄星区”不存在或不在权限范围内。"]
        assert not Unit.objects.filter(name__in=["新民乡", "新街道"]).exists()

    def test_admin_of_lianyuan_imports_under_lianyuan(self, tree, make_user):
        # given the same administrator and rows inside their scope
        admin = make_user(Role.SYSTEM_ADMIN, tree.lianyuan)

        # when imported
        result = unit_import(actor=admin, data=xlsx_bytes(GOOD_ROWS), filename="a.xlsx")

        # then written, with the administrator in the history
        assert result.ok, messages_of(result)
        assert unit("娄底市/涟源市/新民乡").history.get().history_user == admin

    def test_only_the_command_line_adds_top_units(self, tree, make_user):
        # given an administrator of the top unit
        admin = make_user(Role.SYSTEM_ADMIN, tree.city)
        data = xlsx_bytes([["", "邵阳市", "市", "党委", "", ""]])

        # when they import a row without a parent
        result = unit_import(actor=admin, data=data, filename="a.xlsx")

        # then it is refused
        assert [(e.row, e.code) for e in result.errors] == [(3, ImportIssueCode.TOP_UNIT_CLI_ONLY)]


@pytest.mark.django_db
class TestCommand:
    @pytest.fixture(autouse=True)
    def operator(self, make_user):
        return make_user(username="ops")

    def test_bad_file_exits_with_2_and_prints_each_row_error(self, tree, tmp_path):
        # given a file with two bad rows
        path = tmp_path / "组织树.xlsx"
        path.write_bytes(xlsx_bytes([
            ["娄底市/双峰县", "青树坪镇", "乡镇", "党委", "", ""],
            ["娄底市/涟源市", "新民乡", "小组", "党委", "", ""],
        ]))
        err = io.StringIO()

        # when the command runs
        with pytest.raises(CommandError) as raised:
            call_command("import-units", str(path), "--as", "ops", stderr=err, stdout=io.StringIO())

        # then exit status 2, each problem on its own line, nothing written
        assert raised.value.returncode == 2
        lines = err.getvalue().splitlines()
        assert lines[0] == "第3行 上级单位: 上级单位“娄底市/双峰县”不存在或不在权限范围内。"
        assert lines[1].startswith("第4行 层级: 无法识别“小组”")
        assert not Unit.objects.filter(name__in=["青树坪镇", "新民乡"]).exists()

    def test_a_file_with_headings_and_no_rows_exits_with_2_naming_the_problem(self, tree, tmp_path):
        # given an xlsx with its title and headings and nothing under them
        path = tmp_path / "组织树.xlsx"
        path.write_bytes(xlsx_bytes([]))
        err = io.StringIO()

        # when the command runs
        with pytest.raises(CommandError) as raised:
            call_command("import-units", str(path), "--as", "ops", stderr=err, stdout=io.StringIO())

        # then it exits with 2 (a CommandError: one line, no traceback) and says what the file lacks
        assert raised.value.returncode == 2
        assert err.getvalue().splitlines() == ["文件: 表头下面没有单位数据。"]

    def test_dry_run_lists_the_rows_and_writes_nothing(self, tree, tmp_path):
        path = tmp_path / "a.csv"
        path.write_text(csv_text(GOOD_ROWS), encoding="utf-8-sig")
        out = io.StringIO()

        call_command("import-units", str(path), "--dry-run", "--as", "ops", stdout=out)

        text = out.getvalue()
        assert "第2行 新增 娄底市/涟源市/新民乡（乡镇街道，党委）" in text
        assert "将新增 3 个单位，修改 0 个，0 个不变" in text
        assert not Unit.objects.filter(name="新民乡").exists()
        assert not SecurityEvent.objects.filter(kind=SecurityEventKind.IMPORT).exists()

    def test_import_writes_and_records_a_security_event(self, tree, tmp_path, operator):
        path = tmp_path / "a.xlsx"
        path.write_bytes(xlsx_bytes(GOOD_ROWS))
        out = io.StringIO()

        call_command("import-units", str(path), "--as", "ops", stdout=out)

        assert "已导入 a.xlsx：新增 3 个单位" in out.getvalue()
        assert unit("娄底市/涟源市/龙塘镇/龙塘村").history.get().history_user == operator
        event = SecurityEvent.objects.get(kind=SecurityEventKind.IMPORT)
        assert (event.user, event.username) == (operator, "ops")
        assert (event.detail["filename"], event.detail["created"]) == ("a.xlsx", 3)

    def test_the_command_adds_top_units_as_the_server_operator(self, tree, tmp_path, operator):
        path = tmp_path / "top.csv"
        path.write_text(csv_text([["", "邵阳市", "市", "党委", "", ""]]), encoding="utf-8-sig")
        call_command("import-units", str(path), "--as", "ops", stdout=io.StringIO())
        assert unit("邵阳市").depth == 1

    def test_without_a_named_login_nothing_is_imported(self, tree, tmp_path, settings):
        settings.OPERATOR = ""
        path = tmp_path / "a.csv"
        path.write_text(csv_text(GOOD_ROWS), encoding="utf-8-sig")
        with pytest.raises(CommandError) as err:
            call_command("import-units", str(path), stdout=io.StringIO())
        assert "--as" in str(err.value) and not Unit.objects.filter(name="新民乡").exists()


@pytest.mark.django_db
class TestWebImport:
    @pytest.fixture(autouse=True)
    def _uploads_in_tmp(self, settings, tmp_path):
        # Previewed uploads wait under VAR_DIR; keep the tests' ones out of the real one.
        settings.VAR_DIR = tmp_path

    def test_preview_then_confirm_imports_the_file(self, client, tree, make_user, settings):
        # given an administrator of 涟源市 who uploads a good file
        admin = make_user(Role.SYSTEM_ADMIN, tree.lianyuan)
        client.force_login(admin)
        upload = io.BytesIO(xlsx_bytes(GOOD_ROWS))
        upload.name = "组织树.xlsx"

        # when the upload is previewed
        response = client.post(reverse("unit-import"), {"file": upload})

        # then the preview lists the rows to add, and nothing is written yet
        assert response.status_code == 200
        page = response.content.decode()
        assert "新民乡" in page and "新增" in page and "确认导入" in page
        assert not Unit.objects.filter(name="新民乡").exists()
        token = response.context["token"]

        # when confirmed in a new request
        response = client.post(reverse("unit-import"), {"token": token})

        # then the units are written, the waiting upload is gone, the log has the import, and
        # the list shows the counts
        assert response.status_code == 302 and response.url == reverse("unit-list")
        assert not list((settings.VAR_DIR / "uploads" / "unit-import").iterdir())
        assert unit("娄底市/涟源市/龙塘镇/龙塘村").history.get().history_user == admin
        event = SecurityEvent.objects.get(kind=SecurityEventKind.IMPORT)
        assert event.user == admin and event.detail["created"] == 3
        page = client.get(response.url).content.decode()
        assert "新增 3 个单位" in page

    def test_preview_shows_the_errors_and_no_confirm_button(self, client, tree, make_user):
        client.force_login(make_user(Role.SYSTEM_ADMIN, tree.lianyuan))
        upload = io.BytesIO(xlsx_bytes([["娄底市/娄星区", "新街道", "乡镇", "党委", "", ""]]))
        upload.name = "a.xlsx"

        response = client.post(reverse("unit-import"), {"file": upload})

        page = response.content.decode()
        assert "第3行 上级单位: 上级单位“娄底市/娄星区”不存在或不在权限范围内。" in page
        assert "确认导入" not in page

    def test_a_file_with_headings_and_no_rows_is_refused_on_the_page(self, client, tree, make_user):
        client.force_login(make_user(Role.SYSTEM_ADMIN, tree.lianyuan))
        upload = io.BytesIO(xlsx_bytes([]))
        upload.name = "组织树.xlsx"

        response = client.post(reverse("unit-import"), {"file": upload})

        assert response.status_code == 200
        page = response.content.decode()
        assert "文件: 表头下面没有单位数据。" in page and "确认导入" not in page

    def test_another_users_token_does_not_import(self, client, tree, make_user):
        # given one administrator previewed a file
        client.force_login(make_user(Role.SYSTEM_ADMIN, tree.lianyuan))
        upload = io.BytesIO(xlsx_bytes(GOOD_ROWS))
        upload.name = "a.xlsx"
        token = client.post(reverse("unit-import"), {"file": upload}).context["token"]

        # when another administrator posts that token
        client.force_login(make_user(Role.SYSTEM_ADMIN, tree.lianyuan))
        response = client.post(reverse("unit-import"), {"token": token})

        # then nothing is imported
        assert response.status_code == 302 and response.url == reverse("unit-import")
        assert not Unit.objects.filter(name="新民乡").exists()

    def test_upload_form_is_shown_to_a_unit_manager(self, client, tree, make_user):
        client.force_login(make_user(Role.SYSTEM_ADMIN, tree.lianyuan))

        response = client.get(reverse("unit-import"))

        assert response.status_code == 200
        page = response.content.decode()
        assert 'type="file"' in page and "csrfmiddlewaretoken" in page

    def test_a_reader_without_unit_manage_gets_403(self, client, tree, make_user):
        client.force_login(make_user(Role.CAMPAIGN_OFFICE, tree.lianyuan))

        assert client.get(reverse("unit-import")).status_code == 403


@pytest.mark.django_db
def test_a_file_with_headings_and_no_rows_says_so(tree):
    result = unit_import(actor=None, data=xlsx_bytes([]), filename="组织树.xlsx")
    assert [i.code for i in result.errors] == [SheetIssueCode.NO_ROWS]
    assert "表头下面没有单位数据" in messages_of(result)[0]
