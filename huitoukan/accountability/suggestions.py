"""Suggestions of 责任追究 from what the campaign's data shows (seed 000 三.3; 004 三): never verdicts, each naming
the clause it rests on, each opening the new-case form pre-filled. Discipline staff decide.

- 整改不力 → 约谈提醒 of the unit head (accountability.talk): a unit's own ledger items past their 整改时限 and
  not closed, its 报送材料 returned, its red 督办通知单 still open — any of them at its threshold;
- 搞形式、走过场、群众意见大 → 诫勉批评 of the unit head (accountability.admonish): supervision findings of
  形式主义 (about a ledger item of that 四风 class, or saying so) together with many letters from the public;
- “四风”问题反弹回潮 → a case with 一案双查 (accountability.relapse): a ledger item of a 四风 class that relapsed
  (反弹); its lead leader is proposed as the leader responsible.

A suggestion already acted on — a case at that unit with that cause decided on or after what triggered it (for a
relapse: a case citing the item) — shows as 已立案. Everything is read for the units of the reader's scope in a
fixed number of grouped queries, whatever the number of units.

What is counted is what the reader may read: letters from the public only under their OPINION_VIEW (a unit head
reads no letters, so is never suggested 诫勉批评 on the strength of letters it cannot see, nor told how many there
are), findings as `supervision.rules` lets them; a link is shown only to a page the reader may open, and a case
acted on only when the reader may read it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import Count, Max, Min, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from huitoukan.access import policy
from huitoukan.access.policy import Perm
from huitoukan.accountability.models import ActionKind, Case, CaseCause, Responsibility
from huitoukan.ledgers.models import (
    OPEN_STATUSES,
    DeadlineMode,
    FourWinds,
    Item,
    ItemEvent,
    ItemEventKind,
    ItemStatus,
)
from huitoukan.notices.models import OPEN_STATES, Colour, Notice
from huitoukan.orgs.models import Person, Unit
from huitoukan.publicity.models import Opinion
from huitoukan.reviews.models import ReportState, Submission
from huitoukan.supervision import rules as supervision_rules
from huitoukan.supervision.models import Finding

# Thresholds (settings.ACCOUNTABILITY_SUGGESTION_THRESHOLDS overrides any of them); shown on the page.
DEFAULT_THRESHOLDS = {
    "overdue_items": 3,  # 逾期未销号的本单位台账事项 ≥ N
    "returned_packages": 2,  # 被退回的报送材料 ≥ N
    "red_notices": 1,  # 未办结的红色督办通知单 ≥ N
    "formalism_findings": 1,  # 形式主义问题 ≥ N …
    "opinions": 3,  # … and 群众意见和举报 ≥ N
}
FORMALISM_WORDS = "形式主义"


# How many objects of each kind a suggestion's new case cites at most (the newest; the form lists them to uncheck).
PREFILL_LIMIT = 20


def _ids_by_unit(rows) -> dict[int, list[int]]:
    found: dict[int, list[int]] = {}
    for unit_id, pk in rows:
        ids = found.setdefault(unit_id, [])
        if len(ids) < PREFILL_LIMIT:
            ids.append(pk)
    return found


def thresholds() -> dict[str, int]:
    return {**DEFAULT_THRESHOLDS, **getattr(settings, "ACCOUNTABILITY_SUGGESTION_THRESHOLDS", {})}


@dataclass
class Seen:
    label: str
    count: int
    url: str = ""
    over: bool = True  # at or past its threshold


@dataclass
class Suggestion:
    key: str  # "talk" / "admonish" / "relapse"
    unit: Unit
    cause: str
    basis: str  # a key of core.basis
    action: str  # what is suggested, in words
    seen: list[Seen]
    trigger_on: dt.date
    prefill: dict = field(default_factory=dict)
    acted: Case | None = None
    item: Item | None = None
    may_record: bool = False  # the reader may record a case at the unit (the 立案 button)

    @property
    def cause_label(self) -> str:
        return str(CaseCause(self.cause).label)

    @property
    def create_query(self) -> str:
        return urlencode(self.prefill, doseq=True)


def _date(value) -> dt.date:
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


def _grouped(qs, unit_field: str, first_field: str) -> dict[int, tuple[int, dt.date]]:
    rows = qs.values(unit_field).annotate(n=Count("id", distinct=True), first=Min(first_field)).order_by()
    return {r[unit_field]: (r["n"], _date(r["first"])) for r in rows}


def _heads(unit_ids) -> dict[int, Person]:
    heads: dict[int, Person] = {}
    for person in Person.objects.filter(unit_id__in=unit_ids, is_unit_head=True, is_active=True).order_by("id"):
        heads.setdefault(person.unit_id, person)
    return heads


def _head_action(head: Person | None, kind: str) -> list[str]:
    return [f"{Responsibility.LEADER}:{kind}:{head.pk if head else ''}"]


def suggestions_for(*, user, today: dt.date | None = None) -> list[Suggestion]:
    """The suggestions of the units in the reader's ACCOUNTABILITY_VIEW scope, most recent trigger first."""
    today = today or timezone.localdate()
    scope = policy.scope(user, Perm.ACCOUNTABILITY_VIEW)
    if not scope:
        return []
    limits = thresholds()
    overdue = _grouped(Item.objects.filter(scope.q("ledger__unit__path"), status__in=OPEN_STATUSES,
                                           deadline_mode=DeadlineMode.DATE, due_on__lt=today),
                       "ledger__unit_id", "due_on")
    returned = _grouped(Submission.objects.filter(scope.q("unit__path"), state=ReportState.RETURNED),
                        "unit_id", "last_submitted_at")
    red = _grouped(Notice.objects.filter(scope.q("addressed_unit__path"), colour=Colour.RED, state__in=OPEN_STATES),
                   "addressed_unit_id", "answer_due_on")
    formalism = _grouped(
        Finding.objects.filter(scope.q("unit__path"), supervision_rules.findings_q(user)).filter(
            Q(item__four_winds=FourWinds.FORMALISM) | Q(linked_item__four_winds=FourWinds.FORMALISM)
            | Q(description__contains=FORMALISM_WORDS)), "unit_id", "recorded_at")
    letters_q = policy.units_q(user, Perm.OPINION_VIEW, "unit__path")  # a head reads no letters: counts none
    opinions = dict(Opinion.objects.filter(letters_q, unit_id__in=list(formalism)).values("unit_id")
                    .annotate(n=Count("id")).order_by().values_list("unit_id", "n"))
    relapsed = list(Item.objects.filter(scope.q("ledger__unit__path"), status=ItemStatus.RELAPSED)
                    .exclude(four_winds="").select_related("ledger__unit").prefetch_related("lead_leaders")
                    .order_by("pk"))
    relapsed_on = dict(ItemEvent.objects.filter(item__in=relapsed, kind=ItemEventKind.RELAPSED)
                       .values("item_id").annotate(at=Max("at")).order_by().values_list("item_id", "at"))

    slack_units = [pk for pk in {*overdue, *returned, *red}
                   if overdue.get(pk, (0,))[0] >= limits["overdue_items"]
                   or returned.get(pk, (0,))[0] >= limits["returned_packages"]
                   or red.get(pk, (0,))[0] >= limits["red_notices"]]
    formal_units = [pk for pk, (n, _first) in formalism.items()
                    if n >= limits["formalism_findings"] and opinions.get(pk, 0) >= limits["opinions"]]
    # What the new case of each suggestion cites, pre-filled: one query per kind for all the units suggested.
    overdue_ids = _ids_by_unit(Item.objects.filter(
        ledger__unit_id__in=slack_units, status__in=OPEN_STATUSES, deadline_mode=DeadlineMode.DATE,
        due_on__lt=today).order_by("-pk").values_list("ledger__unit_id", "pk"))
    red_ids = _ids_by_unit(Notice.objects.filter(
        addressed_unit_id__in=slack_units, colour=Colour.RED, state__in=OPEN_STATES).order_by("-pk")
        .values_list("addressed_unit_id", "pk"))
    formal_ids = _ids_by_unit(Finding.objects.filter(supervision_rules.findings_q(user)).filter(
        Q(item__four_winds=FourWinds.FORMALISM) | Q(linked_item__four_winds=FourWinds.FORMALISM)
        | Q(description__contains=FORMALISM_WORDS), unit_id__in=formal_units).order_by("-pk").distinct()
        .values_list("unit_id", "pk"))
    letter_ids = _ids_by_unit(Opinion.objects.filter(letters_q, unit_id__in=formal_units).order_by("-pk")
                              .values_list("unit_id", "pk"))
    unit_ids = {*slack_units, *formal_units, *(i.ledger.unit_id for i in relapsed)}
    units = {u.pk: u for u in Unit.objects.filter(pk__in=unit_ids)}
    heads = _heads(unit_ids)
    cases = list(Case.objects.filter(unit_id__in=unit_ids, cause__in=(CaseCause.SLACK, CaseCause.FORMALISM,
                                                                         CaseCause.RELAPSE, CaseCause.DEFIANCE))
                 .order_by("-decided_on", "-id"))
    citing = {}
    # A case citing the item may be of a unit above the reader's: it is 已立案 for them only if they may read it.
    for item_id, case_id in Case.items.through.objects.filter(
            case__in=Case.objects.filter(policy.units_q(user, Perm.ACCOUNTABILITY_VIEW, "unit__path")),
            item_id__in=[i.pk for i in relapsed]).values_list("item_id", "case_id").order_by("case_id"):
        citing[item_id] = case_id
    by_pk = {c.pk: c for c in Case.objects.filter(pk__in=citing.values())}

    def link(unit, perm, url):
        """The url, if the reader may open that page for the unit; else no link."""
        return url if policy.can(user, perm, unit) else ""

    def acted(unit_id, cause, since):
        return next((c for c in cases if c.unit_id == unit_id and c.cause == cause and c.decided_on >= since), None)

    found: list[Suggestion] = []
    for pk in slack_units:
        unit, head = units[pk], heads.get(pk)
        seen, firsts = [], []
        for (count, first), label, limit, url in (
                (overdue.get(pk, (0, None)), _("逾期未销号事项"), limits["overdue_items"],
                 f"{reverse('overdue-items')}?unit={pk}"),
                (returned.get(pk, (0, None)), _("被退回的报送材料"), limits["returned_packages"], reverse("review-index")),
                (red.get(pk, (0, None)), _("未办结的红色督办通知单"), limits["red_notices"],
                 f"{reverse('notice-list')}?tab=all&state=open&colour=red")):
            if count:
                seen.append(Seen(label, count, link(unit, Perm.WORK_VIEW, url), count >= limit))
                if count >= limit and first is not None:
                    firsts.append(first)
        trigger = min(firsts) if firsts else today
        title = _("%(unit)s整改工作抓得不紧、措施落实不力") % {"unit": unit.name}
        found.append(Suggestion(
            key="talk", unit=unit, cause=CaseCause.SLACK, basis="accountability.talk",
            action=_("对单位主要负责人%(head)s进行约谈提醒") % {"head": head.name if head else ""},
            seen=seen, trigger_on=trigger, acted=acted(pk, CaseCause.SLACK, trigger),
            prefill={"unit": pk, "cause": CaseCause.SLACK, "title": title, "items": overdue_ids.get(pk, []),
                     "notices": red_ids.get(pk, []), "action": _head_action(head, ActionKind.TALK)}))
    for pk in formal_units:
        unit, head = units[pk], heads.get(pk)
        count, first = formalism[pk]
        title = _("%(unit)s整改搞形式、走过场，群众意见大") % {"unit": unit.name}
        found.append(Suggestion(
            key="admonish", unit=unit, cause=CaseCause.FORMALISM, basis="accountability.admonish",
            action=_("对单位主要负责人%(head)s进行诫勉批评") % {"head": head.name if head else ""},
            seen=[Seen(_("形式主义问题"), count, link(unit, Perm.WORK_VIEW, reverse("unit-findings", args=[pk]))),
                  *([Seen(_("群众意见和举报"), opinions.get(pk, 0), reverse("opinion-list"))]
                    if policy.can(user, Perm.OPINION_VIEW, unit) else [])],
            trigger_on=first, acted=acted(pk, CaseCause.FORMALISM, first),
            prefill={"unit": pk, "cause": CaseCause.FORMALISM, "title": title, "findings": formal_ids.get(pk, []),
                     "opinions": letter_ids.get(pk, []), "action": _head_action(head, ActionKind.ADMONISH)}))
    for item in relapsed:
        unit = item.ledger.unit
        leaders = list(item.lead_leaders.all())
        trigger = _date(relapsed_on[item.pk]) if item.pk in relapsed_on else today
        case_id = citing.get(item.pk)
        actions = [f"{Responsibility.DIRECT}:{ActionKind.CIRCULATE}:",
                   f"{Responsibility.LEADER}:{ActionKind.ADMONISH}:{leaders[0].pk if leaders else ''}"]
        found.append(Suggestion(
            key="relapse", unit=unit, cause=CaseCause.RELAPSE, basis="accountability.relapse",
            action=_("一案双查：追究当事人责任和相关领导责任%(leader)s") % {
                "leader": _("（牵头领导%(name)s）") % {"name": leaders[0].name} if leaders else ""},
            seen=[Seen(_("“%(winds)s”问题反弹") % {"winds": item.get_four_winds_display()}, 1,
                       link(unit, Perm.WORK_VIEW, reverse("item-detail", args=[item.pk])))],
            trigger_on=trigger, acted=by_pk.get(case_id) or acted(item.ledger.unit_id, CaseCause.RELAPSE, trigger),
            item=item,
            prefill={"unit": unit.pk, "cause": CaseCause.RELAPSE, "double_check": "1", "items": [item.pk],
                     "title": _("%(unit)s“四风”问题反弹回潮：%(problem)s") % {
                         "unit": unit.name, "problem": item.problem[:60]},
                     "action": actions}))
    for suggestion in found:
        suggestion.may_record = policy.can(user, Perm.ACCOUNTABILITY_RECORD, suggestion.unit)
    found.sort(key=lambda s: (s.acted is not None, -s.trigger_on.toordinal(), s.unit.path))
    return found
