"""Reads of 督办通知单: scoped lists and objects (404 outside the reader's scope), the two tabs, the timeline,
and the roll-up counts by colour of each unit's subtree."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from django.db.models import Case, Count, IntegerField, QuerySet, Value, When
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from huitoukan.access import policy
from huitoukan.access.policy import Perm
from huitoukan.core import sql
from huitoukan.core.timeline import actor_label
from huitoukan.notices import escalation, rules
from huitoukan.notices.models import OPEN_STATES, Colour, Notice, NoticeState
from huitoukan.orgs import totals as unit_totals
from huitoukan.orgs.models import Unit


def notices_for(*, user) -> QuerySet[Notice]:
    return Notice.objects.filter(rules.notices_q(user)).select_related("issuing_unit", "addressed_unit")


def notice_get_for(*, user, pk) -> Notice:
    key = sql.key_or_none(pk)
    notice = key and (Notice.objects.select_related("issuing_unit", "addressed_unit", "group", "issued_by",
                                                    "returned_by", "closed_by")
                      .filter(pk=key).first())
    if not notice or not rules.may_read(user, notice):
        raise Http404
    return notice


def issued_by_me(*, user) -> QuerySet[Notice]:
    """我下发的: the notices where the reader is on the issuing side."""
    return notices_for(user=user).filter(rules.issuing_side_q(user))


def to_answer(*, user) -> QuerySet[Notice]:
    """待我答复的: the notices addressed to the units where the reader's office answers."""
    held = {a.unit_id for a in policy.assignments_of(user) if policy.holds_at(user, Perm.NOTICE_ANSWER, a.unit)}
    return notices_for(user=user).filter(addressed_unit_id__in=held)


def filtered(qs: QuerySet[Notice], *, state: str = "", colour: str = "") -> QuerySet[Notice]:
    if state in NoticeState.values:
        qs = qs.filter(state=state)
    elif state == "open":
        qs = qs.filter(state__in=OPEN_STATES)
    if colour in Colour.values:
        qs = qs.filter(colour=colour)
    return qs


def open_notices_for(user) -> QuerySet[Notice]:
    """The open notices (待答复, 已答复, 已退回) the reader may read, most serious first: for the supervision
    work list and the home page."""
    rank = Case(When(colour=Colour.RED, then=Value(0)), When(colour=Colour.YELLOW, then=Value(1)),
                default=Value(2), output_field=IntegerField())
    return notices_for(user=user).filter(state__in=OPEN_STATES).annotate(rank=rank).order_by(
        "rank", "answer_due_on", "id")


def answers_of(notice: Notice) -> list:
    return list(notice.answers.select_related("answered_by").prefetch_related("evidence"))


@dataclass
class Event:
    at: object
    who: str
    text: str
    state: str
    colour: str


def timeline(notice: Notice) -> list[Event]:
    """Every step of the notice from its history: who, when, what (the change reason), the state after it."""
    records = notice.history.select_related("history_user", "history_user__person").order_by("history_date",
                                                                                          "history_id")
    labels = dict(NoticeState.choices)
    colours = dict(Colour.choices)
    system = str(_("系统（逾期自动升级）"))
    return [Event(at=r.history_date, who=actor_label(r.history_user) if r.history_user_id else system,
                  text=r.history_change_reason or "",
                  state=str(labels.get(r.state, r.state)), colour=str(colours.get(r.colour, r.colour)))
            for r in records if r.history_change_reason]


def colour_counts(units, kept=None) -> dict[int, dict[str, int]]:
    """For each unit, the notices addressed to its subtree: open ones by colour, and the closed ones —
    {unit_pk: {"blue": n, "yellow": n, "red": n, "closed": n}}, from the kept counts (one query; `kept`: what
    orgs.totals.work_counts_many already read, with (NOTICES_TOPIC, 0) among its topics)."""
    units = [u if isinstance(u, Unit) else Unit(pk=int(u)) for u in units]
    kept = (kept or unit_totals.work_counts_many(units, [(escalation.NOTICES_TOPIC, 0)]))[(escalation.NOTICES_TOPIC, 0)]
    return {pk: {key: counts[key] for key in ("blue", "yellow", "red", escalation.CLOSED_KEY)}
            for pk, counts in kept.items()}


def notices_own() -> Counter:
    """The notices counted at their addressed units, as WorkTally keys them (orgs.totals.work_own_register)."""
    own: Counter = Counter()
    for unit_id, state, colour, n in (Notice.objects.values_list("addressed_unit_id", "state", "colour")
                                      .annotate(n=Count("id")).values_list("addressed_unit_id", "state", "colour", "n")):
        own[(unit_id, 0, escalation.NOTICES_TOPIC, escalation.tally_key(state, colour))] += n
    return own


def notices_recount() -> Counter:
    """What the notices' kept counts should be, from the notices themselves (tests, rebuilds)."""
    return unit_totals.work_recount(notices_own())


def notices_of_finding(*, user, finding) -> QuerySet[Notice]:
    return notices_for(user=user).filter(findings=finding)

