"""What a publication shows, built from live data and redacted: the one builder the preview and the publish
both call, so what the office reviewed is what goes out (the publish compares the two digests).

The content is plain data (canonical JSON): the public pages, the CSV and the JSON downloads all read it and
nothing else, so a field left out here can appear nowhere public.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from django.db.models import F, Window
from django.db.models.functions import RowNumber

from huitoukan.core.dates import chinese_date
from huitoukan.core.paths import ancestor_paths, path_range_q
from huitoukan.ledgers.exports import JOINER, ledger_rows
from huitoukan.ledgers.layouts import LedgerKind
from huitoukan.ledgers.models import Item, ItemStatus, ProgressEntry
from huitoukan.orgs.models import Person, Unit
from huitoukan.publicity.errors import PublicityError, PublicityErrorCode
from huitoukan.publicity.models import (
    Commitment,
    CommitmentStatus,
    Publication,
    PublicationKind,
    PublicityPolicy,
)
from huitoukan.publicity.redaction import Redactor, extra_words

E = PublicityErrorCode
# The columns of a published rectification list (整改清单), in order: the words of the ledgers.
LEDGER_COLUMNS = (
    ("seq", "序号"), ("problem", "突出问题"), ("measures", "具体整改措施"), ("deadline", "整改时限"),
    ("responsible_units", "责任单位"), ("lead_leaders", "牵头领导"), ("status", "整改状态"),
    ("progress", "最新进展"), ("progress_on", "进展日期"), ("closed_on", "完成时间"),
)
COMMITMENT_COLUMNS = (("seq", "序号"), ("content", "承诺事项"), ("due_on", "兑现时限"), ("status", "兑现情况"),
                      ("progress", "进展情况"))


@dataclass(frozen=True)
class Built:
    content: dict
    text: str  # canonical JSON
    digest: str
    hidden: list[tuple[str, int]]  # what the redaction hid, for the preview


def canonical(content: dict) -> str:
    return json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def leaders_public(campaign) -> bool:
    return PublicityPolicy.objects.filter(campaign=campaign, leaders_public=True).exists()


def _known_people(unit: Unit, item_ids: list[int]) -> list[tuple[str, str, bool]]:
    """(name, position, is a leader) of the people around the unit: its own, its children's, its ancestors',
    and the chosen items' lead leaders."""
    child_depth = unit.depth + 1
    around = (Person.objects.filter(unit__path__in=ancestor_paths(unit.path, include_self=True))
              | Person.objects.filter(path_range_q(unit.path, "unit__path"), unit__depth=child_depth)
              | Person.objects.filter(led_items__in=item_ids))
    return list(around.distinct().values_list("name", "position", "is_party_leader"))


def _leader_names(item_ids: list[int]) -> set[str]:
    return set(Person.objects.filter(led_items__in=item_ids).values_list("name", flat=True))


def _redactor(publication: Publication, item_ids: list[int], show_leaders: bool) -> Redactor:
    people = _known_people(publication.unit, item_ids)
    kept = set()
    if show_leaders:
        kept = _leader_names(item_ids) | {name for name, _position, leader in people if leader}
    names = frozenset(name for name, _position, _leader in people if name not in kept)
    return Redactor(names=names, extra=extra_words(publication.extra_redactions))


def _ledger_rows(publication: Publication, item_ids: list[int], redactor: Redactor, show_leaders: bool) -> list:
    chosen = set(item_ids)
    facts = {
        pk: (status, closed_on)
        for pk, status, closed_on in Item.objects.filter(pk__in=chosen).values_list("pk", "status", "closed_on")
    }
    progress_on = dict(
        ProgressEntry.objects.filter(item_id__in=chosen)
        .annotate(newest=Window(RowNumber(), partition_by=[F("item_id")],
                                order_by=[F("reported_on").desc(), F("id").desc()]))
        .filter(newest=1).values_list("item_id", "reported_on")
    )
    positions = {}
    if show_leaders:
        for item_id, name, position in Item.lead_leaders.through.objects.filter(item_id__in=chosen).order_by(
                "item_id", "person__unit__path", "-person__is_unit_head", "person_id").values_list(
                "item_id", "person__name", "person__position"):
            positions.setdefault(item_id, []).append(f"{name}（{position}）" if position else name)
    rows = []
    for _ledger, ledger_rows_ in ledger_rows(ledgers=[publication.ledger]):
        for row in ledger_rows_:
            if row.item_id not in chosen:
                continue
            status, closed_on = facts[row.item_id]
            day = progress_on.get(row.item_id)
            rows.append({
                "item": row.item_id,
                "seq": row.seq,
                "problem": redactor.text(row.problem),
                "measures": redactor.text(row.measures),
                "deadline": row.deadline,
                # Every text field through the redaction: the office's extra words must hide wherever they stand.
                "responsible_units": redactor.text(row.responsible_units),
                "lead_leaders": redactor.text(JOINER.join(positions.get(row.item_id, ()))) if show_leaders else "",
                "status": str(ItemStatus(status).label),
                "closed": status == ItemStatus.CLOSED,
                "progress": redactor.text(row.progress),
                "progress_on": chinese_date(day) if day else "",
                "closed_on": chinese_date(closed_on) if closed_on and status == ItemStatus.CLOSED else "",
            })
    return rows


def _commitment_rows(publication: Publication, redactor: Redactor) -> list:
    return [
        {"seq": c.seq, "content": redactor.text(c.content), "due_on": chinese_date(c.due_on) if c.due_on else "",
         "status": str(CommitmentStatus(c.status).label), "progress": redactor.text(c.progress),
         "closed": c.status == CommitmentStatus.DONE}
        for c in Commitment.objects.filter(unit=publication.unit, campaign=publication.campaign).order_by("seq")
    ]


def build(publication: Publication, *, item_ids: list[int] | None = None) -> Built:
    """The redacted content of `publication` as it would go out now."""
    unit = publication.unit
    content = {"kind": publication.kind, "title": publication.title, "unit": unit.name,
               "unit_full_name": unit.full_name, "campaign": publication.campaign.name}
    if publication.kind == PublicationKind.LEDGER:
        if publication.ledger.kind == LedgerKind.PERSONAL:
            raise PublicityError(E.PERSONAL_LEDGER)
        if item_ids is None:
            item_ids = list(publication.items.values_list("pk", flat=True))
        if not item_ids:
            raise PublicityError(E.NOTHING_CHOSEN)
        show_leaders = publication.ledger.kind == LedgerKind.LEADERSHIP and leaders_public(publication.campaign)
        redactor = _redactor(publication, item_ids, show_leaders)
        content["ledger_kind"] = str(LedgerKind(publication.ledger.kind).label)
        content["show_leaders"] = show_leaders
        content["rows"] = _ledger_rows(publication, item_ids, redactor, show_leaders)
    elif publication.kind == PublicationKind.COMMITMENTS:
        redactor = _redactor(publication, [], False)
        content["rows"] = _commitment_rows(publication, redactor)
        if not content["rows"]:
            raise PublicityError(E.EMPTY_COMMITMENTS, unit=unit.name)
    else:
        bulletin = publication.bulletin
        redactor = _redactor(publication, [], False)
        content.update(doc_number=bulletin.doc_number, issued_on=chinese_date(bulletin.issued_on),
                       body=redactor.text(bulletin.body), title=redactor.text(bulletin.title))
    content["title"] = redactor.text(content["title"])
    text = canonical(content)
    return Built(content=content, text=text, digest=hashlib.sha256(text.encode()).hexdigest(),
                 hidden=redactor.summary())
