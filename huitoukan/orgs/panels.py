"""Panels that other apps add to a unit's page, so that orgs shows them without importing them.

An app above orgs registers a panel from its AppConfig.ready():

    unit_panel_register("ledgers.item-counts", template="ledgers/_unit_panel.html",
                        context=item_counts_panel, order=10)

`context(unit, user)` returns the template's context, or None when this reader sees no such
panel (it checks the reader's rights itself). The unit page includes each shown panel's
template, in `order`, after the unit's own details; the template sees that context as `panel`
(`{{ panel.item_counts.total }}`) beside the page's own context.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

PanelContext = Callable[..., dict | None]


@dataclass(frozen=True)
class UnitPanel:
    name: str
    template: str
    context: PanelContext
    order: int = 100


@dataclass(frozen=True)
class ShownPanel:
    """One panel for one reader: the template to include and its context."""

    name: str
    template: str
    context: dict


_registry: dict[str, UnitPanel] = {}


def unit_panel_register(name: str, *, template: str, context: PanelContext, order: int = 100) -> None:
    """Add (or, under the same name, replace) a panel of the unit page."""
    _registry[name] = UnitPanel(name=name, template=template, context=context, order=order)


def unit_panels(*, unit, user) -> list[ShownPanel]:
    """The panels this reader sees on this unit's page, in order."""
    shown = []
    for panel in sorted(_registry.values(), key=lambda p: (p.order, p.name)):
        context = panel.context(unit, user)
        if context is not None:
            shown.append(ShownPanel(name=panel.name, template=panel.template, context=context))
    return shown
