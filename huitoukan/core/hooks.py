"""Hooks: a lower app says "these units changed in this respect", and the apps above that keep something derived
from it recompute, without the lower app importing them (apps depend downward only).

An app above listens from its AppConfig.ready():

    listen(ACCEPTANCE_DECIDED, verdicts_follow)

and a lower app's service calls, inside its own transaction,

    units_changed(ACCEPTANCE_DECIDED, [unit.pk], campaign.pk)

so what the listener writes commits or rolls back with the write that caused it. A listener is called with
keyword arguments `unit_ids` (a list of unit ids) and `campaign_id` (or None).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

# The topics the lower apps send.
ACCEPTANCE_DECIDED = "assessments.acceptance"  # a 专项整治 task's acceptance was recorded (assessments)
SATISFACTION_MARKED = "publicity.satisfaction"  # a closed survey marked units 群众满意度严重偏低 (publicity)

Listener = Callable[..., None]
_LISTENERS: dict[str, dict[str, Listener]] = {}


def listen(topic: str, fn: Listener) -> None:
    """Call `fn(unit_ids=…, campaign_id=…)` whenever `topic` is sent; registering the same function again
    (a second ready()) replaces it rather than calling it twice."""
    _LISTENERS.setdefault(topic, {})[f"{fn.__module__}.{fn.__qualname__}"] = fn


def units_changed(topic: str, unit_ids: Iterable[int], campaign_id: int | None) -> None:
    """Tell every listener of `topic` that these units changed, in the caller's transaction."""
    ids = sorted(set(unit_ids))
    if not ids:
        return
    for fn in list(_LISTENERS.get(topic, {}).values()):
        fn(unit_ids=ids, campaign_id=campaign_id)


def listeners(topic: str) -> list[Listener]:
    """The functions listening to `topic` (tests)."""
    return list(_LISTENERS.get(topic, {}).values())
