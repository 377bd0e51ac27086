"""Table rows made in Python: on this machine kind the template engine spends 0.1–0.3 ms on a small
row (a loop, an include, `{% url %}` and translations per cell), more than the row's own work, and
the pages with many rows (a ledger, a 汇总 table) spend most of their time there."""

from __future__ import annotations

import re
from collections.abc import Callable
from html import escape

ANY_ID = 2_147_483_647  # no row has it: a URL or a snippet is made once with it, then given each row's id


def stamp(markup: str, holes: dict[str, object]) -> Callable[..., str]:
    """`markup`, made once with placeholder values (`holes`: name → a value no row has), as a function of
    a row's values, put in escaped as the template would: rendering a small template for every row costs
    more than the row itself."""
    names = {str(value): name for name, value in holes.items()}
    parts = re.split(f"({'|'.join(map(re.escape, names))})", markup)

    def fill(**values) -> str:
        return "".join([escape(str(values[names[part]])) if part in names else part for part in parts])

    return fill
