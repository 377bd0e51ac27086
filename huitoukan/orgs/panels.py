"""Panels that other apps add to a unit's page, so that orgs shows them without importing them
(huitoukan.core.panels). An app above orgs registers one from its AppConfig.ready():

    unit_panel_register("ledgers.item-counts", template="ledgers/_unit_panel.html",
                        context=item_counts_panel, order=10)

`context(unit, user)` returns the template's context, or None when this reader sees no such panel; the
template sees that context as `panel` (`{{ panel.item_counts.total }}`) beside the page's own context.
"""

from __future__ import annotations

from huitoukan.core.panels import PanelContext, Panels, ShownPanel

UNIT_PAGE = Panels("unit")


def unit_panel_register(name: str, *, template: str, context: PanelContext, order: int = 100) -> None:
    """Add (or, under the same name, replace) a panel of the unit page."""
    UNIT_PAGE.register(name, template=template, context=context, order=order)


def unit_panels(*, unit, user) -> list[ShownPanel]:
    """The panels this reader sees on this unit's page, in order."""
    return UNIT_PAGE.shown(unit, user)
