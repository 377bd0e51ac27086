"""Reads of 群众意见: who may read and handle one, the office's scoped list, the sender's view by query code,
the timeline, and the kept counts' recount.

Read: `opinion.view` over the opinion's unit (its office and discipline staff, and those above them).
Handle (answer, re-route, 列入台账, 移交纪检): `opinion.handle` over the unit (the office). A refusal answers 403
to a reader and 404 to anybody else, as for an absent opinion.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
from collections import Counter
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from huitoukan.access import policy
from huitoukan.access.models import RoleAssignment
from huitoukan.access.policy import Perm
from huitoukan.core import sql
from huitoukan.core.lights import LIGHT_LABELS, light_for
from huitoukan.core.paths import ancestor_paths
from huitoukan.core.timeline import actor_label
from huitoukan.ledgers.layouts import LedgerKind
from huitoukan.ledgers.models import Ledger
from huitoukan.orgs import totals as unit_totals
from huitoukan.orgs.models import Unit
from huitoukan.publicity.models import Opinion, OpinionKind, OpinionState
from huitoukan.publicity.opinion_workflow import OpinionErrorCode

OPINION_TOPIC = "opinion"  # the kept counts (orgs.WorkTally): opinions by state under each unit

# The query code's alphabet: no 0/O, 1/I/L, so it reads and types back without doubt; 16 of them are 80 bits.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 16
_NOT_CODE = re.compile(r"[\s\-－—_]")


def code_normal(code: str) -> str:
    """The code as typed (any case, with or without its dashes and spaces) in one form."""
    return _NOT_CODE.sub("", code or "").upper()


def query_digest(code: str) -> str:
    """The keyed digest the opinion keeps of its query code (HMAC-SHA256 with SECRET_KEY)."""
    return hmac.new(settings.SECRET_KEY.encode(), b"opinion-query:" + code_normal(code).encode(),
                    hashlib.sha256).hexdigest()


# --- rights ---------------------------------------------------------------------------------------------------

def may_read(user, opinion: Opinion) -> bool:
    return policy.can(user, Perm.OPINION_VIEW, opinion.unit)


def may_handle(user, opinion: Opinion) -> bool:
    return policy.can(user, Perm.OPINION_HANDLE, opinion.unit)


def nearest_logins(unit: Unit, role: str) -> list:
    """The logins holding `role` at the unit or, where it has none, at the nearest unit above that has: an
    opinion sent to a unit without an office of its own (a township whose list the county published) still
    reaches the office that may handle it."""
    found: dict[int, list] = {}
    for assignment in (RoleAssignment.objects.filter(role=role, unit__path__in=ancestor_paths(unit.path, include_self=True),
                                                     user__is_active=True).select_related("user", "unit")):
        found.setdefault(len(assignment.unit.path), []).append(assignment.user)
    return found[max(found)] if found else []


def may_reveal_contact(user, opinion: Opinion) -> bool:
    """The sender's contact details: the handling unit's own office (held at the unit itself) and discipline
    staff over it; not the offices above, which answer to leaders a report may be about."""
    return (policy.holds_at(user, Perm.OPINION_HANDLE, opinion.unit)
            or policy.can(user, Perm.OPINION_CONTACT, opinion.unit))


def contact_refusal(user, opinion: Opinion):
    """None when `user` may see the contact; else its refusal (403 to a reader of the opinion, 404 otherwise)."""
    if may_reveal_contact(user, opinion):
        return None
    return policy.refusal(user, Perm.OPINION_CONTACT, opinion.unit)


def handle_refusal(user, opinion: Opinion):
    """None when `user` may handle the opinion; else its refusal (403 to a reader, 404 to anybody else)."""
    if may_handle(user, opinion):
        return None
    return policy.refusal(user, Perm.OPINION_HANDLE, opinion.unit, OpinionErrorCode.NOT_HANDLER)


def raise_if(refused) -> None:
    if refused is not None:
        raise refused


# --- the office's pages ---------------------------------------------------------------------------------------

def opinions_for(*, user) -> QuerySet[Opinion]:
    return Opinion.objects.filter(policy.units_q(user, Perm.OPINION_VIEW, "unit__path")).select_related(
        "unit", "submitted_unit")


def opinion_get_for(*, user, pk) -> Opinion:
    key = sql.key_or_none(pk)
    opinion = key and (Opinion.objects.select_related("unit", "submitted_unit", "about_item", "ledger_item__ledger",
                                                      "answered_by", "referred_by").filter(pk=key).first())
    if not opinion or not may_read(user, opinion):
        raise Http404
    return opinion


STATE_FILTERS = [("", _("全部状态")), *OpinionState.choices]
KIND_FILTERS = [("", _("全部类别")), *OpinionKind.choices]


def filtered(qs: QuerySet[Opinion], *, state: str = "", kind: str = "", overdue: bool = False,
             today: dt.date | None = None) -> QuerySet[Opinion]:
    if state in OpinionState.values:
        qs = qs.filter(state=state)
    if kind in OpinionKind.values:
        qs = qs.filter(kind=kind)
    if overdue:
        qs = qs.filter(state=OpinionState.RECEIVED, answer_due_on__lt=today or timezone.localdate())
    return qs


def light_of(opinion: Opinion, today: dt.date | None = None) -> tuple[str, str]:
    """红黄绿灯 of the answer deadline: grey once answered or referred."""
    light = light_for(due_on=opinion.answer_due_on, today=today, closed=opinion.state != OpinionState.RECEIVED)
    return str(light), str(LIGHT_LABELS[light])


def reroute_targets(*, user, opinion: Opinion) -> QuerySet[Unit]:
    """The units the actor's office may send the opinion to: those its `opinion.handle` covers, but its own."""
    return (Unit.objects.filter(policy.units_q(user, Perm.OPINION_HANDLE, "path"), abolished_on__isnull=True)
            .exclude(pk=opinion.unit_id).order_by("path"))


def ledgers_for(opinion: Opinion) -> QuerySet[Ledger]:
    """The unit's own ledgers an opinion may go into (never a 党员领导干部's personal ledger)."""
    return (Ledger.objects.filter(unit_id=opinion.unit_id, person__isnull=True)
            .exclude(kind=LedgerKind.PERSONAL).select_related("campaign", "unit")
            .order_by("-campaign__starts_on", "kind", "pk"))


def routings_of(opinion: Opinion) -> list:
    return list(opinion.routings.select_related("from_unit", "to_unit", "by", "by__person"))


@dataclass
class Event:
    at: object
    who: str
    text: str
    state: str


def timeline(opinion: Opinion) -> list[Event]:
    """Every step of the opinion from its history: who, when, what, the state after it."""
    labels = dict(OpinionState.choices)
    sender = str(_("群众（网上提交）"))
    records = opinion.history.select_related("history_user", "history_user__person").order_by("history_date",
                                                                                            "history_id")
    return [Event(at=r.history_date, who=actor_label(r.history_user) if r.history_user_id else sender,
                  text=r.history_change_reason or "", state=str(labels.get(r.state, r.state)))
            for r in records if r.history_change_reason]


def opinions_of_item(*, user, item) -> list[Opinion]:
    """The opinions a ledger item came from, those the reader may read."""
    return [o for o in Opinion.objects.filter(ledger_item=item).select_related("unit").order_by("pk")
            if may_read(user, o)]


# --- the sender's view ----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class SenderView:
    """What the sender sees with the query code: never the contact, the handler, nor any internal step."""

    number: str
    kind: str
    subject: str
    submitted_at: object
    state: str
    answer: str
    answered_at: object
    in_ledger: bool
    referred: bool


def sender_view(code: str) -> SenderView | None:
    """The opinion of this query code, as its sender may see it; None for a code that opens nothing."""
    if len(code_normal(code)) != CODE_LENGTH:
        return None
    opinion = Opinion.objects.filter(query_digest=query_digest(code)).first()
    if opinion is None:
        return None
    return SenderView(number=opinion.number, kind=opinion.get_kind_display(), subject=opinion.subject,
                      submitted_at=opinion.submitted_at, state=opinion.get_state_display(),
                      answer=opinion.answer if opinion.state == OpinionState.ANSWERED else "",
                      answered_at=opinion.answered_at if opinion.state == OpinionState.ANSWERED else None,
                      in_ledger=opinion.ledger_item_id is not None,
                      referred=opinion.state == OpinionState.REFERRED)


# --- kept counts ----------------------------------------------------------------------------------------------

def opinions_own() -> Counter:
    """The opinions counted at their handling units by state, as WorkTally keys them (work_own_register)."""
    own: Counter = Counter()
    for unit_id, state, n in (Opinion.objects.values_list("unit_id", "state").annotate(n=Count("id"))
                              .values_list("unit_id", "state", "n")):
        own[(unit_id, 0, OPINION_TOPIC, state)] += n
    return own


def opinions_recount() -> Counter:
    return unit_totals.work_recount(opinions_own())
