"""The workflow of items and closing requests (销号申请): one table of (state, action) → next state.

Each action has a guard on who may take it (the policy's rights and the object rules of
`ledgers.rules`) and a condition on the object beyond its state. Services change a state only
through `item_apply` and `closing_apply`; pages and the API ask `actions_for` what to offer, so
a button is shown exactly when the action would pass the same checks the service makes.

A refusal of *who* answers 404 out of the reader's scope and 403 in it (`policy.refusal`); a
refusal of *when* (the state, a pending request) is a LedgerError with its Chinese message.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from django.utils.translation import gettext_lazy as _

from huitoukan.access import policy
from huitoukan.access.policy import Perm
from huitoukan.ledgers import rules, selectors
from huitoukan.ledgers.errors import LedgerError, LedgerErrorCode
from huitoukan.ledgers.models import ClosingRequest, ClosingState, Item, ItemStatus


class Action(StrEnum):
    EDIT = "edit"
    PROGRESS = "progress"
    PLAN = "plan"  # 后段工作措施 before any progress: a measure not yet started (hand-filled ledgers)
    EVIDENCE = "evidence"
    REQUEST_CLOSE = "request_close"
    VERIFY_CLOSE = "verify_close"
    RETURN_CLOSE = "return_close"
    SEND_BACK = "send_back"
    RELAPSE = "relapse"


ACTION_LABELS = {
    Action.EDIT: _("修改"),
    Action.PROGRESS: _("填报进展"),
    Action.PLAN: _("填报后段工作措施"),
    Action.EVIDENCE: _("上传佐证材料"),
    Action.REQUEST_CLOSE: _("申请销号"),
    Action.VERIFY_CLOSE: _("核验销号"),
    Action.RETURN_CLOSE: _("退回"),
    Action.SEND_BACK: _("回炉"),
    Action.RELAPSE: _("反弹"),
}

S = ItemStatus
A = Action
OPEN = (S.NOT_STARTED, S.IN_PROGRESS, S.BASICALLY_DONE, S.SENT_BACK, S.RELAPSED)


def _stays(states, action: Action) -> dict:
    return {(state, action): (state,) for state in states}


# (item state, action) → the states the action may lead to. The first is where it goes unless the
# actor chooses another: a progress report may move an item to 整改中 or 基本完成.
ITEM_TRANSITIONS: dict[tuple[str, Action], tuple[str, ...]] = {
    **_stays(OPEN, A.EDIT),
    (S.NOT_STARTED, A.PROGRESS): (S.IN_PROGRESS, S.BASICALLY_DONE),
    (S.IN_PROGRESS, A.PROGRESS): (S.IN_PROGRESS, S.BASICALLY_DONE),
    (S.BASICALLY_DONE, A.PROGRESS): (S.BASICALLY_DONE, S.IN_PROGRESS),
    (S.SENT_BACK, A.PROGRESS): (S.SENT_BACK, S.IN_PROGRESS, S.BASICALLY_DONE),
    (S.RELAPSED, A.PROGRESS): (S.RELAPSED, S.IN_PROGRESS, S.BASICALLY_DONE),
    **_stays(OPEN, A.PLAN),
    **_stays((*OPEN, S.CLOSED), A.EVIDENCE),
    **_stays(OPEN, A.REQUEST_CLOSE),
    **{(state, A.VERIFY_CLOSE): (S.CLOSED,) for state in OPEN},
    **_stays(OPEN, A.RETURN_CLOSE),
    # 回炉/补课 sends back work that was done or under way (a relapse too); nothing to send back
    # before it starts, nor twice before the unit has answered the first.
    **{(state, A.SEND_BACK): (S.SENT_BACK,) for state in (S.IN_PROGRESS, S.BASICALLY_DONE, S.CLOSED, S.RELAPSED)},
    (S.CLOSED, A.RELAPSE): (S.RELAPSED,),
}

# (closing request state, action) → next state. 回炉 voids a pending request: it is returned.
CLOSING_TRANSITIONS: dict[tuple[str, Action], str] = {
    (ClosingState.PENDING, A.VERIFY_CLOSE): ClosingState.VERIFIED,
    (ClosingState.PENDING, A.RETURN_CLOSE): ClosingState.RETURNED,
    (ClosingState.PENDING, A.SEND_BACK): ClosingState.RETURNED,
}

# What a refused state says, per action.
STATE_ERRORS = {
    A.EDIT: LedgerErrorCode.CLOSED_NOT_EDITABLE,
    A.PROGRESS: LedgerErrorCode.ITEM_CLOSED,
    A.PLAN: LedgerErrorCode.ITEM_CLOSED,
    A.EVIDENCE: LedgerErrorCode.ITEM_CLOSED,
    A.REQUEST_CLOSE: LedgerErrorCode.ITEM_CLOSED,
    A.VERIFY_CLOSE: LedgerErrorCode.ITEM_CLOSED,
    A.RETURN_CLOSE: LedgerErrorCode.ITEM_CLOSED,
    A.SEND_BACK: LedgerErrorCode.SEND_BACK_NOT_ALLOWED,
    A.RELAPSE: LedgerErrorCode.RELAPSE_ONLY_CLOSED,
}


@dataclass
class ItemSubject:
    """An item with what its guards read: its unit, its lead leaders, its closing request.

    `pending` is the item's pending closing request, or for a decision the request being decided
    (the guard checks its requester; the condition checks it is still pending). `has_progress`
    counts real reports only, not a plan entered before the work started.
    """

    item: Item
    leader_ids: frozenset[int]
    pending: ClosingRequest | None
    has_progress: bool
    # 上下联动: the unit leading the item through its claimed link (ledgers.linkage), whose office may write for
    # the leaders (代填) as the item's own office may; `leader_ids` holds that link's leaders too.
    lead_unit: object = None

    @property
    def unit(self):
        return self.item.ledger.unit

    @classmethod
    def of(cls, item: Item, *, leader_ids=None, pending=None, has_progress=None) -> ItemSubject:
        """Reads what is not given; a bulk caller passes what it fetched for many items at once."""
        lead_unit = None
        if leader_ids is None:
            lead = selectors.item_leads([item.pk]).get(item.pk, selectors.NO_LEAD)
            leader_ids, lead_unit = lead.leader_ids, lead.lead_unit
        if pending is None:
            pending = item.closing_requests.filter(state=ClosingState.PENDING).select_related(
                "requested_by").first()
        if has_progress is None:
            has_progress = item.progress.exclude(progress="").exists()
        return cls(item, frozenset(leader_ids), pending, has_progress, lead_unit)


Refusal = policy.Refusal
Guard = Callable[[object, ItemSubject], Refusal | None]


def _right(perm: Perm) -> Guard:
    def guard(user, subject: ItemSubject) -> Refusal | None:
        return None if policy.can(user, perm, subject.unit) else policy.refusal(user, perm, subject.unit)
    return guard


def _leader_or(perm: Perm | None, code: LedgerErrorCode) -> Guard:
    """A lead leader of the item, or (when `perm` is given) whoever holds it over the unit (代填)."""
    def guard(user, subject: ItemSubject) -> Refusal | None:
        if rules.is_lead_leader(user, subject.leader_ids):
            return None
        if perm is not None and policy.can(user, perm, subject.unit):
            return None
        if perm is not None and subject.lead_unit is not None and policy.can(user, perm, subject.lead_unit):
            return None  # the office of the unit leading it (上下联动) writes for its leaders
        refused = policy.refusal(user, Perm.LEDGER_EDIT, subject.unit, code)
        if isinstance(refused, policy.Denied) and subject.lead_unit is not None:
            return policy.refusal(user, Perm.LEDGER_EDIT, subject.lead_unit, code)
        return refused
    return guard


def _decider(user, subject: ItemSubject) -> Refusal | None:
    refused = _right(Perm.CLOSE_VERIFY)(user, subject)
    if refused is not None:
        return refused
    pending = subject.pending
    if pending is not None and not rules.may_decide_closing(user, requested_by=pending.requested_by,
                                                            leader_ids=subject.leader_ids):
        return policy.Forbidden(Perm.CLOSE_VERIFY, subject.unit, LedgerErrorCode.SELF_VERIFY)
    return None


GUARDS: dict[Action, Guard] = {
    A.EDIT: _right(Perm.LEDGER_EDIT),
    A.PROGRESS: _leader_or(Perm.LEDGER_EDIT, LedgerErrorCode.NOT_A_LEAD_LEADER),
    A.PLAN: _leader_or(Perm.LEDGER_EDIT, LedgerErrorCode.NOT_A_LEAD_LEADER),
    A.EVIDENCE: _leader_or(Perm.LEDGER_EDIT, LedgerErrorCode.NOT_A_LEAD_LEADER),
    A.REQUEST_CLOSE: _leader_or(None, LedgerErrorCode.NOT_A_LEAD_LEADER_TO_CLOSE),
    A.VERIFY_CLOSE: _decider,
    A.RETURN_CLOSE: _decider,
    A.SEND_BACK: _right(Perm.ITEM_REOPEN),
    A.RELAPSE: _right(Perm.ITEM_REOPEN),
}


def _condition(action: Action, subject: ItemSubject) -> LedgerError | None:
    """What the object must be, beyond its state, for the action to pass."""
    if (subject.item.status, action) not in ITEM_TRANSITIONS:
        return LedgerError(STATE_ERRORS[action])
    pending = subject.pending is not None and subject.pending.state == ClosingState.PENDING
    if action == A.REQUEST_CLOSE:
        if pending:
            return LedgerError(LedgerErrorCode.CLOSING_PENDING)
        if not subject.has_progress:
            return LedgerError(LedgerErrorCode.CLOSING_WITHOUT_PROGRESS)
    if action == A.PLAN and subject.has_progress:
        return LedgerError(LedgerErrorCode.PLAN_AFTER_PROGRESS)
    if action in (A.VERIFY_CLOSE, A.RETURN_CLOSE) and not pending:
        state = subject.pending.get_state_display() if subject.pending is not None else _("无待核验申请")
        return LedgerError(LedgerErrorCode.CLOSING_NOT_PENDING, state=state)
    return None


def refusal_of(user, action: Action, subject: ItemSubject) -> Exception | None:
    """Why `user` may not take `action` now (who first, then when), or None if they may.

    `user` None is the command line: the operator's rights, but the same states and conditions.
    """
    if user is not None:
        refused = GUARDS[action](user, subject)
        if refused is not None:
            return refused
    return _condition(action, subject)


def authorize(user, action: Action, subject: ItemSubject) -> None:
    """Refuse (403/404) a user who may never take `action` on this item, whatever they submit.

    Pages and the API call it before they validate input, so a refused write answers 403 or 404,
    never a form error; the service then checks everything again with `check`.
    """
    refused = GUARDS[action](user, subject)
    if refused is not None:
        raise refused


def check(user, action: Action, subject: ItemSubject) -> None:
    """Raise the refusal of `action`: Denied (404), Forbidden (403) or a LedgerError."""
    refused = refusal_of(user, action, subject)
    if refused is not None:
        raise refused


def allows(user, action: Action, subject: ItemSubject) -> bool:
    return refusal_of(user, action, subject) is None


def actions_for(user, subject: ItemSubject) -> frozenset[Action]:
    """Every action `user` may take on the item now: what the page and the API offer."""
    return frozenset(a for a in Action if refusal_of(user, a, subject) is None)


def next_status(item: Item, action: Action, requested: str | None = None) -> str:
    """The state `action` takes the item to; `requested` chooses among the table's choices."""
    choices = ITEM_TRANSITIONS.get((item.status, action))
    if choices is None:
        raise LedgerError(STATE_ERRORS[action])
    if requested is None or requested == choices[0]:
        return choices[0]
    if requested not in choices:
        raise LedgerError(LedgerErrorCode.STATUS_NOT_ALLOWED)
    return requested


def item_apply(item: Item, action: Action, requested: str | None = None) -> tuple[str, str]:
    """Move the item through the table; returns (before, after). Saving is the service's."""
    before = item.status
    item.status = next_status(item, action, requested)
    return before, item.status


def closing_apply(request: ClosingRequest, action: Action) -> None:
    after = CLOSING_TRANSITIONS.get((request.state, action))
    if after is None:
        raise LedgerError(LedgerErrorCode.CLOSING_NOT_PENDING, state=request.get_state_display())
    request.state = after
