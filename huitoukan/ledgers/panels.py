"""What the ledgers add to other apps' pages (registered in LedgersConfig.ready())."""

from __future__ import annotations

from huitoukan.access import policy
from huitoukan.access.policy import Perm
from huitoukan.core.panels import Panels
from huitoukan.ledgers import selectors

# The item page's slot: the apps above show there what they link to the item (item, reader).
ITEM_PAGE = Panels("ledgers.item")


def item_counts_panel(unit, user) -> dict | None:
    """The unit page's item counts of its whole subtree, for readers of business data."""
    if not policy.can(user, Perm.WORK_VIEW, unit):
        return None
    return {"item_counts": selectors.item_counts_under(unit=unit)}
