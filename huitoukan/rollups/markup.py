"""The 驾驶舱's table of children made in Python (core.rowmarkup): a county has a few dozen children, and
through the template engine their rows cost a county's screen more than all its reads together."""

from __future__ import annotations

from html import escape

from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from huitoukan.core.lights import LIGHT_LABELS
from huitoukan.core.rowmarkup import ANY_ID, stamp
from huitoukan.rollups.dashboard import NO_ITEMS, ChildRow


def dashboard_child_rows(children: list[ChildRow], campaign) -> SafeString:
    """Each child's light, name (a link to its own 驾驶舱), items, 销号率, overdue items and open red notices."""
    link = stamp(f"{escape(reverse('rollup-dashboard'))}?unit={ANY_ID}&amp;campaign={campaign.pk}", {"pk": ANY_ID})
    lights = {light: f'<span class="light light-{escape(str(light))} me-1" title="{escape(str(label))}"></span>'
              for light, label in LIGHT_LABELS.items()}
    abolished = f' <span class="badge bg-secondary-lt">{escape(_("已撤销"))}</span>'
    rows = []
    for row in children:
        f, red = row.figures, row.notices["red"]
        light = row.light
        rows.append(
            f'<tr><td>{"" if light == NO_ITEMS else lights[light]}<a href="{link(pk=row.unit.pk)}">'
            f'{escape(row.unit.name)}</a>{abolished if row.unit.abolished_on else ""}</td>'
            f'<td class="text-end">{f.total}</td>'
            f'<td class="text-end">{"—" if f.closed_percent is None else f"{f.closed_percent}%"}</td>'
            f'<td class="text-end{" text-danger" if f.overdue else ""}">{f.overdue}</td>'
            f'<td class="text-end{" text-danger fw-bold" if red else ""}">{red}</td></tr>')
    return mark_safe("".join(rows))  # noqa: S308 (names and labels are escaped, the rest are numbers)
