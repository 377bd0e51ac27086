"""上下联动 (linked rectification across levels) [000 一.1(5), 001 二.1(5), 004 五 坚持上下联动].

A unit hands one of its items up (提请上级牵头) to a unit above it, or to its sector's 主管部门 (a unit with a
行业系统 under one of its ancestors, at a higher level); the receiver claims it (认领: 牵头整改措施, 牵头时限 and
its own lead leaders) or declines it with a reason that goes back to the unit, which may then hand it to
another receiver. An upper office may also claim an item of a unit below directly (主动认领: 该上级主动的上级要
主动认领). The item stays in its own ledger and counts there only (the kept totals are untouched); the leading
unit's ledger shows it in a section of its own, its leaders write its progress (`selectors.item_leads`) and its
office may write for them.

The link's states change through one table (`LINK_TRANSITIONS`), each action with its guard (who) and its
condition (when), like `ledgers.workflow`. 已完成 is not kept: a claimed link whose item is 已销号.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum

from django.db import transaction
from django.db.models import Count, Q
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from huitoukan.access import policy
from huitoukan.access.models import Role, RoleAssignment
from huitoukan.access.policy import Perm
from huitoukan.core.paths import ancestor_paths, path_range_q
from huitoukan.ledgers import selectors
from huitoukan.ledgers.errors import LedgerError, LinkErrorCode
from huitoukan.ledgers.models import (
    OPEN_LINK_STATES,
    OPEN_STATUSES,
    Item,
    ItemEvent,
    ItemEventKind,
    ItemLink,
    ItemStatus,
    Ledger,
    LinkState,
)
from huitoukan.notifications import services as notifications
from huitoukan.orgs.models import LEVEL_RANK, Person, Unit, UnitLevel


class LinkAction(StrEnum):
    HAND_UP = "hand_up"
    WITHDRAW = "withdraw"
    CLAIM = "claim"
    DECLINE = "decline"
    CLAIM_FROM_BELOW = "claim_from_below"


ACTION_LABELS = {
    LinkAction.HAND_UP: gettext_lazy("提请上级牵头"),
    LinkAction.WITHDRAW: gettext_lazy("撤回"),
    LinkAction.CLAIM: gettext_lazy("认领"),
    LinkAction.DECLINE: gettext_lazy("不予认领"),
    LinkAction.CLAIM_FROM_BELOW: gettext_lazy("主动认领"),
}

L = LinkState
A = LinkAction
NEW = None  # the state of a link not made yet

# (link state, action) → next state. HAND_UP and CLAIM_FROM_BELOW make a link (from NEW).
LINK_TRANSITIONS: dict[tuple[str | None, LinkAction], str] = {
    (NEW, A.HAND_UP): L.PENDING,
    (NEW, A.CLAIM_FROM_BELOW): L.CLAIMED,
    (L.PENDING, A.WITHDRAW): L.WITHDRAWN,
    (L.PENDING, A.CLAIM): L.CLAIMED,
    (L.PENDING, A.DECLINE): L.DECLINED,
}

# What a link's kind reads as: the receiver above the unit leads (上级牵头), or a sector's 主管部门 (联动).
KIND_ABOVE = gettext_lazy("上级牵头")
KIND_SECTOR = gettext_lazy("联动")
KIND_SECTOR_LONG = gettext_lazy("行业主管部门联动")


def is_above(link_or_units) -> bool:
    """Does the receiver stand above the handing unit (上级牵头), rather than lead its sector (联动)?"""
    to_unit, from_unit = link_or_units.to_unit, link_or_units.from_unit
    return from_unit.path.startswith(to_unit.path)


def kind_label(link) -> str:
    return str(KIND_ABOVE if is_above(link) else KIND_SECTOR)


# --- who a unit may hand an item up to -----------------------------------------------------------------


def receivers_for(unit: Unit) -> list[Unit]:
    """Every unit `unit` may hand an item up to: each unit above it (nearest first), and each unit with a
    行业系统 whose parent is above it and whose level is higher than its own (a sector's 主管部门), those of
    its own sector first. One query."""
    above = ancestor_paths(unit.path)
    if not above:
        return []
    children_of_above = Q()
    for path in above:
        children_of_above |= path_range_q(path) & Q(depth=len(path) // Unit.steplen + 1)
    rank = LEVEL_RANK.get(unit.level, len(LEVEL_RANK))
    found = Unit.objects.filter(abolished_on__isnull=True).filter(
        Q(path__in=above) | (children_of_above & ~Q(sector=""))).exclude(pk=unit.pk)
    ancestors, leads = [], []
    for candidate in found:
        if candidate.path in above:
            ancestors.append(candidate)
        elif LEVEL_RANK.get(candidate.level, len(LEVEL_RANK)) < rank and not unit.path.startswith(candidate.path):
            leads.append(candidate)
    ancestors.sort(key=lambda u: -len(u.path))
    own_sector = [u for u in leads if unit.sector and u.sector == unit.sector]
    others = [u for u in leads if not (unit.sector and u.sector == unit.sector)]
    return own_sector + ancestors + sorted(others, key=lambda u: u.path)


def claim_units_for(user, item_unit: Unit) -> list[Unit]:
    """The units above `item_unit` where `user` holds LEDGER_EDIT through a grant at the unit itself: where an
    upper office may claim the item from (主动认领), nearest first."""
    held = policy.units_holding(user, Perm.LEDGER_EDIT)
    if not held:
        return []
    above = set(ancestor_paths(item_unit.path))
    return sorted((u for u in Unit.objects.filter(pk__in=held) if u.path in above), key=lambda u: -len(u.path))


# --- the table's guards and conditions -----------------------------------------------------------------


@dataclass
class LinkSubject:
    """What the guards read: the item, its open link (待认领 or 已认领, if any), and the link acted on."""

    item: Item
    open_link: ItemLink | None
    link: ItemLink | None = None

    @property
    def unit(self) -> Unit:
        return self.item.ledger.unit

    @classmethod
    def of(cls, item: Item, link: ItemLink | None = None) -> LinkSubject:
        open_link = (ItemLink.objects.filter(item=item, state__in=OPEN_LINK_STATES)
                     .select_related("from_unit", "to_unit").first())
        return cls(item, open_link, link)


def _refusal(user, perm: Perm, unit: Unit, subject: LinkSubject, code=None):
    """403 to whoever may read the item (through its unit or its link's receiver), else 404."""
    refused = policy.refusal(user, perm, unit, code)
    if isinstance(refused, policy.Denied) and _reads_item(user, subject):
        return policy.Forbidden(perm, unit, code)
    return refused


def _reads_item(user, subject: LinkSubject) -> bool:
    if policy.can(user, Perm.WORK_VIEW, subject.unit):
        return True
    links = [link for link in (subject.open_link, subject.link) if link is not None and link.state in OPEN_LINK_STATES]
    return any(policy.can(user, Perm.WORK_VIEW, link.to_unit) for link in links)


def _at_item_unit(user, subject: LinkSubject):
    if policy.can(user, Perm.LEDGER_EDIT, subject.unit):
        return None
    return _refusal(user, Perm.LEDGER_EDIT, subject.unit, subject)


def _at_handing_side(user, subject: LinkSubject):
    """撤回 is the handing side's only: LEDGER_EDIT at the item's unit, and none at the receiver (an office above
    both, as 娄底市's over 涟源市 and 市公安局, acts for the receiver: it claims or declines, it does not withdraw)."""
    refused = _at_item_unit(user, subject)
    if refused is not None:
        return refused
    if subject.link is not None and policy.can(user, Perm.LEDGER_EDIT, subject.link.to_unit):
        return policy.Forbidden(Perm.LEDGER_EDIT, subject.link.to_unit, LinkErrorCode.RECEIVER_MAY_NOT_WITHDRAW)
    return None


def _at_receiver(user, subject: LinkSubject):
    to_unit = subject.link.to_unit
    if policy.can(user, Perm.LEDGER_EDIT, to_unit):
        return None
    return _refusal(user, Perm.LEDGER_EDIT, to_unit, subject)


def _from_above(user, subject: LinkSubject):
    if claim_units_for(user, subject.unit):
        return None
    return _refusal(user, Perm.LEDGER_EDIT, subject.unit, subject, LinkErrorCode.NOT_ABOVE)


GUARDS: dict[LinkAction, Callable] = {
    A.HAND_UP: _at_item_unit,
    A.WITHDRAW: _at_handing_side,
    A.CLAIM: _at_receiver,
    A.DECLINE: _at_receiver,
    A.CLAIM_FROM_BELOW: _from_above,
}


def _condition(action: LinkAction, subject: LinkSubject) -> LedgerError | None:
    state = subject.link.state if subject.link is not None else NEW
    if (state, action) not in LINK_TRANSITIONS:
        label = subject.link.get_state_display() if subject.link is not None else "—"
        return LedgerError(LinkErrorCode.WRONG_STATE, state=label, action=ACTION_LABELS[action])
    if state is NEW:
        if subject.item.status not in OPEN_STATUSES:
            return LedgerError(LinkErrorCode.ITEM_CLOSED)
        if subject.open_link is not None:
            return LedgerError(LinkErrorCode.ALREADY_LINKED, unit=subject.open_link.to_unit.name,
                               state=subject.open_link.get_state_display())
    return None


def refusal_of(user, action: LinkAction, subject: LinkSubject):
    """Why `user` may not take `action` now (who first, then when); None if they may. `user` None: the command
    line, the same states and conditions."""
    if user is not None:
        refused = GUARDS[action](user, subject)
        if refused is not None:
            return refused
    return _condition(action, subject)


def authorize(user, action: LinkAction, subject: LinkSubject) -> None:
    """Refuse (403/404) before any input is read."""
    refused = GUARDS[action](user, subject)
    if refused is not None:
        raise refused


def check(user, action: LinkAction, subject: LinkSubject) -> None:
    refused = refusal_of(user, action, subject)
    if refused is not None:
        raise refused


def actions_for(user, subject: LinkSubject) -> frozenset[LinkAction]:
    """What the item page's 上下联动 panel offers: new links on the item, and actions on its open one."""
    offered = set()
    for action in (A.HAND_UP, A.CLAIM_FROM_BELOW):
        if refusal_of(user, action, LinkSubject(subject.item, subject.open_link)) is None:
            offered.add(action)
    if subject.open_link is not None:
        on_open = LinkSubject(subject.item, subject.open_link, subject.open_link)
        for action in (A.WITHDRAW, A.CLAIM, A.DECLINE):
            if refusal_of(user, action, on_open) is None:
                offered.add(action)
    return frozenset(offered)


def _apply(link: ItemLink, action: LinkAction) -> None:
    state = link.state if link.pk else NEW
    after = LINK_TRANSITIONS.get((state, action))
    if after is None:
        raise LedgerError(LinkErrorCode.WRONG_STATE, state=link.get_state_display(), action=ACTION_LABELS[action])
    link.state = after


# --- writes ---------------------------------------------------------------------------------------------


def _locked(item: Item) -> Item:
    return Item.objects.select_for_update(of=("self",)).select_related("ledger__unit", "ledger__campaign").get(
        pk=item.pk)


def _locked_link(link: ItemLink) -> ItemLink:
    locked = ItemLink.objects.select_for_update(of=("self",)).select_related("from_unit", "to_unit").get(pk=link.pk)
    locked.item = _locked(link.item)
    return locked


def _save(link: ItemLink, actor, reason: str) -> None:
    link._history_user = actor
    link._change_reason = reason
    link.save()


def _event(item: Item, kind: ItemEventKind, actor, note: str) -> None:
    ItemEvent.objects.create(item=item, kind=kind, actor=actor, status_before=item.status, status_after=item.status,
                             note=note)


def _offices(unit: Unit) -> list:
    """The logins of the 活动办 at the unit or, where it has none, at the nearest unit above that has one."""
    found: dict[int, list] = {}
    for assignment in RoleAssignment.objects.filter(
            role=Role.CAMPAIGN_OFFICE, unit__path__in=ancestor_paths(unit.path, include_self=True),
            user__is_active=True).select_related("user", "unit"):
        found.setdefault(len(assignment.unit.path), []).append(assignment.user)
    return found[max(found)] if found else []


def _notify(link: ItemLink, unit: Unit, step: str, title: str, body: str) -> None:
    notifications.notify(recipients=_offices(unit), key=f"item-link:{link.pk}:{step}", title=title, body=body,
                         link=reverse("item-detail", args=[link.item_id]), kind="linkage")


def _validate_claim(to_unit: Unit, measures: str, due_on, lead_leaders: list[Person]) -> None:
    if not measures.strip():
        raise LedgerError(LinkErrorCode.MEASURES_REQUIRED)
    if due_on is None:
        raise LedgerError(LinkErrorCode.DUE_REQUIRED)
    if not lead_leaders:
        raise LedgerError(LinkErrorCode.LEADERS_REQUIRED, unit=to_unit.name)
    for person in lead_leaders:
        if person.unit_id != to_unit.pk:
            raise LedgerError(LinkErrorCode.LEADER_OUTSIDE, person=person.name, unit=to_unit.name)


@transaction.atomic
def link_hand_up(*, actor, item: Item, to_unit: Unit, reason: str) -> ItemLink:
    """提请上级牵头: the item's unit hands it to a unit above, or to its sector's 主管部门, with a reason."""
    item = _locked(item)
    subject = LinkSubject.of(item)
    check(actor, A.HAND_UP, subject)
    if not reason.strip():
        raise LedgerError(LinkErrorCode.REASON_REQUIRED)
    unit = item.ledger.unit
    if to_unit.pk not in {u.pk for u in receivers_for(unit)}:
        raise LedgerError(LinkErrorCode.RECEIVER_NOT_ALLOWED, unit=to_unit.full_name, own=unit.name)
    link = ItemLink(item=item, from_unit=unit, to_unit=to_unit, reason=reason.strip(), handed_by=actor)
    _apply(link, A.HAND_UP)
    _save(link, actor, "提请上级牵头")
    _event(item, ItemEventKind.LINK_HANDED_UP, actor, f"{to_unit.name}：{reason.strip()}")
    _notify(link, to_unit, "handed", _("【上下联动】%(unit)s提请本单位牵头整改") % {"unit": unit.name},
            _("“%(problem)s”：%(reason)s") % {"problem": item.problem[:60], "reason": reason.strip()[:200]})
    return link


@transaction.atomic
def link_withdraw(*, actor, link: ItemLink) -> ItemLink:
    """撤回: the handing unit takes back a link not claimed yet."""
    link = _locked_link(link)
    check(actor, A.WITHDRAW, LinkSubject(link.item, link, link))
    _apply(link, A.WITHDRAW)
    _save(link, actor, "撤回提请")
    _event(link.item, ItemEventKind.LINK_WITHDRAWN, actor, link.to_unit.name)
    return link


@transaction.atomic
def link_claim(*, actor, link: ItemLink, measures: str, due_on, lead_leaders: Iterable[Person]) -> ItemLink:
    """认领: the receiver leads the item, with its measures, a deadline and its own lead leaders."""
    link = _locked_link(link)
    check(actor, A.CLAIM, LinkSubject(link.item, link, link))
    leaders = list(lead_leaders)
    _validate_claim(link.to_unit, measures, due_on, leaders)
    _apply(link, A.CLAIM)
    link.claimed_by, link.claimed_at = actor, timezone.now()
    link.measures, link.due_on = measures.strip(), due_on
    link.lead_leaders.set(leaders)
    _save(link, actor, "认领牵头")
    _event(link.item, ItemEventKind.LINK_CLAIMED, actor, f"{link.to_unit.name}：{link.measures}")
    _notify(link, link.from_unit, "claimed", _("【上下联动】%(unit)s已认领牵头整改") % {"unit": link.to_unit.name},
            _("“%(problem)s”：%(measures)s（牵头时限%(due)s）") % {
                "problem": link.item.problem[:60], "measures": link.measures[:200], "due": due_on.isoformat()})
    return link


@transaction.atomic
def link_decline(*, actor, link: ItemLink, reason: str) -> ItemLink:
    """不予认领: the receiver declines with a reason, which goes back to the handing unit."""
    link = _locked_link(link)
    check(actor, A.DECLINE, LinkSubject(link.item, link, link))
    if not reason.strip():
        raise LedgerError(LinkErrorCode.REASON_REQUIRED)
    _apply(link, A.DECLINE)
    link.declined_by, link.declined_at, link.decline_reason = actor, timezone.now(), reason.strip()
    _save(link, actor, "不予认领")
    _event(link.item, ItemEventKind.LINK_DECLINED, actor, f"{link.to_unit.name}：{link.decline_reason}")
    _notify(link, link.from_unit, "declined",
            _("【上下联动】%(unit)s不予认领") % {"unit": link.to_unit.name},
            _("“%(problem)s”不予认领，理由：%(reason)s") % {
                "problem": link.item.problem[:60], "reason": link.decline_reason[:200]})
    return link


@transaction.atomic
def link_claim_from_below(*, actor, item: Item, unit: Unit, measures: str, due_on,
                          lead_leaders: Iterable[Person]) -> ItemLink:
    """主动认领: an office above the item's unit claims it in one step, for one of its own units."""
    item = _locked(item)
    subject = LinkSubject.of(item)
    check(actor, A.CLAIM_FROM_BELOW, subject)
    allowed = claim_units_for(actor, item.ledger.unit) if actor is not None else [
        u for u in Unit.objects.filter(path__in=ancestor_paths(item.ledger.unit.path))]
    if unit.pk not in {u.pk for u in allowed}:
        raise LedgerError(LinkErrorCode.NOT_ABOVE)
    leaders = list(lead_leaders)
    _validate_claim(unit, measures, due_on, leaders)
    link = ItemLink(item=item, from_unit=item.ledger.unit, to_unit=unit, from_above=True, handed_by=actor,
                    claimed_by=actor, claimed_at=timezone.now(), measures=measures.strip(), due_on=due_on)
    _apply(link, A.CLAIM_FROM_BELOW)
    _save(link, actor, "主动认领")
    link.lead_leaders.set(leaders)
    _save(link, actor, "主动认领：牵头单位领导")
    _event(item, ItemEventKind.LINK_CLAIMED, actor, f"{unit.name}（主动认领）：{link.measures}")
    _notify(link, link.from_unit, "claimed", _("【上下联动】%(unit)s主动认领牵头整改") % {"unit": unit.name},
            _("“%(problem)s”：%(measures)s（牵头时限%(due)s）") % {
                "problem": item.problem[:60], "measures": link.measures[:200], "due": due_on.isoformat()})
    return link


# --- reads ----------------------------------------------------------------------------------------------


def _links():
    return ItemLink.objects.select_related("item__ledger__unit", "item__ledger__campaign", "from_unit", "to_unit",
                                           "handed_by__person", "claimed_by__person", "declined_by__person")


def links_of_item(item: Item) -> list[ItemLink]:
    """Every link of the item, newest first, with their leaders (two queries)."""
    return list(_links().filter(item=item).prefetch_related("lead_leaders").order_by("-handed_at", "-id"))


def links_visible_to(*, user):
    """The links the reader sees: of items in their WORK_VIEW scope, or handed to a unit in it."""
    scope = policy.scope(user, Perm.WORK_VIEW)
    return _links().filter(scope.q("item__ledger__unit__path") | scope.q("to_unit__path")).prefetch_related(
        "lead_leaders").order_by("-handed_at", "-id")


def link_get_for(*, user, pk) -> ItemLink:
    """A link, to whoever may read its item (selectors.item_get_for: 404 otherwise, like an absent one)."""
    try:
        link = _links().get(pk=pk)
    except (ItemLink.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    link.item = selectors.item_get_for(user=user, pk=link.item_id)
    return link


def incoming_for(*, user):
    """待本单位认领: the pending links handed to a unit where the reader may claim."""
    scope = policy.scope(user, Perm.LEDGER_EDIT)
    return _links().filter(scope.q("to_unit__path"), state=L.PENDING).order_by("handed_at", "id")


def outgoing_for(*, user):
    """本单位提请: the links of items whose unit the reader may edit, every state."""
    scope = policy.scope(user, Perm.LEDGER_EDIT)
    return _links().filter(scope.q("item__ledger__unit__path"), from_above=False).order_by("-handed_at", "-id")


def leading_for(*, user):
    """本单位牵头: the claimed links led by a unit the reader may edit."""
    scope = policy.scope(user, Perm.LEDGER_EDIT)
    return _links().filter(scope.q("to_unit__path"), state=L.CLAIMED).prefetch_related("lead_leaders").order_by(
        "to_unit__path", "claimed_at", "id")


def led_by_me(*, user):
    """本人牵头: the claimed links naming the reader's person among their leaders (谭志刚 of 市公安局 leads 涟源市's
    item: he writes its progress, as for the items of his own unit)."""
    persons = policy.persons_of(user)
    if not persons:
        return ItemLink.objects.none()
    return _links().filter(state=L.CLAIMED, lead_leaders__in=persons).distinct().prefetch_related(
        "lead_leaders").order_by("due_on", "id")


@dataclass(frozen=True)
class ReportRow:
    level: str
    level_label: str
    kind_label: str
    handed: int
    claimed: int
    declined: int
    done: int
    pending: int


# The report's levels (省级/市级/县级/乡级): UnitLevel's, named as a level of leadership.
LEVEL_LABELS = {UnitLevel.CENTRAL: gettext_lazy("中央"), UnitLevel.PROVINCE: gettext_lazy("省级"),
                UnitLevel.CITY: gettext_lazy("市级"), UnitLevel.COUNTY: gettext_lazy("县级"),
                UnitLevel.TOWNSHIP: gettext_lazy("乡级"), UnitLevel.VILLAGE: gettext_lazy("村级")}


def linkage_report(*, user) -> list[ReportRow]:
    """Per level of the receiving unit and kind (上级牵头 / 行业主管部门联动): how many links of the items in the
    reader's scope, or handed to a unit in it (a sector's 主管部门 sees what it was asked to lead), were handed up
    (提请: every link but the 主动认领), claimed, declined, done (claimed and the item 已销号) and are pending.
    One grouped query."""
    scope = policy.scope(user, Perm.WORK_VIEW)
    rows = (ItemLink.objects.filter(scope.q("item__ledger__unit__path") | scope.q("to_unit__path")).order_by()
            .values("to_unit__level", "from_above", "state", "item__status",
                    "from_unit__path", "to_unit__path")
            .annotate(n=Count("*")))
    counts: dict[tuple[str, bool], dict[str, int]] = {}
    for row in rows:
        above = row["from_unit__path"].startswith(row["to_unit__path"])
        key = (row["to_unit__level"], above)
        c = counts.setdefault(key, {"handed": 0, "claimed": 0, "declined": 0, "done": 0, "pending": 0})
        n = row["n"]
        if not row["from_above"]:
            c["handed"] += n
        if row["state"] == L.CLAIMED:
            c["claimed"] += n
            if row["item__status"] == ItemStatus.CLOSED:
                c["done"] += n
        elif row["state"] == L.DECLINED:
            c["declined"] += n
        elif row["state"] == L.PENDING:
            c["pending"] += n
    order = {level: rank for rank, level in enumerate(UnitLevel.values)}
    return [ReportRow(level, str(LEVEL_LABELS.get(level, level)), str(KIND_ABOVE if above else KIND_SECTOR_LONG),
                      **c)
            for (level, above), c in sorted(counts.items(), key=lambda kv: (order.get(kv[0][0], 99), not kv[0][1]))]


# --- the ledgers' view of links: the leading unit's section, the original rows' marks ----------------------


def led_in(ledger: Ledger) -> list[ItemLink]:
    """The claimed links the ledger's unit leads in the same campaign and ledger kind: the section after its own
    rows (上级牵头 / 联动), with the leaders and the latest progress of each item (three queries)."""
    if ledger.person_id is not None:
        return []
    return _decorated(_links().filter(state=L.CLAIMED, to_unit=ledger.unit, item__ledger__campaign=ledger.campaign_id,
                                      item__ledger__kind=ledger.kind))


def led_without_ledger(*, unit: Unit, campaign, kinds_with_ledger: Iterable[str]) -> list[ItemLink]:
    """The claimed links `unit` leads in the campaign whose ledger kind it keeps no ledger of: the ledger list shows
    them, as they have no ledger page of the unit to stand in."""
    return _decorated(_links().filter(state=L.CLAIMED, to_unit=unit, item__ledger__campaign=campaign).exclude(
        item__ledger__kind__in=list(kinds_with_ledger)))


def _decorated(links) -> list[ItemLink]:
    links = list(links.prefetch_related("lead_leaders").order_by("item__ledger__kind", "claimed_at", "id"))
    sheet = selectors.ledger_sheet_links(items=[link.item for link in links])
    numbers: dict[str, int] = {}
    for link in links:
        kind = link.item.ledger.kind
        numbers[kind] = numbers.get(kind, 0) + 1
        link.number = numbers[kind]
        link.kind_label = kind_label(link)
        link.latest = sheet.latest.get(link.item_id)
    return links


def marks_of(item_ids: Iterable[int]) -> dict[int, str]:
    """Per item of a page, the mark of its claimed link: 上级牵头：娄底市 or 联动：市公安局 (one query)."""
    marks = {}
    for link in ItemLink.objects.filter(item_id__in=list(item_ids), state=L.CLAIMED).select_related(
            "from_unit", "to_unit"):
        marks[link.item_id] = f"{kind_label(link)}：{link.to_unit.name}"
    return marks
