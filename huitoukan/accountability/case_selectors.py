"""Reads of 责任追究: cases scoped by Perm.ACCOUNTABILITY_VIEW over the case's unit ("visible to the person's unit
head and above"; 404 outside the scope), the actions of a person or of a subtree in a year (年度考核), the cases
citing an item / finding / notice / opinion, and a case's chain item → findings → notices → opinions."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.http import Http404

from huitoukan.access import policy
from huitoukan.access.policy import Perm
from huitoukan.accountability.models import (
    ActionKind,
    Case,
    CaseAction,
    CaseCause,
    CaseDocument,
    CaseState,
)
from huitoukan.core import sql
from huitoukan.core.paths import path_range_q
from huitoukan.core.timeline import actor_label
from huitoukan.ledgers.models import Item
from huitoukan.notices import rules as notice_rules
from huitoukan.notices.models import Notice
from huitoukan.orgs.models import Person, Unit
from huitoukan.publicity.models import Opinion
from huitoukan.supervision import rules as supervision_rules
from huitoukan.supervision.models import Finding


@dataclass(frozen=True)
class CaseFilters:
    unit: Unit | None = None  # the unit and its subtree
    cause: str = ""
    year: int | None = None
    kind: str = ""  # an action kind some action of the case has
    state: str = ""
    q: str = ""  # words of the 案由 or of a person held responsible


def cases_q(user) -> Q:
    return policy.units_q(user, Perm.ACCOUNTABILITY_VIEW, "unit__path")


def units_for(*, user) -> QuerySet[Unit]:
    """The units whose cases the reader may read (their ACCOUNTABILITY_VIEW scope): what the list filters by."""
    return Unit.objects.filter(policy.units_q(user, Perm.ACCOUNTABILITY_VIEW))


def cases_for(*, user, filters: CaseFilters = CaseFilters()) -> QuerySet[Case]:
    qs = Case.objects.filter(cases_q(user)).select_related("unit")
    if filters.unit is not None:
        qs = qs.filter(path_range_q(filters.unit.path, "unit__path"))
    if filters.cause in CaseCause.values:
        qs = qs.filter(cause=filters.cause)
    if filters.state in CaseState.values:
        qs = qs.filter(state=filters.state)
    if filters.year:
        qs = qs.filter(decided_on__year=filters.year)
    if filters.kind in ActionKind.values:
        qs = qs.filter(pk__in=CaseAction.objects.filter(kind=filters.kind).values("case_id"))
    if filters.q.strip():
        words = filters.q.strip()
        qs = qs.filter(Q(title__contains=words)
                       | Q(pk__in=CaseAction.objects.filter(person__name__contains=words).values("case_id")))
    return qs.prefetch_related("actions__person")


def case_get_for(*, user, pk) -> Case:
    key = sql.key_or_none(pk)
    case = key and Case.objects.select_related("unit", "campaign", "recorded_by").filter(pk=key).first()
    if not case or not policy.can(user, Perm.ACCOUNTABILITY_VIEW, case.unit):
        raise Http404
    return case


def action_get_for(*, user, pk) -> CaseAction:
    key = sql.key_or_none(pk)
    action = key and CaseAction.objects.select_related("case__unit", "person").filter(pk=key).first()
    if not action or not policy.can(user, Perm.ACCOUNTABILITY_VIEW, action.case.unit):
        raise Http404
    return action


def document_get_for(*, user, pk) -> CaseDocument:
    key = sql.key_or_none(pk)
    document = key and CaseDocument.objects.select_related("case__unit").filter(pk=key).first()
    if not document or not policy.can(user, Perm.ACCOUNTABILITY_VIEW, document.case.unit):
        raise Http404
    return document


def actions_of(case: Case) -> list[CaseAction]:
    return list(case.actions.select_related("person", "unit").order_by("responsibility", "id"))


def documents_of(case: Case) -> list[CaseDocument]:
    return list(case.documents.select_related("uploaded_by"))


def actions_of_person(person: Person, year: int | None = None) -> QuerySet[CaseAction]:
    """The actions taken on one person (any case), in `year` when given: for the person's 年度考核."""
    qs = CaseAction.objects.filter(person=person).select_related("case", "unit")
    if year:
        qs = qs.filter(decided_on__year=year)
    return qs.order_by("decided_on", "id")


def actions_in(unit: Unit, year: int) -> QuerySet[CaseAction]:
    """The actions of `year` on the people and units of `unit`'s subtree (by the unit answerable when decided):
    for the annual assessment and the 评先选优 exclusions."""
    return (CaseAction.objects.filter(path_range_q(unit.path, "unit__path"), decided_on__year=year)
            .select_related("case", "person", "unit").order_by("unit__path", "decided_on", "id"))


def people_of(unit: Unit) -> QuerySet[Person]:
    """Who a case at `unit` may hold responsible: the active people of the unit's subtree."""
    return Person.objects.filter(path_range_q(unit.path, "unit__path"), is_active=True).select_related("unit")


@dataclass
class Candidates:
    """What a case at `unit` may cite: the reader's readable objects of the unit's subtree."""

    items: QuerySet
    findings: QuerySet
    notices: QuerySet
    opinions: QuerySet


def candidates_for(*, user, unit: Unit) -> Candidates:
    return Candidates(
        items=Item.objects.filter(policy.units_q(user, Perm.WORK_VIEW, "ledger__unit__path"),
                                  path_range_q(unit.path, "ledger__unit__path")).select_related("ledger__unit"),
        findings=Finding.objects.filter(pk__in=Finding.objects.filter(supervision_rules.findings_q(user)).values("pk"))
        .filter(path_range_q(unit.path, "unit__path")).select_related("unit"),
        notices=Notice.objects.filter(notice_rules.notices_q(user), path_range_q(unit.path, "addressed_unit__path")),
        opinions=Opinion.objects.filter(policy.units_q(user, Perm.OPINION_VIEW, "unit__path"),
                                        path_range_q(unit.path, "unit__path")),
    )


_CITES = {Item: "items", Finding: "findings", Notice: "notices", Opinion: "opinions"}


def cases_citing(obj, user) -> QuerySet[Case]:
    """The cases the reader may read that cite `obj` (a ledger Item, a Finding, a Notice or an Opinion)."""
    relation = next((name for model, name in _CITES.items() if isinstance(obj, model)), None)
    if relation is None:
        raise TypeError(f"cases cite no {type(obj).__name__}")
    return Case.objects.filter(cases_q(user), **{relation: obj}).select_related("unit").distinct()


# --- the chain: 一案双查 is a query ---------------------------------------------------------------------------------

@dataclass
class Linked:
    obj: object
    linked: bool  # cited by the case itself (else found through the chain)


@dataclass
class ChainRow:
    item: Linked
    findings: list[Linked] = field(default_factory=list)
    notices: list[Linked] = field(default_factory=list)
    opinions: list[Linked] = field(default_factory=list)


@dataclass
class Chain:
    rows: list[ChainRow]  # one per item the case cites
    findings: list[Linked]  # cited, not reached from a cited item
    notices: list[Linked]
    opinions: list[Linked]
    hidden_opinions: int  # cited opinions the reader may not read (a unit head reads no letters)

    def __bool__(self) -> bool:
        return bool(self.rows or self.findings or self.notices or self.opinions or self.hidden_opinions)


def case_chain(case: Case, user) -> Chain:
    """For each ledger item the case cites: the supervision findings about it, the 督办通知单 of those findings and
    the letters of the public about it, those the case cites marked; then what the case cites outside that chain.
    Each read is scoped to what the reader may read (a sealed 暗访's finding, another unit's letter stay out)."""
    items = list(case.items.select_related("ledger__unit").order_by("pk"))
    item_ids = [i.pk for i in items]
    cited_findings = set(case.findings.values_list("pk", flat=True))
    cited_notices = set(case.notices.values_list("pk", flat=True))
    cited_opinions = set(case.opinions.values_list("pk", flat=True))
    findings = list(Finding.objects.filter(supervision_rules.findings_q(user))
                    .filter(Q(item_id__in=item_ids) | Q(linked_item_id__in=item_ids) | Q(pk__in=cited_findings))
                    .select_related("unit").distinct().order_by("pk"))
    finding_ids = [f.pk for f in findings]
    notices = list(Notice.objects.filter(notice_rules.notices_q(user))
                   .filter(Q(findings__in=finding_ids) | Q(pk__in=cited_notices))
                   .select_related("addressed_unit").prefetch_related("findings").distinct().order_by("pk"))
    opinions = list(Opinion.objects.filter(policy.units_q(user, Perm.OPINION_VIEW, "unit__path"))
                    .filter(Q(about_item_id__in=item_ids) | Q(ledger_item_id__in=item_ids) | Q(pk__in=cited_opinions))
                    .select_related("unit").distinct().order_by("pk"))
    reached_f, reached_n, reached_o = set(), set(), set()
    rows = []
    for item in items:
        row = ChainRow(item=Linked(item, True))
        for f in findings:
            if item.pk in (f.item_id, f.linked_item_id):
                row.findings.append(Linked(f, f.pk in cited_findings))
                reached_f.add(f.pk)
        of_row = {f.obj.pk for f in row.findings}
        for n in notices:
            if {f.pk for f in n.findings.all()} & of_row:
                row.notices.append(Linked(n, n.pk in cited_notices))
                reached_n.add(n.pk)
        for o in opinions:
            if item.pk in (o.about_item_id, o.ledger_item_id):
                row.opinions.append(Linked(o, o.pk in cited_opinions))
                reached_o.add(o.pk)
        rows.append(row)
    return Chain(
        rows=rows,
        findings=[Linked(f, True) for f in findings if f.pk in cited_findings and f.pk not in reached_f],
        notices=[Linked(n, True) for n in notices if n.pk in cited_notices and n.pk not in reached_n],
        opinions=[Linked(o, True) for o in opinions if o.pk in cited_opinions and o.pk not in reached_o],
        hidden_opinions=len(cited_opinions - {o.pk for o in opinions}),
    )


@dataclass
class Event:
    at: object
    who: str
    text: str
    state: str


def timeline(case: Case) -> list[Event]:
    """Every write on the case from its history: who, when, what (the change reason)."""
    labels = dict(CaseState.choices)
    records = case.history.select_related("history_user", "history_user__person").order_by("history_date",
                                                                                        "history_id")
    return [Event(at=r.history_date, who=actor_label(r.history_user), text=r.history_change_reason or "",
                  state=str(labels.get(r.state, r.state))) for r in records if r.history_change_reason]


