"""A province's whole ledgers of one kind exported as a background job, beside raw XlsxWriter.

    .venv/bin/python benchmarks/export_job.py [--units 2000] [--items 40000] [--kind leadership]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/huitoukan_ci .venv/bin/python benchmarks/export_job.py

On a throwaway database (benchmarks/throwaway_db.py) filled by `huitoukan synth`, the province's
campaign office starts the subtree export of `--kind` as a job (`ledgers.jobs.subtree_export_start`)
and a forked process runs it through the one runner (`jobs.services.job_run`), while a thread samples
its open file descriptors. Beside it, in other forked processes, the same cells (produced by the same
sheet generator beforehand, with the export's row heights, untimed) are written by XlsxWriter alone in
constant_memory mode: once with the export's cell formats and row heights (the reference of the target:
what XlsxWriter itself needs for these cells), once bare with `write_row` (no formats or heights, for
scale). Neither writes the title rows, merges or print setup. The issue's target: job ≤ 1.5 × raw
XlsxWriter of the same cells, under 300 MB peak memory and 100 open files.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import resource
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "huitoukan.settings")

import django  # noqa: E402

django.setup()

import xlsxwriter  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connections  # noqa: E402
from django.test.utils import override_settings  # noqa: E402

from benchmarks.throwaway_db import throwaway_database  # noqa: E402
from huitoukan.campaigns.models import Campaign  # noqa: E402
from huitoukan.jobs.services import job_result_path, job_run  # noqa: E402
from huitoukan.ledgers import exports  # noqa: E402
from huitoukan.ledgers.jobs import subtree_export_start  # noqa: E402
from huitoukan.orgs.models import Unit  # noqa: E402
from huitoukan.portal import synth  # noqa: E402


def _open_files() -> int:
    return len(os.listdir("/proc/self/fd"))


def _in_child(work, *args) -> dict:
    """Run `work` in a forked process; its figures, with its peak memory and open files."""
    connections.close_all()  # a forked child must not share the parent's connections
    reader, writer = multiprocessing.Pipe(duplex=False)

    def child():
        peak_fds = [_open_files()]
        stop = threading.Event()

        def sample():
            while not stop.wait(0.02):
                peak_fds.append(_open_files())

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        started = time.perf_counter()
        figures = work(*args)
        seconds = time.perf_counter() - started
        stop.set()
        sampler.join()
        figures |= {"seconds": seconds, "open_files": max(peak_fds),
                    "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}
        writer.send(figures)

    process = multiprocessing.get_context("fork").Process(target=child)
    process.start()
    figures = reader.recv()
    process.join()
    return figures


def _run_job(job_pk) -> dict:
    job = job_run(job_pk)
    assert job.state == "done", job.error
    return {"rows": job.result_rows, "bytes": job_result_path(job).stat().st_size}


def _raw_write(sheets, path: str, formatted: bool) -> dict:
    """XlsxWriter alone writing cells made beforehand: with `formatted`, each with its column's format
    and each row with its height (the export's own, computed beforehand), as the export writes them;
    else bare `write_row`."""
    workbook = xlsxwriter.Workbook(path, {"constant_memory": True, "strings_to_formulas": False})
    cell = {"font_name": exports.FONT, "font_size": 11, "valign": "vcenter", "border": 1, "text_wrap": True}
    left, centred = workbook.add_format(cell | {"align": "left"}), workbook.add_format(cell | {"align": "center"})
    rows = 0
    for name, keys, cells, heights in sheets:
        sheet = workbook.add_worksheet(name)
        if not formatted:
            for r, row in enumerate(cells):
                sheet.write_row(r, 0, row)
        else:
            formats = [centred if k in exports.CENTRED_KEYS else left for k in keys]
            for r, (row, height) in enumerate(zip(cells, heights, strict=True)):
                sheet.set_row(r, height)
                for c, value in enumerate(row):
                    if isinstance(value, int):
                        sheet.write_number(r, c, value, formats[c])
                    elif value:
                        sheet.write_string(r, c, value, formats[c])
                    else:
                        sheet.write_blank(r, c, None, formats[c])
        rows += len(cells)
    workbook.close()
    return {"rows": rows, "bytes": os.path.getsize(path)}


def _same_cells(user, campaign, root, kind):
    """The cells the export writes, sheet by sheet, from the export's own generators, with the export's
    row heights."""
    ledgers = list(exports.subtree_ledgers(user=user, campaign=campaign, root_unit=root, kind=kind))
    if len(ledgers) > exports.SHEET_PER_LEDGER_MAX:
        generated = exports._grouped_sheets(ledgers, root, kind, None, lambda n: None)
    else:
        generated = exports._ledger_sheets(ledgers, None)
    namer = exports.SheetNamer()
    sheets = []
    for sheet in generated:
        columns = sheet.columns or sheet.layout.columns
        widths = [c.width for c in columns]
        one_line = [exports._one_line_max(w) for w in widths]
        cells = [list(row) for row in sheet.rows]
        heights = [exports._row_height_fast(row, widths, one_line) for row in cells]
        sheets.append((namer.take(sheet.who), [c.key for c in columns], cells, heights))
    return sheets, len(ledgers)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=2000)
    parser.add_argument("--items", type=int, default=40000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--kind", default="leadership")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="huitoukan-jobs-") as folder, throwaway_database() as where, \
            override_settings(JOBS_DIR=Path(folder)):
        print(f"# {where}: synth --units {args.units} --items {args.items} --seed {args.seed}")
        started = time.perf_counter()
        synth.synth(units=args.units, items=args.items, seed=args.seed)
        print(f"# synth: {time.perf_counter() - started:.1f} s")
        campaign = Campaign.objects.latest("pk")
        root = Unit.objects.get(name=f"合成省{args.seed}")
        office = get_user_model().objects.get(username=f"s{args.seed}_province_campaign_office")
        job = subtree_export_start(user=office, campaign=campaign, root_unit=root, kind=args.kind, queue=False)
        measured = _in_child(_run_job, job.pk)
        sheets, ledgers = _same_cells(office, campaign, root, args.kind)
        raw = _in_child(_raw_write, sheets, str(Path(folder) / "raw.xlsx"), True)
        bare = _in_child(_raw_write, sheets, str(Path(folder) / "bare.xlsx"), False)
        assert raw["rows"] == measured["rows"], (raw["rows"], measured["rows"])
        print(f"# {ledgers} ledgers, {len(sheets)} sheets, {measured['rows']} rows")
        print(f"{'export':<34} {'rows':>8} {'seconds':>8} {'rows/s':>8} {'peak MB':>8} {'open files':>10} {'MB':>6}")
        for name, f in (("job (ledgers.subtree-export)", measured), ("XlsxWriter: same cells, formats", raw),
                        ("XlsxWriter: bare cells (no formats)", bare)):
            print(f"{name:<34} {f['rows']:>8} {f['seconds']:>8.1f} {f['rows'] / f['seconds']:>8.0f}"
                  f" {f['peak_mb']:>8.0f} {f['open_files']:>10} {f['bytes'] / 2**20:>6.1f}")
        print(f"# ratio job / XlsxWriter of the same cells: {measured['seconds'] / raw['seconds']:.2f} (target ≤ 1.5;"
              f" {measured['seconds'] / bare['seconds']:.2f} against bare cells); peak {measured['peak_mb']:.0f} MB"
              f" (< 300), {measured['open_files']} open files (< 100)")


if __name__ == "__main__":
    main()
