"""Reads of the public site. They see published versions only (Publication.state = 已发布 and its live
version's frozen content), never the live tables of ledgers, items or people: whatever is not in a published
version's content cannot reach a public page, feed or download."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass

from django.db.models import Case, Count, When

from huitoukan.core.paths import STEPLEN, ancestor_paths, path_range_q
from huitoukan.ledgers.layouts import LedgerKind
from huitoukan.orgs.models import Unit
from huitoukan.publicity.models import (
    Publication,
    PublicationKind,
    PublicationState,
    PublicSiteEpoch,
)

_LIVE = {"state": PublicationState.PUBLISHED}


def epoch() -> int:
    """The public site's epoch: public pages are cached under it (one primary-key read)."""
    return PublicSiteEpoch.objects.filter(pk=1).values_list("n", flat=True).first() or 0


def _live(**filters):
    return Publication.objects.filter(**_LIVE, live_version__isnull=False, **filters)


def _public_paths_under(unit: Unit | None) -> set[str]:
    qs = _live() if unit is None else _live().filter(path_range_q(unit.path, "unit__path"))
    return set(qs.values_list("unit__path", flat=True).distinct())


def public_unit(pk: int) -> Unit | None:
    """The unit if it has a public page: something of its own or of a unit below it is published."""
    unit = Unit.objects.filter(pk=pk).first()
    if unit is None or not _live().filter(path_range_q(unit.path, "unit__path")).exists():
        return None
    return unit


def unit_is_public(unit: Unit) -> bool:
    return _live().filter(path_range_q(unit.path, "unit__path")).exists()


@dataclass(frozen=True)
class LivePublication:
    pk: int
    kind: str
    title: str
    number: int
    published_at: object
    content: dict


def live_publications(*, unit: Unit) -> list[LivePublication]:
    """The unit's own published lists, commitments and bulletins, in the order of the page."""
    # The lists in the ledgers' order (领导班子, 专项整治, 制度建设), then 公开承诺, then the 通报 newest first.
    ledger_order = Case(*(When(ledger__kind=kind, then=i) for i, kind in enumerate(LedgerKind.values)), default=9)
    rows = (_live(unit=unit).order_by("kind", ledger_order, "-live_version__published_at", "id")
            .values_list("pk", "kind", "live_version__number", "live_version__published_at", "live_version__content"))
    return [_live_publication(*row) for row in rows]


def _live_publication(pk, kind, number, published_at, text) -> LivePublication:
    # The title too comes from the frozen content: Publication.title is the draft's, edited before publishing.
    content = json.loads(text)
    return LivePublication(pk, kind, content["title"], number, published_at, content)


def live_publication(pk: int) -> LivePublication | None:
    row = (_live(pk=pk).values_list("pk", "kind", "live_version__number", "live_version__published_at",
                                    "live_version__content").first())
    return None if row is None else _live_publication(*row)


def public_unit_of(pk: int) -> Unit | None:
    """The unit of a live publication."""
    return Unit.objects.filter(publications__pk=pk, publications__state=PublicationState.PUBLISHED).first()


def public_item_rows(unit: Unit) -> dict[int, dict]:
    """The rows of the unit's live published lists by item: the one answer to "is this item public here, and
    what does the public see of it" (the public may send an opinion about these, named by this redacted row)."""
    return {row["item"]: row for p in live_publications(unit=unit) if p.kind == PublicationKind.LEDGER
            for row in p.content.get("rows", ())}


def public_item_ids(unit: Unit) -> set[int]:
    return set(public_item_rows(unit))


@dataclass(frozen=True)
class PublicChild:
    unit: Unit
    units: int  # units with something published, itself and below


def public_children(*, unit: Unit | None) -> list[PublicChild]:
    """The units one level below `unit` (the top units for None) that have a public page, with how many
    units under each have published something."""
    paths = _public_paths_under(unit)
    depth_len = (len(unit.path) if unit is not None else 0) + STEPLEN
    counts: dict[str, int] = {}
    for path in paths:
        if len(path) >= depth_len:
            counts[path[:depth_len]] = counts.get(path[:depth_len], 0) + 1
    units = Unit.objects.filter(path__in=counts).order_by("path")
    return [PublicChild(u, counts[u.path]) for u in units]


def public_ancestors(unit: Unit) -> list[Unit]:
    """The units above with a public page (all of them: a unit with a public page below it has one)."""
    return list(Unit.objects.filter(path__in=ancestor_paths(unit.path)).order_by("path"))


def recent_versions(limit: int = 20) -> list[LivePublication]:
    """The latest publications, newest first, for the public home page (their unit in the content)."""
    rows = (_live().order_by("-live_version__published_at", "-id")
            .values_list("pk", "kind", "live_version__number", "live_version__published_at", "live_version__content")
            [:limit])
    return [_live_publication(*row) for row in rows]


def open_data(*, unit: Unit, subtree: bool) -> Iterator[tuple[dict, dict]]:
    """(header, row) of every published list row of the unit (or of its whole subtree), unit path order:
    the content of the live versions, nothing else."""
    qs = _live(kind__in=[PublicationKind.LEDGER, PublicationKind.COMMITMENTS])
    qs = qs.filter(path_range_q(unit.path, "unit__path")) if subtree else qs.filter(unit=unit)
    for pk, text in qs.order_by("unit__path", "kind", "id").values_list("pk", "live_version__content").iterator(
            chunk_size=200):
        content = json.loads(text)
        header = {"publication": pk, "unit": content["unit_full_name"], "title": content["title"],
                  "kind": content["kind"]}
        for row in content.get("rows", ()):
            yield header, row


def published_counts() -> dict:
    """How much is public, for the public home page."""
    return dict(_live().values_list("kind").annotate(n=Count("*")).order_by())



def public_item_row(unit: Unit, item_id: int | None) -> dict | None:
    """The published (redacted) row of an item on one of the unit's live lists, or None: what a public page
    may say about an item, never the item's live text."""
    return None if item_id is None else public_item_rows(unit).get(item_id)
