"""A ledger as it stood at the end of a past day (ledgers.past): read-only, with its files of that day."""

from __future__ import annotations

from urllib.parse import urlencode

from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from huitoukan.ledgers import past, selectors
from huitoukan.ledgers.exports import header_line, ledger_rows
from huitoukan.ledgers.layouts import LAYOUTS
from huitoukan.ledgers.models import ItemStatus


@require_GET
def ledger_as_of(request, pk):
    ledger = selectors.ledger_get_for(user=request.user, pk=pk)
    today = timezone.localdate()
    layout = LAYOUTS[ledger.kind]
    context = {"ledger": ledger, "layout": layout, "today": today, "day_text": request.GET.get("day", ""),
               "active_menu": "ledgers"}
    error, rows, day = None, [], None
    if "day" in request.GET:
        try:
            day = past.day_parse(request.GET["day"], today=today)
        except past.DayError as refused:
            error = str(refused)
    if day is not None:
        (_ledger, rows), = ledger_rows(ledgers=[ledger], as_of=day)
        statuses = dict(ItemStatus.choices)
        context |= {
            "day": day,
            "header": header_line(ledger, today, day),
            # as wide as the ledger page's columns (ledgers.views._columns)
            "headings": [(c.heading, max(3, round(c.width * 0.36, 1))) for c in layout.columns],
            "rows": [([getattr(row, c.key) for c in layout.columns], statuses.get(row.status, row.status))
                     for row in rows],
            "export_xlsx": f"{reverse('ledger-export', args=[ledger.pk])}?{urlencode({'format': 'xlsx', 'as_of': day})}",
            "export_docx": f"{reverse('ledger-export', args=[ledger.pk])}?{urlencode({'format': 'docx', 'as_of': day})}",
        }
    context["error"] = error
    return render(request, "ledgers/ledger_as_of.html", context, status=400 if error else 200)
