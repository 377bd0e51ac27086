"""The 报送情况 tables' rows made in Python (core.rowmarkup): a province's page lists 50 units and its children,
and the template engine would spend more on the rows than the page spends on its reads."""

from __future__ import annotations

from html import escape

from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from huitoukan.core.rowmarkup import ANY_ID, stamp
from huitoukan.reviews.models import ReportState
from huitoukan.reviews.selectors import ReportingStatus
from huitoukan.reviews.templatetags.review_tags import state_colour


def unit_rows(status: ReportingStatus) -> SafeString:
    link = stamp(reverse("review-submission", args=[status.deadline.pk, ANY_ID]), {"pk": ANY_ID})
    here = timezone.get_current_timezone()
    badges = {state: f'<span class="badge bg-{state_colour(state)}-lt">{escape(str(label))}</span>'
              for state, label in ReportState.choices}
    late = f'<span class="text-red">{escape(_("逾期"))}</span>'
    timing = {True: escape(_("按时")), False: late,
              None: f'<span class="text-red">{escape(_("逾期未报"))}</span>' if status.overdue else "—"}
    rows = []
    cut = len(status.within.full_name) + 1  # a unit named by its path below the part shown
    for r in status.rows:
        named = r.unit.full_name[cut:] if r.unit.full_name.startswith(status.within.full_name + "/") else r.unit.name
        rows.append(
            f'<tr><td class="text-nowrap"><a href="{link(pk=r.unit.pk)}">{escape(named)}</a></td>'
            f'<td>{badges[r.state]}</td><td>{timing[r.on_time]}</td><td class="text-nowrap">'
            f'{r.first_submitted_at.astimezone(here).strftime("%Y-%m-%d %H:%M") if r.first_submitted_at else "—"}</td>'
            f'<td class="text-end">{r.versions}</td></tr>')
    if not rows:
        rows.append(f'<tr><td colspan="5" class="text-secondary">{escape(_("没有须报送的单位。"))}</td></tr>')
    return mark_safe("".join(rows))  # noqa: S308 (every value above is escaped)


def child_rows(status: ReportingStatus) -> SafeString:
    rows = []
    # a past day's status drills down to the children as they stood that day
    day = f"&amp;as_of={status.as_of:%Y-%m-%d}" if status.as_of else ""
    for child, t in status.children:
        lagging = (f'<a class="text-red" href="?unit={child.pk}&amp;state=not_submitted{day}">{t.not_submitted}</a>'
                   if t.not_submitted else "0")
        rows.append(
            f'<tr><td class="text-nowrap"><a href="?unit={child.pk}{day}">{escape(child.name)}</a></td>'
            f'<td class="text-end">{t.expected}</td>'
            f'<td class="text-end">{t.submitted}</td><td class="text-end">{t.late}</td>'
            f'<td class="text-end">{t.returned}</td><td class="text-end">{t.approved}</td>'
            f'<td class="text-end">{lagging}</td><td class="text-end">{t.rate_text}</td></tr>')
    return mark_safe("".join(rows))  # noqa: S308 (every value above is escaped or a number)


def tally_rows(tallies) -> SafeString:
    """A small table's rows: a group, its submitted of expected, its rate."""
    return mark_safe("".join(  # noqa: S308 (the label is escaped, the rest are numbers)
        f'<tr><td>{escape(t.label)}</td><td class="text-end">{t.submitted}/{t.expected}</td>'
        f'<td class="text-end">{t.rate_text}</td></tr>' for t in tallies))
