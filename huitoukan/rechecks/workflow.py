"""The state table of a recheck, and who may take each action.

Who may is the ledgers' rule, not a second one: confirming a recheck attaches fresh evidence to the item, so it
is allowed to whoever the ledgers let attach evidence (a lead leader of the item, or the unit's staff holding
LEDGER_EDIT: `ledgers.workflow.GUARDS[EVIDENCE]`); failing it also reopens the item as 反弹, so it needs the
ledgers' RELAPSE guard (ITEM_REOPEN) as well. A refusal of who answers 404 out of the reader's scope and 403 in it.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from django.utils.translation import gettext_lazy as _

from huitoukan.ledgers import workflow as ledger_workflow
from huitoukan.ledgers.models import ItemStatus
from huitoukan.rechecks.errors import RecheckError, RecheckErrorCode
from huitoukan.rechecks.models import Recheck, RecheckState


class Action(StrEnum):
    CONFIRM = "confirm"
    FAIL = "fail"


ACTION_LABELS = {Action.CONFIRM: _("复查确认"), Action.FAIL: _("复查未通过")}

TRANSITIONS: dict[tuple[str, Action], str] = {
    (RecheckState.PENDING, Action.CONFIRM): RecheckState.CONFIRMED,
    (RecheckState.PENDING, Action.FAIL): RecheckState.FAILED,
}

# The ledgers' actions each recheck action takes on the item: their guards decide who may.
ITEM_ACTIONS = {
    Action.CONFIRM: (ledger_workflow.Action.EVIDENCE,),
    Action.FAIL: (ledger_workflow.Action.EVIDENCE, ledger_workflow.Action.RELAPSE),
}


def subject_of(recheck: Recheck) -> ledger_workflow.ItemSubject:
    return ledger_workflow.ItemSubject.of(recheck.item, pending=None, has_progress=True)


def _guard(user, action: Action, subject: ledger_workflow.ItemSubject):
    for item_action in ITEM_ACTIONS[action]:
        refused = ledger_workflow.GUARDS[item_action](user, subject)
        if refused is not None:
            return refused
    return None


def _condition(action: Action, recheck: Recheck, today: dt.date) -> RecheckError | None:
    if (recheck.state, action) not in TRANSITIONS:
        return RecheckError(RecheckErrorCode.NOT_PENDING, state=recheck.get_state_display(),
                            action=ACTION_LABELS[action])
    item = recheck.item
    if item.status != ItemStatus.CLOSED or item.closed_on != recheck.closed_on:
        return RecheckError(RecheckErrorCode.ITEM_NOT_CLOSED, status=item.get_status_display())
    if recheck.due_on > today:
        return RecheckError(RecheckErrorCode.NOT_DUE, due=recheck.due_on.isoformat())
    return None


def refusal_of(user, action: Action, recheck: Recheck, *, today: dt.date,
               subject: ledger_workflow.ItemSubject | None = None):
    """Why `user` may not take `action` on the recheck now (who first, then when); None if they may.
    `user` None is the command line: the operator's rights, the same states and conditions."""
    if user is not None:
        refused = _guard(user, action, subject or subject_of(recheck))
        if refused is not None:
            return refused
    return _condition(action, recheck, today)


def authorize(user, action: Action, recheck: Recheck) -> None:
    """Refuse (403/404) a user who may never take `action` on this recheck, before any input is read."""
    refused = _guard(user, action, subject_of(recheck))
    if refused is not None:
        raise refused


def check(user, action: Action, recheck: Recheck, *, today: dt.date) -> None:
    refused = refusal_of(user, action, recheck, today=today)
    if refused is not None:
        raise refused


def actions_for(user, recheck: Recheck, *, today: dt.date) -> frozenset[Action]:
    subject = subject_of(recheck)
    return frozenset(a for a in Action if refusal_of(user, a, recheck, today=today, subject=subject) is None)


def apply(recheck: Recheck, action: Action) -> None:
    after = TRANSITIONS.get((recheck.state, action))
    if after is None:
        raise RecheckError(RecheckErrorCode.NOT_PENDING, state=recheck.get_state_display(),
                           action=ACTION_LABELS[action])
    recheck.state = after
