"""Writes of 责任追究 (seeds 000 三.3, 001 四.4, 004 三): a case is recorded, edited, acted on and concluded by
discipline / organisation staff (Perm.ACCOUNTABILITY_RECORD) over the case's unit.

The rules live here once:
- 一案双查 (`double_check`, or a cause of 反弹回潮 / 顶风违纪): at least one action of 当事人责任 and one of
  相关领导责任, on two different people;
- a person held responsible is a Person of the case's unit or a unit below it; a 单位责任 action names no person;
- the campaign a case belongs to (if any) is owned by the case's unit or a unit above it;
- what the case cites (ledger items, supervision findings, 督办通知单, 群众意见和举报) lies in the case unit's
  subtree and is readable by the actor (404 otherwise, as for an absent object).
A case moves through CASE_MOVES; every write names its actor in the history (with a change reason).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from huitoukan.access import policy
from huitoukan.access.policy import Perm
from huitoukan.accountability import case_tally
from huitoukan.accountability.case_errors import CaseError, CaseErrorCode
from huitoukan.accountability.models import (
    ActionKind,
    Case,
    CaseAction,
    CaseCause,
    CaseDocument,
    CaseState,
    Responsibility,
)
from huitoukan.campaigns.models import Campaign
from huitoukan.ledgers.models import Item
from huitoukan.notices import rules as notice_rules
from huitoukan.notices.models import Notice
from huitoukan.orgs.models import Person, Unit
from huitoukan.publicity import opinion_selectors
from huitoukan.publicity.models import Opinion
from huitoukan.supervision import evidence
from huitoukan.supervision import rules as supervision_rules
from huitoukan.supervision.models import Finding

E = CaseErrorCode
S = CaseState

# (state, action) -> next state of a case; None is a case not yet recorded.
CASE_MOVES: dict[tuple[str | None, str], str] = {
    (None, "record"): S.OPEN,
    (S.OPEN, "update"): S.OPEN,
    (S.OPEN, "action_add"): S.OPEN,
    (S.OPEN, "action_remove"): S.OPEN,
    (S.OPEN, "documents_add"): S.OPEN,
    (S.CONCLUDED, "documents_add"): S.CONCLUDED,  # a decision's text may arrive after the case is concluded
    (S.OPEN, "conclude"): S.CONCLUDED,
}
ACTION_LABELS = {"record": "登记", "update": "修改", "action_add": "添加处理措施", "action_remove": "删除处理措施",
                 "documents_add": "上传材料", "conclude": "办结"}

# Causes that always call for 一案双查 (000 三.3: 反弹回潮甚至顶风违纪 → 当事人责任 and 相关领导责任).
DOUBLE_CHECK_CAUSES = frozenset({CaseCause.RELAPSE, CaseCause.DEFIANCE})


@dataclass(frozen=True)
class ActionInput:
    """One action as given to a service: (person or None, responsibility, kind, decided_on, note)."""

    person: Person | None
    responsibility: str
    kind: str
    decided_on: dt.date | None
    note: str = ""

    @classmethod
    def of(cls, value) -> ActionInput:
        return value if isinstance(value, ActionInput) else cls(*value)


def needs_double_check(*, double_check: bool, cause: str) -> bool:
    return bool(double_check) or cause in DOUBLE_CHECK_CAUSES


def double_check_refusal(actions: Iterable) -> CaseError | None:
    """一案双查: some 当事人 and some 相关领导, two different people; None when the actions satisfy it."""
    actions = list(actions)
    direct = {a.person.pk for a in actions if a.responsibility == Responsibility.DIRECT and a.person is not None}
    leader = {a.person.pk for a in actions if a.responsibility == Responsibility.LEADER and a.person is not None}
    if not direct:
        return CaseError(E.DOUBLE_CHECK_DIRECT)
    if not leader:
        return CaseError(E.DOUBLE_CHECK_LEADER)
    if not any(d != lead for d in direct for lead in leader):
        return CaseError(E.DOUBLE_CHECK_SAME_PERSON)
    return None


def _move(case: Case, action: str) -> None:
    after = CASE_MOVES.get((case.state if case.pk else None, action))
    if after is None:
        raise CaseError(E.WRONG_STATE, state=case.get_state_display(), action=ACTION_LABELS[action])
    case.state = after


def _save(obj, actor, reason: str = "") -> None:
    obj._history_user = actor
    if reason:
        obj._change_reason = reason[:100]
    obj.save()
    if reason:
        del obj._change_reason  # the link changes that follow are history rows of their own, without a reason


def _in_subtree(unit: Unit, path: str) -> bool:
    return path.startswith(unit.path)


def _fields(*, title: str, cause: str, facts: str, decided_on, decider: str) -> dict:
    title, facts, decider = (title or "").strip(), (facts or "").strip(), (decider or "").strip()
    if not title:
        raise CaseError(E.TITLE_REQUIRED)
    if cause not in CaseCause.values:
        raise CaseError(E.CAUSE_INVALID)
    if not facts:
        raise CaseError(E.FACTS_REQUIRED)
    if decided_on is None:
        raise CaseError(E.DATE_REQUIRED)
    if not decider:
        raise CaseError(E.DECIDER_REQUIRED)
    return {"title": title, "cause": cause, "facts": facts, "decided_on": decided_on, "decider": decider}


def _action_row(case_unit: Unit, given: ActionInput, row: int, case_decided_on: dt.date | None) -> CaseAction:
    """One action checked against the case's unit: its person (if any) of the unit's subtree; its date, when not
    given, is the case's 决定日期."""
    if given.responsibility not in Responsibility.values:
        raise CaseError(E.RESPONSIBILITY_INVALID, row=row)
    if given.kind not in ActionKind.values:
        raise CaseError(E.KIND_INVALID, row=row)
    decided_on = given.decided_on or case_decided_on
    if decided_on is None:
        raise CaseError(E.ACTION_DATE_REQUIRED, row=row)
    person = given.person
    if given.responsibility == Responsibility.UNIT:
        if person is not None:
            raise CaseError(E.UNIT_ACTION_NO_PERSON, row=row)
        unit = case_unit
    else:
        if person is None:
            raise CaseError(E.PERSON_REQUIRED, row=row)
        person = Person.objects.select_related("unit").get(pk=person.pk)  # as it is now (people move)
        if not _in_subtree(case_unit, person.unit.path):
            raise CaseError(E.PERSON_OTHER_UNIT, row=row, name=person.name, unit=case_unit.name)
        unit = person.unit
    return CaseAction(person=person, unit=unit, responsibility=given.responsibility, kind=given.kind,
                      decided_on=decided_on, note=(given.note or "").strip())


def _campaign(unit: Unit, campaign) -> Campaign | None:
    """The case's campaign, read again: one owned by the case's unit or a unit above it (else a message naming it)."""
    if campaign is None:
        return None
    found = Campaign.objects.select_related("owner_unit").filter(pk=getattr(campaign, "pk", campaign)).first()
    if found is None:
        raise policy.Denied(Perm.CAMPAIGN_VIEW, unit)  # an id that names nothing: as out of scope
    if not _in_subtree(found.owner_unit, unit.path):
        raise CaseError(E.CAMPAIGN_OTHER_UNIT, name=found.name, unit=unit.name)
    return found


@dataclass
class Links:
    items: list
    findings: list
    notices: list
    opinions: list


def _linked(actor, unit: Unit, *, items=(), findings=(), notices=(), opinions=()) -> Links:
    """What the case cites, read again as it is now: each readable by the actor (else 404, as absent) and of the
    case unit's subtree (else a message naming it)."""

    def check(objs, what, unit_of, readable, perm):
        for obj in objs:
            owner = unit_of(obj)
            if not readable(obj):
                raise policy.Denied(perm, owner)
            if not _in_subtree(unit, owner.path):
                raise CaseError(E.LINK_OTHER_UNIT, what=what, pk=obj.pk, unit=unit.name)
        return objs

    def ids(objs):
        return {getattr(o, "pk", o) for o in objs}

    found_items = list(Item.objects.select_related("ledger__unit").filter(pk__in=ids(items)).order_by("pk"))
    found_findings = list(Finding.objects.select_related("unit", "inspection__ordering_unit")
                          .filter(pk__in=ids(findings)).order_by("pk"))
    found_notices = list(Notice.objects.select_related("addressed_unit").filter(pk__in=ids(notices)).order_by("pk"))
    found_opinions = list(Opinion.objects.select_related("unit").filter(pk__in=ids(opinions)).order_by("pk"))
    for wanted, found in ((items, found_items), (findings, found_findings), (notices, found_notices),
                          (opinions, found_opinions)):
        if len(ids(wanted)) != len(found):
            raise policy.Denied(Perm.WORK_VIEW, unit)  # an id that names nothing: as out of scope
    return Links(
        items=check(found_items, _("台账事项"), lambda i: i.ledger.unit,
                    lambda i: policy.can(actor, Perm.WORK_VIEW, i.ledger.unit), Perm.WORK_VIEW),
        findings=check(found_findings, _("督查发现的问题"), lambda f: f.unit,
                       lambda f: supervision_rules.may_read_finding(actor, f), Perm.WORK_VIEW),
        notices=check(found_notices, _("督办通知单"), lambda n: n.addressed_unit,
                      lambda n: notice_rules.may_read(actor, n), Perm.WORK_VIEW),
        opinions=check(found_opinions, _("群众意见和举报"), lambda o: o.unit,
                       lambda o: opinion_selectors.may_read(actor, o), Perm.OPINION_VIEW),
    )


def _set_links(case: Case, links: Links) -> None:
    case.items.set(links.items)
    case.findings.set(links.findings)
    case.notices.set(links.notices)
    case.opinions.set(links.opinions)


def _store_documents(case: Case, files, actor) -> list[CaseDocument]:
    files = list(files)
    if not files:
        return []
    return CaseDocument.rows_of(evidence.evidence_store(files), actor=actor, case=case)


def _locked(case: Case) -> Case:
    return Case.objects.select_for_update(of=("self",)).select_related("unit").get(pk=case.pk)


def _require(actor, case_or_unit) -> None:
    unit = case_or_unit.unit if isinstance(case_or_unit, Case) else case_or_unit
    policy.require(actor, Perm.ACCOUNTABILITY_RECORD, unit)


@transaction.atomic
def case_record(*, actor, unit: Unit, campaign=None, title: str, cause: str, facts: str, double_check: bool = False,
                decided_on: dt.date | None, decider: str, items=(), findings=(), notices=(), opinions=(),
                actions: Iterable = (), files=()) -> Case:
    """登记责任追究: the case, what it cites, one action per person (or the unit) and its documents, at once."""
    _require(actor, unit)
    fields = _fields(title=title, cause=cause, facts=facts, decided_on=decided_on, decider=decider)
    campaign = _campaign(unit, campaign)
    links = _linked(actor, unit, items=items, findings=findings, notices=notices, opinions=opinions)
    rows = [_action_row(unit, ActionInput.of(a), n, fields["decided_on"]) for n, a in enumerate(actions, start=1)]
    double_check = needs_double_check(double_check=double_check, cause=cause)
    if double_check and (refused := double_check_refusal(rows)) is not None:
        raise refused
    case = Case(unit=unit, campaign=campaign, double_check=double_check, recorded_by=actor, **fields)
    _move(case, "record")
    _save(case, actor, _("登记责任追究"))
    _set_links(case, links)
    for row in rows:
        row.case = case
        _save(row, actor)
    case_tally.case_actions_counted(after=rows)
    _store_documents(case, files, actor)
    return case


@transaction.atomic
def case_update(*, actor, case: Case, title: str, cause: str, facts: str, double_check: bool,
                decided_on: dt.date | None, decider: str, items=(), findings=(), notices=(), opinions=()) -> Case:
    """Edit the case's fields and what it cites (while 办理中); 一案双查 must still hold with its actions."""
    case = _locked(case)
    _require(actor, case)
    _move(case, "update")
    fields = _fields(title=title, cause=cause, facts=facts, decided_on=decided_on, decider=decider)
    links = _linked(actor, case.unit, items=items, findings=findings, notices=notices, opinions=opinions)
    double_check = needs_double_check(double_check=double_check, cause=cause)
    if double_check and (refused := double_check_refusal(case.actions.select_related("person"))) is not None:
        raise refused
    for name, value in fields.items():
        setattr(case, name, value)
    case.double_check = double_check
    _save(case, actor, _("修改责任追究"))
    _set_links(case, links)
    return case


@transaction.atomic
def case_action_add(*, actor, case: Case, person: Person | None, responsibility: str, kind: str,
                    decided_on: dt.date | None, note: str = "") -> CaseAction:
    case = _locked(case)
    _require(actor, case)
    _move(case, "action_add")
    row = _action_row(case.unit, ActionInput(person, responsibility, kind, decided_on, note), 1, case.decided_on)
    row.case = case
    _save(row, actor)
    case_tally.case_actions_counted(after=[row])
    who = row.person.name if row.person else case.unit.name
    _save(case, actor, _("添加处理措施：%(who)s，%(kind)s") % {"who": who, "kind": row.get_kind_display()})
    return row


@transaction.atomic
def case_action_remove(*, actor, action: CaseAction) -> Case:
    """Remove an action entered by mistake (while 办理中); a 一案双查 case keeps both sides."""
    case = _locked(action.case)
    _require(actor, case)
    _move(case, "action_remove")
    action = CaseAction.objects.select_related("person").filter(pk=action.pk, case=case).first()
    if action is None:
        raise CaseError(E.ACTION_OF_OTHER_CASE)
    if case.double_check:
        remaining = case.actions.select_related("person").exclude(pk=action.pk)
        if (refused := double_check_refusal(remaining)) is not None:
            raise refused
    who = action.person.name if action.person else case.unit.name
    kind = action.get_kind_display()
    case_tally.case_actions_counted(before=[action])
    action._history_user = actor
    action.delete()
    _save(case, actor, _("删除处理措施：%(who)s，%(kind)s") % {"who": who, "kind": kind})
    return case


@transaction.atomic
def case_documents_add(*, actor, case: Case, files) -> list[CaseDocument]:
    case = _locked(case)
    _require(actor, case)
    _move(case, "documents_add")
    files = list(files)
    if not files:
        raise CaseError(E.FILES_REQUIRED)
    rows = _store_documents(case, files, actor)
    _save(case, actor, _("上传材料：%(names)s") % {"names": "、".join(r.original_name for r in rows)})
    return rows


@transaction.atomic
def case_conclude(*, actor, case: Case) -> Case:
    case = _locked(case)
    _require(actor, case)
    _move(case, "conclude")
    if case.double_check and (refused := double_check_refusal(case.actions.select_related("person"))) is not None:
        raise refused
    _save(case, actor, _("办结"))
    return case
