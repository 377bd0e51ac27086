"""What the opinions add to the ledger item page (huitoukan.ledgers.panels.ITEM_PAGE): the opinions the item
came from, for readers of opinions (the office and discipline staff); the other readers see no such panel."""

from __future__ import annotations

from huitoukan.access import policy
from huitoukan.access.policy import Perm
from huitoukan.publicity import opinion_selectors


def item_opinions_panel(item, user) -> dict | None:
    if not policy.has_perm_somewhere(user, Perm.OPINION_VIEW):  # most readers: no query at all
        return None
    opinions = opinion_selectors.opinions_of_item(user=user, item=item)
    if not opinions:
        return None
    return {"opinions": opinions}


def register_panels() -> None:
    """Called from PublicityConfig.ready()."""
    from huitoukan.ledgers.panels import ITEM_PAGE

    ITEM_PAGE.register("publicity.item-opinions", template="publicity/opinions/_item_panel.html",
                       context=item_opinions_panel, order=50)
