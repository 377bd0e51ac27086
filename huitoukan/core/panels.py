"""Panels: places on a lower app's page that the apps above fill, so the page shows them without importing
them (apps depend downward only).

A lower app owns a slot (`UNIT_PAGE = Panels("unit")`); an app above registers from its AppConfig.ready():

    UNIT_PAGE.register("ledgers.item-counts", template="ledgers/_unit_panel.html", context=item_counts, order=10)

`context(*args)` (the slot says which arguments: the unit and the reader, say) returns the template's context,
or None when this reader sees no such panel (it checks the reader's rights itself). The page includes each
shown panel's template, in `order`, with that context as `panel`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

PanelContext = Callable[..., dict | None]


@dataclass(frozen=True)
class Panel:
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


class Panels:
    """One slot of one page: the panels registered for it."""

    def __init__(self, slot: str):
        self.slot = slot
        self._registry: dict[str, Panel] = {}

    def register(self, name: str, *, template: str, context: PanelContext, order: int = 100) -> None:
        """Add (or, under the same name, replace) a panel."""
        self._registry[name] = Panel(name=name, template=template, context=context, order=order)

    def shown(self, *args) -> list[ShownPanel]:
        """The panels shown for these arguments (the object and the reader), in order."""
        shown = []
        for panel in sorted(self._registry.values(), key=lambda p: (p.order, p.name)):
            context = panel.context(*args)
            if context is not None:
                shown.append(ShownPanel(name=panel.name, template=panel.template, context=context))
        return shown
