"""The kept counts of 责任追究 for the roll-ups (orgs.WorkTally): each action of a case counted at the unit it
holds answerable (CaseAction.unit) and at every unit above it, keyed by its kind (约谈提醒, 诫勉批评, …), under the
case's campaign (0 for a case outside any campaign). The 驾驶舱 reads them in one statement whatever the size of
the subtree, never counting actions per request.

Every write that adds, changes or removes a CaseAction (or moves its case to another campaign) calls
`case_actions_counted` once, in its own transaction, with the actions as they counted before and as they count
after. `case_actions_own` recounts from the rows for `huitoukan totals-rebuild`; `register` (called from the app's
ready()) hands it to orgs.totals.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count

from huitoukan.access import policy
from huitoukan.access.policy import Perm
from huitoukan.accountability.models import ActionKind, CaseAction
from huitoukan.orgs import totals as unit_totals
from huitoukan.orgs.models import Unit

ACCOUNTABILITY_TOPIC = "accountability"


@dataclass(frozen=True)
class Counted:
    """How one action counts: at which unit, under which campaign (0: none), as which kind."""

    unit: Unit
    campaign_id: int
    kind: str


def counted_as(action: CaseAction) -> Counted:
    """The action as it counts now; take this before changing an action or its case, and pass it as `before`."""
    return Counted(unit=action.unit, campaign_id=action.case.campaign_id or 0, kind=action.kind)


def case_actions_counted(*, before: Iterable[Counted | CaseAction] = (),
                         after: Iterable[Counted | CaseAction] = ()) -> None:
    """The one way the actions' kept counts change: `before` no longer count, `after` now do (a new action:
    after only; a removed one: before only; an edited one: its `counted_as` taken before the edit, and itself).
    Two queries per campaign touched, in the caller's transaction."""
    delta: Counter = Counter()
    units: dict[int, Unit] = {}
    for sign, actions in ((-1, before), (1, after)):
        for action in actions:
            c = action if isinstance(action, Counted) else counted_as(action)
            units[c.unit.pk] = c.unit
            delta[(c.unit.pk, c.campaign_id, c.kind)] += sign
    changes: dict[int, list] = defaultdict(list)
    for (unit_id, campaign_id, kind), n in sorted(delta.items()):
        step = (units[unit_id], None, kind) if n > 0 else (units[unit_id], kind, None)
        changes[campaign_id].extend([step] * abs(n))
    for campaign_id, steps in changes.items():
        unit_totals.work_counted_many(steps, topic=ACCOUNTABILITY_TOPIC, campaign_id=campaign_id)


def case_actions_own() -> Counter:
    """The actions counted at their own units, as WorkTally keys them (orgs.totals.work_own_register): one query."""
    own: Counter = Counter()
    rows = (CaseAction.objects.order_by().values("unit_id", "case__campaign_id", "kind").annotate(n=Count("id"))
            .values_list("unit_id", "case__campaign_id", "kind", "n"))
    for unit_id, campaign_id, kind, n in rows:
        own[(unit_id, campaign_id or 0, ACCOUNTABILITY_TOPIC, kind)] += n
    return own


# The kinds that are public by their nature (004 三: 通报批评、公开曝光): their counts may be shown to every reader of
# the unit's business data. The other kinds (约谈, 诫勉, 处分, …) are read only by those who read the cases.
PUBLIC_KINDS = (ActionKind.CIRCULATE, ActionKind.EXPOSE)


def kinds_shown_to(user, unit) -> tuple[str, ...]:
    """The action kinds whose counts under `unit` `user` may read: all of them with ACCOUNTABILITY_VIEW over the
    unit, else only the public ones. The one rule of the 驾驶舱 and of the 公文 drafted from the figures."""
    if policy.can(user, Perm.ACCOUNTABILITY_VIEW, unit):
        return tuple(ActionKind.values)
    return tuple(PUBLIC_KINDS)


def register() -> None:
    """Hand the recount to `totals-rebuild`: call from AccountabilityConfig.ready()."""
    unit_totals.work_own_register("accountability.actions", case_actions_own)
