"""Exporting the unit tree: the import's own format, scoped, logged, and re-importable as a no-op."""

from __future__ import annotations

import csv
import datetime as dt
import io
from urllib.parse import unquote

import openpyxl
import pytest
from django.core.management import call_command
from django.urls import reverse

from huitoukan.access.models import Role
from huitoukan.audit.models import SecurityEvent, SecurityEventKind
from huitoukan.orgs import services as org_services
from huitoukan.orgs.models import Unit, UnitKind, UnitLevel
from huitoukan.orgs.unit_export import HEADINGS, unit_export
from huitoukan.orgs.unit_import import unit_import

ON = dt.date(2013, 6, 18)


def xlsx_rows(data: bytes) -> list[list]:
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def csv_rows(data: bytes) -> list[list]:
    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


@pytest.mark.django_db
class TestExportFile:
    def test_xlsx_has_a_bold_frozen_heading_and_the_subtree_in_tree_order(self, tree):
        # when 涟源市 is exported
        data = unit_export(user_or_none=None, root=tree.lianyuan, fmt="xlsx")

        # then the heading row is bold and frozen, and the rows follow the tree from 涟源市 down
        book = openpyxl.load_workbook(io.BytesIO(data))
        sheet = book.active
        assert sheet.freeze_panes == "A2"
        assert all(cell.font.b for cell in sheet[1])
        assert sheet.column_dimensions["A"].width >= 10
        rows = xlsx_rows(data)
        assert rows[0] == list(HEADINGS)
        assert rows[1:] == [
            ["娄底市", "涟源市", "县", "党委", "第二批", dt.datetime(2013, 6, 18), None],
            ["娄底市/涟源市", "桥头河镇", "乡镇街道", "党委", None, dt.datetime(2013, 6, 18), None],
            ["娄底市/涟源市/桥头河镇", "石狮村", "村社区", "基层党组织", None, dt.datetime(2013, 6, 18), None],
        ]

    def test_csv_has_a_bom_and_iso_dates(self, tree):
        data = unit_export(user_or_none=None, root=tree.louxing, fmt="csv")

        assert csv_rows(data) == [
            list(HEADINGS),
            ["娄底市", "娄星区", "县", "党委", "", "2013-06-18", ""],
            ["娄底市/娄星区", "乐坪街道", "乡镇街道", "党委", "", "2013-06-18", ""],
        ]

    def test_a_name_that_looks_like_a_formula_stays_text(self, tree):
        # given a unit whose name starts with "="
        org_services.unit_create(actor=None, parent=tree.lianyuan, name="=1+1", level=UnitLevel.TOWNSHIP,
                                 kind=UnitKind.PARTY_COMMITTEE)

        # when exported both ways
        xlsx = xlsx_rows(unit_export(user_or_none=None, root=tree.lianyuan, fmt="xlsx"))
        rows = csv_rows(unit_export(user_or_none=None, root=tree.lianyuan, fmt="csv"))

        # then the xlsx cell is a string and the CSV cell is escaped for Excel
        assert ["娄底市/涟源市", "=1+1"] in [r[:2] for r in xlsx]
        assert ["娄底市/涟源市", "'=1+1"] in [r[:2] for r in rows]

    def test_the_export_is_recorded_in_the_security_log(self, tree):
        unit_export(user_or_none=None, root=tree.lianyuan, fmt="csv")

        event = SecurityEvent.objects.get(kind=SecurityEventKind.EXPORT)
        assert event.username == "命令行"
        assert event.detail == {"what": "units", "root": "娄底市/涟源市", "format": "csv", "rows": 3}


@pytest.mark.django_db
class TestRoundTrip:
    @pytest.mark.parametrize("fmt", ["xlsx", "csv"])
    def test_export_then_import_is_a_no_op(self, tree, fmt):
        # given a tree with an abolished unit beside an active one of the same name
        old = org_services.unit_create(actor=None, parent=tree.qiaotouhe, name="新村", level=UnitLevel.VILLAGE,
                                       kind=UnitKind.GRASSROOTS, established_on=ON)
        org_services.unit_abolish(actor=None, unit=old, on=dt.date(2014, 1, 1))
        org_services.unit_create(actor=None, parent=tree.qiaotouhe, name="新村", level=UnitLevel.VILLAGE,
                                 kind=UnitKind.GRASSROOTS, established_on=dt.date(2014, 1, 1))
        data = unit_export(user_or_none=None, root=None, fmt=fmt)
        units_before = Unit.objects.count()
        history_before = Unit.history.count()

        # when the whole export is imported again from the command line
        result = unit_import(actor=None, data=data, filename=f"组织树.{fmt}")

        # then every row is unchanged and nothing was written
        assert result.ok, [str(e) for e in result.errors]
        assert (result.created, result.updated, result.unchanged) == (0, 0, units_before)
        assert Unit.objects.count() == units_before
        assert Unit.history.count() == history_before

    def test_a_scoped_administrators_export_reimports_as_a_no_op(self, tree, make_user):
        # given an administrator of 涟源市, whose export starts with 涟源市 under 娄底市 (outside their scope)
        admin = make_user(Role.SYSTEM_ADMIN, tree.lianyuan)
        data = unit_export(user_or_none=admin, root=None, fmt="xlsx")
        history_before = Unit.history.count()

        # when they import it back
        result = unit_import(actor=admin, data=data, filename="组织树-涟源市.xlsx")

        # then nothing changes
        assert result.ok, [str(e) for e in result.errors]
        assert (result.created, result.updated, result.unchanged) == (0, 0, 3)
        assert Unit.history.count() == history_before

    def test_an_edited_export_imports_the_edits(self, tree):
        # given an export with one row's kind changed and one row added
        rows = csv_rows(unit_export(user_or_none=None, root=tree.lianyuan, fmt="csv"))
        rows[2][3] = "党组"
        rows.append(["娄底市/涟源市", "新民乡", "乡镇街道", "党委", "", "", ""])
        out = io.StringIO()
        csv.writer(out).writerows(rows)

        # when imported
        result = unit_import(actor=None, data=out.getvalue().encode("utf-8"), filename="a.csv")

        # then
        assert result.ok, [str(e) for e in result.errors]
        assert (result.created, result.updated, result.unchanged) == (1, 1, 2)
        assert Unit.objects.get(pk=tree.qiaotouhe.pk).kind == UnitKind.PARTY_GROUP


@pytest.mark.django_db
class TestWebExport:
    def test_download_carries_a_utf8_filename_and_is_logged(self, client, tree, make_user):
        # given a 活动办 user of 涟源市
        user = make_user(Role.CAMPAIGN_OFFICE, tree.lianyuan)
        client.force_login(user)

        # when they export 涟源市
        response = client.get(reverse("unit-export"), {"under": tree.lianyuan.pk, "format": "xlsx"})

        # then a workbook named 组织树-涟源市.xlsx (RFC 5987) comes back, and the log has it
        assert response.status_code == 200
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")
        disposition = response["Content-Disposition"]
        assert disposition.startswith("attachment;")
        encoded = disposition.split("filename*=UTF-8''")[1]
        assert unquote(encoded) == "组织树-涟源市.xlsx"
        assert [r[1] for r in xlsx_rows(response.content)[1:]] == ["涟源市", "桥头河镇", "石狮村"]
        event = SecurityEvent.objects.get(kind=SecurityEventKind.EXPORT)
        assert event.user == user and event.detail["root"] == "娄底市/涟源市"

    def test_without_under_the_users_top_units_are_exported(self, client, tree, make_user):
        client.force_login(make_user(Role.CAMPAIGN_OFFICE, tree.lianyuan))

        response = client.get(reverse("unit-export"), {"format": "csv"})

        assert response.status_code == 200
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        assert "组织树-涟源市.csv" in unquote(response["Content-Disposition"])
        assert [r[1] for r in csv_rows(response.content)[1:]] == ["涟源市", "桥头河镇", "石狮村"]

    def test_admin_of_lianyuan_cannot_export_louxing(self, client, tree, make_user):
        # given a system administrator of 涟源市
        client.force_login(make_user(Role.SYSTEM_ADMIN, tree.lianyuan))

        # when they ask for 娄星区
        response = client.get(reverse("unit-export"), {"under": tree.louxing.pk, "format": "xlsx"})

        # then 404, like a unit that does not exist, and no export is logged
        assert response.status_code == 404
        assert client.get(reverse("unit-export"), {"under": 999999}).status_code == 404
        assert not SecurityEvent.objects.filter(kind=SecurityEventKind.EXPORT).exists()

    def test_unknown_format_is_refused(self, client, tree, make_user):
        client.force_login(make_user(Role.CAMPAIGN_OFFICE, tree.lianyuan))

        assert client.get(reverse("unit-export"), {"format": "pdf"}).status_code == 400

    def test_audit_administrator_gets_404(self, client, tree, make_user):
        client.force_login(make_user(Role.AUDIT_ADMIN, tree.city))

        assert client.get(reverse("unit-export")).status_code == 404


@pytest.mark.django_db
class TestCommand:
    @pytest.fixture(autouse=True)
    def operator(self, make_user, settings):
        settings.OPERATOR = "ops"
        return make_user(username="ops")

    def test_export_units_writes_a_file_that_reimports_as_a_no_op(self, tree, tmp_path):
        # when 涟源市 is exported from the command line as CSV
        path = tmp_path / "涟源市.csv"
        out = io.StringIO()
        call_command("export-units", "--under", "娄底市/涟源市", "-o", str(path), stdout=out)

        # then the file has its subtree, and importing it back changes nothing
        assert "已导出 娄底市/涟源市" in out.getvalue()
        assert [r[1] for r in csv_rows(path.read_bytes())[1:]] == ["涟源市", "桥头河镇", "石狮村"]
        out = io.StringIO()
        call_command("import-units", str(path), stdout=out)
        assert "新增 0 个单位，修改 0 个，3 个不变" in out.getvalue()

    def test_export_units_defaults_to_xlsx_of_the_whole_tree(self, tree, tmp_path):
        path = tmp_path / "all"
        call_command("export-units", "-o", str(path), stdout=io.StringIO())

        rows = xlsx_rows(path.read_bytes())
        assert [r[1] for r in rows[1:]] == [u.name for u in Unit.objects.order_by("path")]
