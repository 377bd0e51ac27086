"""Hooks: a lower app says "these units changed in this respect", and the apps above that keep something derived
from it recompute, without the lower app importing them (apps depend downward only).

An app above listens from its AppConfig.ready():

    listen(ACCEPTANCE_DECIDED, verdicts_follow)

and a lower app's service calls, inside its own transaction,

    units_changed(ACCEPTANCE_DECIDED, [unit.pk], campaign.pk)

so what the listener writes commits or rolls back with the write that caused it. A listener is called with
keyword arguments `unit_ids` (a list of unit ids) and `campaign_id` (or None).

A write made of many smaller ones (an import updating rows one by one) runs them inside `gathered()`: what they
send is collected and sent once per (topic, campaign) when the block ends, still inside the transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

# The topics the lower apps send.
ACCEPTANCE_DECIDED = "assessments.acceptance"  # a 专项整治 task's acceptance was recorded (assessments)
SATISFACTION_MARKED = "publicity.satisfaction"  # a closed survey marked units 群众满意度严重偏低 (publicity)
ITEMS_CHANGED = "ledgers.items"  # items of the units' ledgers were added, closed, reopened or got a new 整改时限

Listener = Callable[..., None]
_LISTENERS: dict[str, dict[str, Listener]] = {}
_GATHERED: ContextVar[dict[tuple[str, int | None], set[int]] | None] = ContextVar("huitoukan_hooks_gathered",
                                                                                  default=None)


def listen(topic: str, fn: Listener) -> None:
    """Call `fn(unit_ids=…, campaign_id=…)` whenever `topic` is sent; registering the same function again
    (a second ready()) replaces it rather than calling it twice."""
    _LISTENERS.setdefault(topic, {})[f"{fn.__module__}.{fn.__qualname__}"] = fn


def units_changed(topic: str, unit_ids: Iterable[int], campaign_id: int | None) -> None:
    """Tell every listener of `topic` that these units changed, in the caller's transaction."""
    ids = sorted(set(unit_ids))
    if not ids:
        return
    gathering = _GATHERED.get()
    if gathering is not None:
        gathering.setdefault((topic, campaign_id), set()).update(ids)
        return
    for fn in list(_LISTENERS.get(topic, {}).values()):
        fn(unit_ids=ids, campaign_id=campaign_id)


@contextmanager
def gathered() -> Iterator[None]:
    """Collect what the block sends and send it once per (topic, campaign) at its end, with every unit named in
    it; nothing is sent if the block raises (its transaction rolls back). Nested blocks join the outer one."""
    if _GATHERED.get() is not None:
        yield
        return
    token = _GATHERED.set({})
    try:
        yield
        gathering = _GATHERED.get()
    finally:
        _GATHERED.reset(token)
    for (topic, campaign_id), ids in gathering.items():
        units_changed(topic, ids, campaign_id)


def listeners(topic: str) -> list[Listener]:
    """The functions listening to `topic` (tests)."""
    return list(_LISTENERS.get(topic, {}).values())
