"""The workflow of a package version: one table of (state, action) → next state, with who may act.

Services move a version only through `apply`; pages and the API ask `actions_for` what to offer, so a
button shows exactly when the action would pass the service's checks. A refusal of *who* answers 404
out of the reader's scope and 403 in it (`policy.refusal`); a refusal of *when* is a ReviewError.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from huitoukan.access import policy
from huitoukan.access.policy import Perm
from huitoukan.reviews import rules
from huitoukan.reviews.errors import ReviewError, ReviewErrorCode
from huitoukan.reviews.models import PackageAction, PackageState, PackageVersion

A, S = PackageAction, PackageState

# (state, action) → next state. APPROVE stays SUBMITTED while the chain has a next step (the service
# moves the reviewer on), and becomes APPROVED at the last.
TRANSITIONS: dict[tuple[str, str], str] = {
    (S.AWAITING_HEAD, A.HEAD_APPROVE): S.READY,  # or AWAITING_GROUP where the campaign wants the group's audit
    (S.AWAITING_HEAD, A.HEAD_RETURN): S.RETURNED,
    (S.AWAITING_GROUP, A.GROUP_AUDIT): S.READY,
    (S.AWAITING_GROUP, A.GROUP_RETURN): S.RETURNED,
    (S.READY, A.SUBMIT): S.SUBMITTED,
    (S.AWAITING_HEAD, A.WITHDRAW): S.WITHDRAWN,
    (S.AWAITING_GROUP, A.WITHDRAW): S.WITHDRAWN,
    (S.READY, A.WITHDRAW): S.WITHDRAWN,
    (S.SUBMITTED, A.APPROVE): S.APPROVED,
    (S.SUBMITTED, A.RETURN): S.RETURNED,
}
# Comments change no state; each kind of commenter may comment while the version is with them.
COMMENTABLE = {
    "head": frozenset({S.AWAITING_HEAD}),
    "group": frozenset({S.AWAITING_HEAD, S.AWAITING_GROUP, S.READY, S.SUBMITTED, S.RETURNED, S.APPROVED}),
    "reviewer": frozenset({S.SUBMITTED}),
}
NEEDS_REASON = frozenset({A.HEAD_RETURN, A.GROUP_RETURN, A.RETURN})
# The actions that move a version (all but building one and commenting).
MOVES = frozenset(action for _state, action in TRANSITIONS)


@dataclass
class VersionSubject:
    """A version with what the guards read: its unit, campaign, and the unit it waits for."""

    version: PackageVersion

    @property
    def unit(self):
        return self.version.submission.unit

    @property
    def campaign(self):
        return self.version.submission.deadline.campaign

    @property
    def reviewer(self):
        """The unit whose decision the version waits for, or would wait for once submitted."""
        if self.version.reviewer_unit_id is not None:
            return self.version.reviewer_unit
        cached = getattr(self, "_first_reviewer", None)
        if cached is None:
            cached = self._first_reviewer = rules.next_reviewer(self.unit, self.campaign, None)
        return cached


Guard = Callable[[object, VersionSubject], Exception | None]


def _at_unit(perm: Perm, code: ReviewErrorCode) -> Guard:
    """The unit's own office or head: a grant at the unit itself, not over it from above."""
    def guard(user, subject: VersionSubject):
        if policy.holds_at(user, perm, subject.unit):
            return None
        return policy.refusal(user, perm, subject.unit, code)
    return guard


def _group(user, subject: VersionSubject):
    return None if policy.can(user, Perm.PACKAGE_AUDIT, subject.unit) else policy.refusal(
        user, Perm.PACKAGE_AUDIT, subject.unit)


def _reviewer(user, subject: VersionSubject):
    reviewer = subject.reviewer
    if not policy.holds_at(user, Perm.PACKAGE_REVIEW, reviewer):
        code = ReviewErrorCode.NOT_THE_REVIEWER
        refused = policy.refusal(user, Perm.PACKAGE_REVIEW, subject.unit, code)
        if isinstance(refused, policy.Forbidden):
            refused.message = code.value % {"unit": reviewer.full_name}
        return refused
    if rules.reviews_own_unit(user, subject.unit, reviewer):
        return policy.Forbidden(Perm.PACKAGE_REVIEW, subject.unit, ReviewErrorCode.SELF_REVIEW)
    return None


_office = _at_unit(Perm.PACKAGE_SUBMIT, ReviewErrorCode.NOT_THE_OFFICE)
_head = _at_unit(Perm.PACKAGE_APPROVE, ReviewErrorCode.NOT_THE_HEAD)

GUARDS: dict[str, Guard] = {
    A.BUILD: _office,
    A.SUBMIT: _office,
    A.WITHDRAW: _office,
    A.HEAD_APPROVE: _head,
    A.HEAD_RETURN: _head,
    A.GROUP_AUDIT: _group,
    A.GROUP_RETURN: _group,
    A.APPROVE: _reviewer,
    A.RETURN: _reviewer,
}


def commenter(user, subject: VersionSubject) -> str | None:
    """As whom `user` may comment on the version now: "reviewer", "group", "head", or None."""
    state = subject.version.state
    if state in COMMENTABLE["reviewer"] and _reviewer(user, subject) is None:
        return "reviewer"
    if state in COMMENTABLE["group"] and _group(user, subject) is None:
        return "group"
    if state in COMMENTABLE["head"] and _head(user, subject) is None:
        return "head"
    return None


def _comment_guard(user, subject: VersionSubject):
    if any(GUARDS[a](user, subject) is None for a in (A.APPROVE, A.GROUP_AUDIT, A.HEAD_APPROVE)):
        return None
    return policy.refusal(user, Perm.PACKAGE_REVIEW, subject.unit)


GUARDS[A.COMMENT] = _comment_guard


def _condition(action: str, subject: VersionSubject) -> ReviewError | None:
    state = subject.version.state
    if action == A.COMMENT:
        return None if any(state in states for states in COMMENTABLE.values()) else ReviewError(
            ReviewErrorCode.WRONG_STATE, state=subject.version.get_state_display(), action=PackageAction(action).label)
    if action == A.BUILD:
        return None
    if (state, action) not in TRANSITIONS:
        return ReviewError(ReviewErrorCode.WRONG_STATE, state=subject.version.get_state_display(),
                           action=PackageAction(action).label)
    return None


def authorize(user, action: str, subject: VersionSubject) -> None:
    """Refuse (403/404) whoever may never take `action` here, before any input is read."""
    refused = GUARDS[action](user, subject)
    if refused is not None:
        raise refused


def refusal_of(user, action: str, subject: VersionSubject) -> Exception | None:
    return GUARDS[action](user, subject) or _condition(action, subject)


def check(user, action: str, subject: VersionSubject) -> None:
    refused = refusal_of(user, action, subject)
    if refused is not None:
        raise refused


def actions_for(user, subject: VersionSubject) -> frozenset[str]:
    """What `user` may do with the version now (BUILD is the submission's, not the version's)."""
    return frozenset(a for a in PackageAction if a != A.BUILD and refusal_of(user, a, subject) is None)


def apply(version: PackageVersion, action: str, *, group_audit: bool = False) -> tuple[str, str]:
    """Move the version through the table; returns (before, after). Saving is the service's."""
    before = version.state
    after = TRANSITIONS.get((before, action))
    if after is None:
        raise ReviewError(ReviewErrorCode.WRONG_STATE, state=version.get_state_display(),
                          action=PackageAction(action).label)
    if action == A.HEAD_APPROVE and group_audit:
        after = S.AWAITING_GROUP
    version.state = after
    return before, after
