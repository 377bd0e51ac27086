"""The item page's 回头看复查 panel (ledgers.panels.ITEM_PAGE): the item's rechecks, for whoever reads the item."""

from __future__ import annotations

from django.utils import timezone

from huitoukan.rechecks import selectors


def item_rechecks_panel(item, user) -> dict | None:
    rechecks = selectors.rechecks_of_item(item)
    if not rechecks:
        return None
    return {"rechecks": rechecks, "today": timezone.localdate()}
