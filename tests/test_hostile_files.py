"""Hostile xlsx files are refused before any parser sees them (spreadsheets.xlsx_check).

calamine aborts the whole process (no exception) on a 2 KB file with values in A1 and
XFD1048576, and inflates a zip bomb to gigabytes. The files are made here, by hand, so the test
controls every byte: a minimal workbook written with zipfile, and the bombs written record by
record (zlib would take seconds to pack a gigabyte; a block packed once with a full flush is
repeated instead, each copy independent of the one before).
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import struct
import subprocess
import sys
import zipfile
import zlib

import pytest
import python_calamine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings
from django.urls import reverse
from hypothesis import event, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from huitoukan import spreadsheets
from huitoukan.access.models import Role
from huitoukan.campaigns import services as campaign_services
from huitoukan.orgs.models import Unit
from huitoukan.spreadsheets import FileIssueCode, FileProblem, xlsx_check, xlsx_read
from tests.ledgers.test_import import ledger_xlsx, row
from tests.orgs.test_unit_import import GOOD_ROWS, xlsx_bytes

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'
)
PACKAGE_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="xl/workbook.xml"/></Relationships>'
)
WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets>{sheets}</sheets></workbook>'
)
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{relations}'
    '</Relationships>'
)
SHEET_HEAD = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
)

# The two cells of the 2 KB file that made calamine ask for ~512 GB and abort.
FAR_CELLS = '<row r="1"><c r="A1"><v>1</v></c></row><row r="1048576"><c r="XFD1048576"><v>2</v></c></row>'
FAR_MESSAGE = ("文件: 工作表“Sheet1”的范围达到 XFD1048576（1048576 行 × 16384 列），超出可导入的上限"
               "（最多 100000 行、200 列、共 1000000 个单元格）；请删除多余的空行空列后再导入。")


def sheet_xml(cells: str, *, dimension: str | None = None, after: str = "") -> str:
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    return f"{SHEET_HEAD}{dim}<sheetData>{cells}</sheetData>{after}</worksheet>"


def workbook_parts(sheets: dict[str, str], *, hidden: frozenset = frozenset()) -> dict[str, str]:
    """The five parts of a minimal workbook, one worksheet part per named sheet."""
    entries, relations, parts = [], [], {}
    for number, (name, xml) in enumerate(sheets.items(), start=1):
        state = ' state="hidden"' if name in hidden else ""
        entries.append(f'<sheet name="{name}" sheetId="{number}"{state} r:id="rId{number}"/>')
        relations.append(f'<Relationship Id="rId{number}" '
                         'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
                         f'Target="worksheets/sheet{number}.xml"/>')
        parts[f"xl/worksheets/sheet{number}.xml"] = xml
    return {"[Content_Types].xml": CONTENT_TYPES, "_rels/.rels": PACKAGE_RELS,
            "xl/workbook.xml": WORKBOOK.format(sheets="".join(entries)),
            "xl/_rels/workbook.xml.rels": WORKBOOK_RELS.format(relations="".join(relations)), **parts}


def xlsx(sheet: str, *, extra: dict[str, str] | None = None) -> bytes:
    """A minimal workbook of one sheet, Sheet1, written with zipfile."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in {**workbook_parts({"Sheet1": sheet}), **(extra or {})}.items():
            archive.writestr(name, text)
    return out.getvalue()


def far_xlsx(*, dimension: str | None = "A1:XFD1048576") -> bytes:
    return xlsx(sheet_xml(FAR_CELLS, dimension=dimension))


def zip_by_hand(members: list[tuple[str, bytes, int, int]]) -> bytes:
    """A zip of (name, deflated bytes, CRC-32, declared unpacked size), written field by field:
    the declared size is whatever the caller says, true or not."""
    body, directory = bytearray(), bytearray()
    for name, packed, crc, size in members:
        raw = name.encode()
        directory += struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 20, 20, 0, zipfile.ZIP_DEFLATED, 0, 0x21,
                                 crc, len(packed), size, len(raw), 0, 0, 0, 0, 0, len(body)) + raw
        body += struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, 0, zipfile.ZIP_DEFLATED, 0, 0x21,
                            crc, len(packed), size, len(raw), 0) + raw + packed
    end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(members), len(members), len(directory), len(body), 0)
    return bytes(body + directory + end)


def deflated(data: bytes) -> bytes:
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    return packer.compress(data) + packer.flush()


def bomb(*, declared: int | None = None) -> tuple[bytes, int]:
    """A ~1 MB xlsx whose sheet is 1 GiB of whitespace between two cells (valid XML, packed at
    deflate's ~1,000 to one); with declared, its zip records claim that size instead."""
    head = (SHEET_HEAD + '<sheetData><row r="1"><c r="A1"><v>1</v></c></row>').encode()
    tail = b"</sheetData></worksheet>"
    block, copies = b" " * (1 << 20), 1024
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    head_packed = packer.compress(head) + packer.flush(zlib.Z_FULL_FLUSH)
    block_packed = packer.compress(block) + packer.flush(zlib.Z_FULL_FLUSH)
    packed = head_packed + block_packed * copies + packer.compress(tail) + packer.flush()
    crc = zlib.crc32(head)
    for _ in range(copies):
        crc = zlib.crc32(block, crc)
    crc = zlib.crc32(tail, crc)
    size = len(head) + len(block) * copies + len(tail)
    members = [(name, deflated(text.encode()), zlib.crc32(text.encode()), len(text.encode()))
               for name, text in workbook_parts({"Sheet1": ""}).items() if not name.startswith("xl/worksheets/")]
    members.append(("xl/worksheets/sheet1.xml", packed, crc, size if declared is None else declared))
    return zip_by_hand(members), size


@pytest.fixture(scope="module")
def bomb_path(tmp_path_factory):
    path = tmp_path_factory.mktemp("bomb") / "bomb.xlsx"
    data, unpacked = bomb()
    assert len(data) < 2 * 1024 * 1024 and unpacked > 1024**3
    path.write_bytes(data)
    return path


@pytest.fixture(scope="module")
def lying_bomb_path(bomb_path):
    # The same gigabyte, its zip records claiming the sheet unpacks to 4 KB.
    path = bomb_path.with_name("lying.xlsx")
    path.write_bytes(bomb(declared=4096)[0])
    return path


def refusal(data: bytes) -> FileProblem:
    with pytest.raises(FileProblem) as refused:
        xlsx_check(data)
    return refused.value


# --- the sheet's extent ---------------------------------------------------------------------------


@pytest.mark.parametrize("dimension", ["A1:XFD1048576", None, "A1:B2"], ids=["dimension", "no-dimension", "lying-dimension"])
def test_cells_in_a1_and_xfd1048576_are_refused_naming_sheet_and_extent(dimension):
    # given the 2 KB file, with its dimension, without one, or with one that lies small
    data = far_xlsx(dimension=dimension)
    assert len(data) < 3 * 1024

    # then it is refused from the cells themselves, naming the sheet and how far they reach
    problem = refusal(data)
    assert problem.issue.code == FileIssueCode.SHEET_TOO_LARGE
    assert str(problem.issue) == FAR_MESSAGE


def test_a_large_dimension_over_a_few_cells_is_read():
    # calamine builds the sheet from its cells; the dimension is only what the writer claimed
    sheets = xlsx_read(xlsx(sheet_xml('<row r="1"><c r="A1"><v>1</v></c><c r="B1"><v>2</v></c></row>',
                                      dimension="A1:XFD1048576")))
    assert [(s.name, s.rows) for s in sheets] == [("Sheet1", [[1.0, 2.0]])]


@pytest.mark.parametrize("cells", [
    '<row r="1"><c r="A1"><v>1</v></c></row><row r="150001"><c r="A150001"><v>1</v></c></row>',
    '<row r="1"><c r="A1"><v>1</v></c><c r="GS1"><v>1</v></c></row>',
    "".join(f'<row r="{r}"><c r="A{r}"><v>1</v></c><c r="Z{r}"><v>1</v></c></row>' for r in (1, 40000)),
], ids=["rows", "columns", "cells"])
def test_each_limit_of_the_extent_is_enforced(cells):
    assert refusal(xlsx(sheet_xml(cells))).issue.code == FileIssueCode.SHEET_TOO_LARGE


@pytest.mark.parametrize("cells", [
    # calamine numbers rows and cells without `r` one after another
    '<row/>' * 100001 + '<row><c><v>1</v></c></row>',
    '<row r="1">' + "<c><v>1</v></c>" * 201 + "</row>",
    # the other attribute shapes quick-xml reads: a prefix, single quotes, `r` last, `>` in a value
    '<x:row r="1048576"><x:c r="XFD1048576"><x:v>1</x:v></x:c></x:row>',
    "<row r='1048576'><c r='XFD1048576'><v>1</v></c></row>",
    '<row r="1048576"><c s="0" r="XFD1048576"><v>1</v></c></row>',
    '<row r="1"><c foo=">" r="XFD1048576"><v>1</v></c></row>',
    # a cell whose `r` is in another row than its row's
    '<row r="1"><c r="A1048576"><v>1</v></c></row>',
], ids=["implicit-rows", "implicit-columns", "prefixed", "single-quoted", "r-last", "gt-in-value", "other-row"])
def test_cells_are_placed_where_calamine_places_them(cells):
    assert refusal(xlsx(sheet_xml(cells))).issue.code in (FileIssueCode.SHEET_TOO_LARGE,
                                                          FileIssueCode.SHEET_TOO_MANY_CELLS)


@pytest.mark.parametrize("cells", [
    '<row r="1"><c r="A1"><is><c r="XFD1048576"><v>1</v></c></is></c></row>',  # a cell in a cell
    '<row r="1"><c r="A1"><v>1</c><c r="XFD1048576"></v></c></row>',  # an element left open
    '<row r="1"><c r="A0"><v>1</v></c></row>',  # a reference calamine cannot read
], ids=["nested", "unclosed", "bad-reference"])
def test_markup_calamine_would_read_otherwise_is_refused(cells):
    assert refusal(xlsx(sheet_xml(cells))).issue.code == FileIssueCode.FILE_NOT_XLSX


PREFIXES = st.sampled_from(["", "", "", "x:"])
QUOTES = st.sampled_from(['"', '"', "'"])
CELL_BODIES = st.sampled_from(["", "<{p}v>1</{p}v>", "<{p}is><{p}t>x</{p}t></{p}is>", "<{p}f>1+1</{p}f><{p}v>2</{p}v>",
                               "<{p}is><{p}r><{p}t>a</{p}t></{p}r></{p}is>", "<!-- c --><{p}v>3</{p}v>"])


def attributes(draw, pairs: list[tuple[str, str]]) -> str:
    return "".join(f" {name}={(q := draw(QUOTES))}{value}{q}" for name, value in pairs)


@st.composite
def cell_markup(draw, row: int | None) -> str:
    pairs = []
    if draw(st.booleans()):
        in_row = row is not None and draw(st.booleans())
        pairs.append(("r", f"{spreadsheets._column_name(draw(st.integers(1, 26)))}"
                           f"{row if in_row else draw(st.integers(1, 64))}"))
    if draw(st.booleans()):
        pairs.insert(draw(st.integers(0, len(pairs))), ("s", "1"))
    prefix, body = draw(PREFIXES), draw(CELL_BODIES)
    if not body and draw(st.booleans()):
        return f"<{prefix}c{attributes(draw, pairs)}/>"
    return f"<{prefix}c{attributes(draw, pairs)}>{body.format(p=prefix)}</{prefix}c>"


@st.composite
def row_markup(draw) -> str:
    row = draw(st.none() | st.integers(1, 64))
    pairs = [] if row is None else [("r", str(row))]
    if draw(st.booleans()):
        pairs.insert(draw(st.integers(0, len(pairs))), ("spans", "1:3"))
    prefix = draw(PREFIXES)
    cells = draw(st.lists(cell_markup(row), max_size=30))
    if not cells and draw(st.booleans()):
        return f"<{prefix}row{attributes(draw, pairs)}/>"
    return f"<{prefix}row{attributes(draw, pairs)}>{draw(st.sampled_from(['', ' ', chr(10)])).join(cells)}</{prefix}row>"


@given(rows=st.lists(row_markup() | st.just("<!-- x -->"), min_size=1, max_size=30))
@hypothesis_settings(max_examples=80, deadline=None)
def test_what_the_check_passes_calamine_reads_within_the_limits(rows):
    # given small limits and sheets in every shape quick-xml reads, reaching past them or not
    data = xlsx(sheet_xml("".join(rows)))
    with override_settings(XLSX_MAX_ROWS=60, XLSX_MAX_COLUMNS=25, XLSX_MAX_CELLS=1500):
        try:
            xlsx_check(data)
        except FileProblem as problem:
            event(problem.issue.code.name)
            return
    event("passed")

    # then calamine itself, reading what passed, stays within them
    read = python_calamine.load_workbook(io.BytesIO(data)).get_sheet_by_index(0).to_python(skip_empty_area=False)
    height, width = len(read), max(map(len, read), default=0)
    assert height <= 60 and width <= 25 and height * width <= 1500


def test_a_sheet_in_utf16_is_refused():
    # quick-xml decodes UTF-16 before reading markup; the scan reads bytes as ASCII-compatible text
    text = sheet_xml(FAR_CELLS).replace('encoding="UTF-8"', 'encoding="UTF-16"')
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, part in workbook_parts({"Sheet1": ""}).items():
            archive.writestr(name, text.encode("utf-16") if name.startswith("xl/worksheets/") else part)
    assert refusal(out.getvalue()).issue.code == FileIssueCode.FILE_NOT_XLSX


def test_a_merged_range_over_the_whole_sheet_is_refused():
    sheet = sheet_xml('<row r="1"><c r="A1"><v>1</v></c></row>',
                      after='<mergeCells count="1"><mergeCell ref="A1:XFD1048576"/></mergeCells>')
    assert refusal(xlsx(sheet)).issue.code == FileIssueCode.SHEET_TOO_MANY_CELLS


def test_a_hidden_sheet_is_neither_checked_nor_read():
    # given a visible sheet and a hidden one whose cells reach XFD1048576
    parts = workbook_parts({"台账": sheet_xml('<row r="1"><c r="A1"><v>1</v></c></row>'),
                            "隐藏": sheet_xml(FAR_CELLS)}, hidden=frozenset({"隐藏"}))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, text)

    # then only the visible one is read
    assert [(s.name, s.rows) for s in xlsx_read(out.getvalue())] == [("台账", [[1.0]])]


# --- the zip -----------------------------------------------------------------------------------------


def test_a_bomb_is_refused_by_its_declared_size(bomb_path):
    problem = refusal(bomb_path.read_bytes())
    assert problem.issue.code == FileIssueCode.FILE_UNPACKED_TOO_LARGE
    assert str(problem.issue) == ("文件: 文件解压后超过 200 MB 的上限（疑似“压缩炸弹”），已拒绝导入；"
                                  "请删除多余的内容，或分成几个文件导入。")


def test_a_bomb_under_a_raised_size_limit_is_refused_by_its_ratio(bomb_path, settings):
    settings.XLSX_MAX_UNPACKED_BYTES = 4 * 1024**3
    problem = refusal(bomb_path.read_bytes())
    assert problem.issue.code == FileIssueCode.FILE_RATIO_SUSPICIOUS
    assert problem.issue.params["part"] == "xl/worksheets/sheet1.xml" and problem.issue.params["ratio"] > 500


def test_a_bomb_that_declares_a_small_size_is_cut_off_past_it(lying_bomb_path):
    problem = refusal(lying_bomb_path.read_bytes())
    assert problem.issue.code == FileIssueCode.FILE_SIZE_MISMATCH
    assert problem.issue.params == {"part": "xl/worksheets/sheet1.xml"}


def test_too_many_members_are_refused():
    extra = {f"xl/media/image{n}.png": "" for n in range(2001)}
    problem = refusal(xlsx(sheet_xml('<row r="1"><c r="A1"><v>1</v></c></row>'), extra=extra))
    assert problem.issue.code == FileIssueCode.FILE_TOO_MANY_PARTS
    assert problem.issue.params == {"limit": 2000}


def test_a_directory_of_many_thousand_entries_is_refused_before_zipfile_reads_it(monkeypatch):
    # given 20,000 empty members (zipfile parses each entry, 10-20 µs, before it can count them)
    empty = deflated(b"")
    data = zip_by_hand([(f"{n:x}", empty, 0, 0) for n in range(20000)])

    # then the directory's size alone refuses it
    def parse(*args, **kwargs):
        raise AssertionError("zipfile parsed the directory")

    monkeypatch.setattr(spreadsheets.zipfile, "ZipFile", parse)
    assert refusal(data).issue.code == FileIssueCode.FILE_TOO_MANY_PARTS


@pytest.mark.parametrize("extra", [{"content.xml": "<x/>"}, {"xl/workbook.bin": ""},
                                   {"XL/Worksheets/Sheet1.xml": sheet_xml(FAR_CELLS)}],
                         ids=["ods-part", "xlsb-part", "same-name-in-other-case"])
def test_parts_that_calamine_would_read_otherwise_are_refused(extra):
    problem = refusal(xlsx(sheet_xml('<row r="1"><c r="A1"><v>1</v></c></row>'), extra=extra))
    assert problem.issue.code == FileIssueCode.FILE_NOT_XLSX


def test_something_before_the_zip_is_refused():
    assert refusal(b"\xd0\xcf\x11\xe0" + far_xlsx()).issue.code == FileIssueCode.FILE_NOT_XLSX


def test_workbooks_written_by_openpyxl_pass():
    assert xlsx_check(xlsx_bytes(GOOD_ROWS)) == ["Sheet"]
    sheets = xlsx_read(ledger_xlsx([row(1), row(2)], merges=["E5:E6"]))
    assert [s.name for s in sheets] == ["Sheet"] and sheets[0].merged == [((4, 4), (5, 4))]


# --- in another process: the reader survives, and the checks are fast and small --------------------

MEASURE = """
import json, os, resource, sys, time
import django
django.setup()
from huitoukan.spreadsheets import FileProblem, xlsx_check, xlsx_read
results = {}
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
for label, path in json.loads(sys.argv[1]).items():
    data = open(path, "rb").read()
    start = time.perf_counter()
    try:
        (xlsx_read if label.startswith("read") else xlsx_check)(data)
        code = "passed"
    except FileProblem as problem:
        code = problem.issue.code.name
    results[label] = {"code": code, "seconds": time.perf_counter() - start}
results["growth_kb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - base
print(json.dumps(results))
"""


def test_hostile_files_are_refused_in_another_process_quickly_and_in_little_memory(tmp_path, bomb_path,
                                                                                   lying_bomb_path):
    # given the files that abort calamine or take gigabytes, read as the pages and commands do
    (tmp_path / "far.xlsx").write_bytes(far_xlsx())
    (tmp_path / "far-no-dimension.xlsx").write_bytes(far_xlsx(dimension=None))
    files = {"read far": tmp_path / "far.xlsx", "read far without dimension": tmp_path / "far-no-dimension.xlsx",
             "bomb": bomb_path, "lying bomb": lying_bomb_path, "read bomb": bomb_path}

    # when a fresh process reads them (an abort there fails this test, not the test run)
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "huitoukan.settings"}
    done = subprocess.run([sys.executable, "-c", MEASURE, json.dumps({k: str(v) for k, v in files.items()})],
                          capture_output=True, text=True, env=env, timeout=120)

    # then it survives, each is refused in well under a second, and memory hardly grows
    assert done.returncode == 0, done.stderr
    results = json.loads(done.stdout)
    growth_kb = results.pop("growth_kb")
    assert {label: r["code"] for label, r in results.items()} == {
        "read far": "SHEET_TOO_LARGE", "read far without dimension": "SHEET_TOO_LARGE",
        "bomb": "FILE_UNPACKED_TOO_LARGE", "lying bomb": "FILE_SIZE_MISMATCH", "read bomb": "FILE_UNPACKED_TOO_LARGE"}
    assert all(r["seconds"] < 1 for r in results.values()), results
    assert growth_kb < 150 * 1024, growth_kb


# --- through the imports: the pages and the commands ---------------------------------------------


@pytest.fixture
def campaign(tree, settings, tmp_path):
    settings.VAR_DIR = tmp_path  # previewed uploads wait under VAR_DIR
    return campaign_services.campaign_create(actor=None, owner_unit=tree.city, name="回头看",
                                             starts_on=dt.date(2014, 12, 31), ends_on=dt.date(2015, 2, 28))


@pytest.mark.django_db
def test_unit_import_page_shows_the_refusal(client, tree, make_user, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    client.force_login(make_user(Role.SYSTEM_ADMIN, tree.lianyuan))
    units_before = Unit.objects.count()

    response = client.post(reverse("unit-import"), {"file": SimpleUploadedFile("组织树.xlsx", far_xlsx())})

    assert response.status_code == 200
    page = response.content.decode()
    assert FAR_MESSAGE in page and "确认导入" not in page
    assert Unit.objects.count() == units_before


@pytest.mark.django_db
def test_ledger_import_page_shows_the_refusal(client, tree, make_user, campaign):
    client.force_login(make_user(Role.CAMPAIGN_OFFICE, tree.lianyuan))
    form = {"campaign": campaign.pk, "unit": tree.lianyuan.pk, "kind": "", "person": "",
            "file": SimpleUploadedFile("台账.xlsx", far_xlsx(dimension=None))}

    response = client.post(reverse("ledger-import"), form)

    assert response.status_code == 200
    page = response.content.decode()
    assert FAR_MESSAGE in page and "确认导入" not in page


@pytest.mark.django_db
def test_import_units_command_exits_2_with_the_refusal(tree, tmp_path, make_user):
    make_user(username="ops")
    path = tmp_path / "组织树.xlsx"
    path.write_bytes(far_xlsx())
    err = io.StringIO()

    with pytest.raises(CommandError) as refused:
        call_command("import-units", str(path), "--as", "ops", stderr=err, stdout=io.StringIO())

    assert refused.value.returncode == 2
    assert err.getvalue().splitlines() == [FAR_MESSAGE]


@pytest.mark.django_db
def test_import_ledger_command_exits_2_with_the_refusal(campaign, tmp_path, bomb_path, tree, make_user):
    make_user(Role.CAMPAIGN_OFFICE, tree.lianyuan, username="office")
    for data, message in ((far_xlsx(), FAR_MESSAGE), (bomb_path.read_bytes(), "文件: 文件解压后超过 200 MB 的上限")):
        path = tmp_path / "台账.xlsx"
        path.write_bytes(data)
        err = io.StringIO()

        with pytest.raises(CommandError) as refused:
            call_command("import-ledger", str(path), unit="涟源市", campaign="回头看", acting_as="office", stderr=err,
                         stdout=io.StringIO())

        assert refused.value.returncode == 2
        assert err.getvalue().startswith(message)
