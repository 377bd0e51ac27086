"""Object rules of 逐级审阅: the review chain of a unit, and who counts as reviewing their own unit."""

from __future__ import annotations

from huitoukan.access import policy
from huitoukan.core.paths import ancestor_paths
from huitoukan.orgs.models import Person, Unit


def review_chain(unit: Unit, campaign) -> list[Unit]:
    """The units that review `unit`'s package, bottom up: its ancestors below the campaign's owner at the
    campaign's review levels (e.g. 乡镇 then 县), then the owner unit, which always reviews last."""
    owner = campaign.owner_unit
    levels = set(campaign.review_levels or ())
    between = [p for p in ancestor_paths(unit.path) if p.startswith(owner.path) and len(p) > len(owner.path)]
    reviewers = []
    if levels and between:
        found = {u.path: u for u in Unit.objects.filter(path__in=between, level__in=levels)}
        reviewers = [found[p] for p in reversed(between) if p in found]
    return [*reviewers, owner]


def next_reviewer(unit: Unit, campaign, current: Unit | None) -> Unit | None:
    """The chain's step after `current` (the first step when None); None once the chain is done."""
    chain = review_chain(unit, campaign)
    if current is None:
        return chain[0]
    ids = [u.pk for u in chain]
    if current.pk not in ids:
        return None
    at = ids.index(current.pk)
    return chain[at + 1] if at + 1 < len(chain) else None


def reviews_own_unit(user, unit: Unit, reviewer_unit: Unit) -> bool:
    """Would `user` review their own unit's package? They do when they hold any grant at the package's unit
    or at a unit between it and the reviewing unit, or when the person they are belongs there: a login of
    涟源市's office that also holds 娄底市's office cannot approve 涟源市's package, nor can another login of
    the same person."""
    own_paths = set(ancestor_paths(unit.path, include_self=True))
    own_paths = {p for p in own_paths if len(p) > len(reviewer_unit.path)}
    held = policy.units_held(user)
    if held and Unit.objects.filter(pk__in=held, path__in=own_paths).exists():
        return True
    person_ids = policy.persons_of(user)
    if person_ids and Person.objects.filter(pk__in=person_ids, unit__path__in=own_paths).exists():
        return True
    return False
