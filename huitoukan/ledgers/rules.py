"""Object rules of the ledgers beyond unit scope, built on the policy's primitives.

The policy answers "may this login do X in this part of the tree". These rules answer what the
tree cannot: is this login a lead leader of this item, is it the one who asked for this closing
(under any of its logins). The 三员 act as no person at all: `policy.persons_of` is empty for them.
"""

from __future__ import annotations

from huitoukan.access import policy


def is_lead_leader(user, leader_ids: frozenset[int] | set[int]) -> bool:
    """Does this login act as one of the item's lead leaders (牵头领导)?"""
    return bool(policy.persons_of(user) & set(leader_ids))


def is_same_person(user, other_user) -> bool:
    """The same login, or another login of the same person."""
    if other_user is None:
        return False
    return user.pk == other_user.pk or bool(policy.persons_of(user) & policy.persons_of(other_user))


def may_decide_closing(user, *, requested_by, leader_ids) -> bool:
    """销号 is verified by someone else: neither the requester (under any login) nor a lead leader."""
    return not is_same_person(user, requested_by) and not is_lead_leader(user, leader_ids)
