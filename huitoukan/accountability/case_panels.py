"""What 责任追究 adds to the pages below it (huitoukan.core.panels): on a ledger item's page and on a supervision
finding's page, the cases that cite it, for readers of cases (unit heads and discipline staff); the other readers
see no such panel and cost no query."""

from __future__ import annotations

from huitoukan.access import policy
from huitoukan.access.policy import Perm
from huitoukan.accountability import case_selectors


def citing_cases_panel(obj, user) -> dict | None:
    if not policy.has_perm_somewhere(user, Perm.ACCOUNTABILITY_VIEW):
        return None
    cases = list(case_selectors.cases_citing(obj, user).order_by("-decided_on", "-id")[:20])
    if not cases:
        return None
    return {"cases": cases}


def register_case_panels() -> None:
    """Called from AccountabilityConfig.ready()."""
    from huitoukan.ledgers.panels import ITEM_PAGE
    from huitoukan.supervision.panels import FINDING_PAGE

    for slot in (ITEM_PAGE, FINDING_PAGE):
        slot.register("accountability.citing-cases", template="accountability/case_citing_panel.html",
                      context=citing_cases_panel, order=80)
