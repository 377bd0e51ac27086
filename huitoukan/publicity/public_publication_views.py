"""The public site's pages and open data: no login, no session, no script; cached under the site's epoch.

A page is rendered once per process and epoch (publications.services moves the epoch on every publish and
withdrawal), so a crowd reading a county's list costs one primary-key read and a cache hit per request.
A unit without anything published at or below it answers 404, like a unit that does not exist.
"""

from __future__ import annotations

import csv
import io
import json

from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.db import connection
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.template.loader import render_to_string
from django.views.decorators.http import require_GET

from huitoukan.core.http import content_disposition
from huitoukan.publicity import public_selectors as selectors
from huitoukan.publicity.content import COMMITMENT_COLUMNS, LEDGER_COLUMNS
from huitoukan.publicity.models import PublicationKind

CACHE_SECONDS = 300
# Browsers and proxies ask again every time (the page costs the server a cache hit): a withdrawal is gone
# for everybody at once, as the office's page promises.
PUBLIC_CACHE_CONTROL = "public, no-cache"


def _cached_page(request, key: str, render) -> HttpResponse:
    """The page under `key` at the current epoch, rendered by `render()` (a str, or None for 404) on a miss."""
    # The database's name too: a cache shared by several installations (or test databases) never mixes them.
    full_key = f"gongkai:{connection.settings_dict['NAME']}:{selectors.epoch()}:{key}"
    body = cache.get(full_key)
    if body is None:
        body = render()
        cache.set(full_key, body if body is not None else "", CACHE_SECONDS)
    if not body:
        raise Http404
    response = HttpResponse(body)
    response["Cache-Control"] = PUBLIC_CACHE_CONTROL
    return response


@login_not_required
@require_GET
def public_index(request):
    def render():
        return render_to_string("publicity/public/index.html", {
            "children": selectors.public_children(unit=None), "recent": selectors.recent_versions(),
        }, request=None)
    return _cached_page(request, "index", render)


@login_not_required
@require_GET
def public_unit(request, pk: int):
    def render():
        unit = selectors.public_unit(pk)
        if unit is None:
            return None
        publications = selectors.live_publications(unit=unit)
        return render_to_string("publicity/public/unit.html", {
            "unit": unit, "ancestors": selectors.public_ancestors(unit),
            "children": selectors.public_children(unit=unit),
            "lists": [p for p in publications if p.kind == PublicationKind.LEDGER],
            "commitments": [p for p in publications if p.kind == PublicationKind.COMMITMENTS],
            "bulletins": [p for p in publications if p.kind == PublicationKind.BULLETIN],
            "ledger_columns": LEDGER_COLUMNS, "commitment_columns": COMMITMENT_COLUMNS,
        }, request=None)
    return _cached_page(request, f"unit:{pk}", render)


@login_not_required
@require_GET
def public_publication(request, pk: int):
    def render():
        publication = selectors.live_publication(pk)
        if publication is None:
            return None
        unit = selectors.public_unit_of(pk)
        return render_to_string("publicity/public/publication.html", {
            "publication": publication, "unit": unit, "ancestors": selectors.public_ancestors(unit),
            "ledger_columns": LEDGER_COLUMNS, "commitment_columns": COMMITMENT_COLUMNS,
        }, request=None)
    return _cached_page(request, f"publication:{pk}", render)


def _data_fields() -> list[tuple[str, str]]:
    """The open data's columns: the unit and the list, then the rows' public fields (never internal ids)."""
    seen, fields = set(), []
    for key, label in (("unit", "单位"), ("title", "清单"), *LEDGER_COLUMNS, *COMMITMENT_COLUMNS):
        if key not in seen:
            seen.add(key)
            fields.append((key, label))
    return fields


def _data_record(header: dict, row: dict, fields) -> dict:
    record = {"unit": header["unit"], "title": header["title"]}
    record.update({key: row.get(key, "") for key, _label in fields if key not in record})
    return record


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value) -> str:
    """A CSV cell a spreadsheet will not run: text starting like a formula gets a leading apostrophe."""
    text = str(value)
    return f"'{text}" if text.startswith(_FORMULA_START) else text


def _csv_stream(rows, fields):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    buffer.write("\ufeff")  # Excel opens UTF-8 CSV as UTF-8 only with the BOM
    writer.writerow([label for _key, label in fields])
    for header, row in rows:
        record = _data_record(header, row, fields)
        writer.writerow([_cell(record[key]) for key, _label in fields])
        if buffer.tell() > 64 * 1024:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


def _json_stream(unit, rows, fields):
    yield json.dumps({"unit": unit.full_name, "fields": dict(fields)}, ensure_ascii=False)[:-1] + ',"rows":['
    first = True
    for header, row in rows:
        yield ("" if first else ",") + json.dumps(_data_record(header, row, fields), ensure_ascii=False)
        first = False
    yield "]}"


@login_not_required
@require_GET
def public_data(request, pk: str, scope: str, fmt: str):
    """The published lists as CSV or JSON: the unit's own (`data`) or its whole subtree's (`subtree`)."""
    unit = selectors.public_unit(int(pk))
    if unit is None:
        raise Http404
    rows = selectors.open_data(unit=unit, subtree=scope == "subtree")
    fields = _data_fields()
    stem = f"整改公开-{unit.name}{'-含下级' if scope == 'subtree' else ''}"
    if fmt == "csv":
        response = StreamingHttpResponse(_csv_stream(rows, fields), content_type="text/csv; charset=utf-8")
    else:
        response = StreamingHttpResponse(_json_stream(unit, rows, fields), content_type="application/json")
    response["Content-Disposition"] = content_disposition(f"{stem}.{fmt}", ascii_stem="gongkai")
    response["Cache-Control"] = PUBLIC_CACHE_CONTROL
    return response
