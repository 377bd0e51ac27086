"""A unit's tags and the unit pages' table rows, made in Python (core.rowmarkup): through the template
engine an include per row, with `get_FOO_display` (which hashes every choice's lazy label on each
call), cost a province's unit page more than its reads."""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache
from html import escape

from django.urls import reverse
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from huitoukan.core.rowmarkup import ANY_ID, stamp
from huitoukan.orgs.models import Batch, UnitKind, UnitLevel


@cache
def _labels(choices, language: str | None) -> dict[str, str]:
    # Each choice's label translated once per language; keyed by the language so a switch shows its own.
    return {value: str(label) for value, label in choices.choices}


def label(choices, value) -> str:
    """The display label of `value` in a TextChoices class, as `get_FOO_display` gives it."""
    return _labels(choices, translation.get_language()).get(value, value)


def unit_tags_html(unit) -> SafeString:
    """层级, 类型, 批次 and 已撤销 badges of a unit."""
    parts = [f'<span class="badge bg-azure-lt">{escape(label(UnitLevel, unit.level))}</span> '
             f'<span class="badge bg-secondary-lt">{escape(label(UnitKind, unit.kind))}</span>']
    if unit.batch:
        parts.append(f' <span class="badge bg-purple-lt">{escape(label(Batch, unit.batch))}</span>')
    if unit.abolished_on:
        parts.append(f' <span class="badge bg-secondary">{escape(_("已撤销"))} {unit.abolished_on.isoformat()}</span>')
    return mark_safe("".join(parts))


def unit_rows_html(units: Iterable, *, empty: str) -> SafeString:
    """Table rows of units: name (linked, with its parent's name when the list carries `parent_display`),
    tags, number of child units."""
    link = stamp(escape(reverse("unit-detail", args=[ANY_ID])), {"pk": ANY_ID})
    rows = []
    for u in units:
        parent = getattr(u, "parent_display", "")
        below = f'<div class="small text-secondary">{escape(parent)}</div>' if parent else ""
        abolished = "unit-abolished" if u.abolished_on else ""
        rows.append(f'<tr><td><a href="{link(pk=u.pk)}" class="{abolished}" title="{escape(u.full_name)}">'
                    f'{escape(u.name)}</a>{below}</td><td>{unit_tags_html(u)}</td>'
                    f'<td class="text-end">{u.numchild}</td></tr>')
    if not rows:
        rows.append(f'<tr><td colspan="3" class="text-secondary">{escape(empty)}</td></tr>')
    return mark_safe("\n".join(rows))


def person_rows_html(people: Iterable, *, empty: str) -> SafeString:
    """Table rows of a unit's people: name (linked), post, 主要负责同志 / 党员领导干部 marks."""
    link = stamp(escape(reverse("person-detail", args=[ANY_ID])), {"pk": ANY_ID})
    head = f'<span class="badge bg-red-lt">{escape(_("主要负责同志"))}</span>'
    leader = f'<span class="badge bg-orange-lt">{escape(_("党员领导干部"))}</span>'
    rows = [f'<tr><td><a href="{link(pk=p.pk)}">{escape(p.name)}</a></td><td>{escape(p.position)}</td>'
            f'<td>{head if p.is_unit_head else ""} {leader if p.is_party_leader else ""}</td></tr>'
            for p in people]
    if not rows:
        rows.append(f'<tr><td colspan="3" class="text-secondary">{escape(empty)}</td></tr>')
    return mark_safe("\n".join(rows))
