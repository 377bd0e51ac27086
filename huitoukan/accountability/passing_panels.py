"""What 过关 adds to the unit page (huitoukan.orgs.panels): the unit's verdict in each campaign that judges it,
worked out now, with every reason and the clause it rests on; readers of business data only."""

from __future__ import annotations

from huitoukan.accountability import passing, passing_selectors


def unit_verdicts_panel(unit, user) -> dict | None:
    verdicts = passing_selectors.unit_verdicts(user=user, unit=unit)
    if not verdicts:
        return None
    return {"verdicts": verdicts, "rules": passing.RULES}
