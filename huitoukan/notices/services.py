"""Writes of 督办通知单: the issuing unit's settings, and a notice's way issue → answer → return → close.

Every write names its actor (a login) and is checked through `notices.rules`; a notice moves through
NOTICE_MOVES only, each move leaving a history record whose change reason is the timeline's line. The colour
stage is raised on every state change too (`escalation.colour_raise`), and a stage reached notifies.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from huitoukan.access import policy
from huitoukan.access.models import Role, RoleAssignment
from huitoukan.access.policy import Perm
from huitoukan.core import numbering
from huitoukan.core.officialdoc import chinese_document_date, document_number
from huitoukan.notices import escalation, rules
from huitoukan.notices.errors import NoticeError, NoticeErrorCode
from huitoukan.notices.models import (
    DEFAULT_RED_AFTER_DAYS,
    DEFAULT_YELLOW_AFTER_DAYS,
    Notice,
    NoticeAnswer,
    NoticeCounter,
    NoticeEvidence,
    NoticeOffice,
    NoticeState,
)
from huitoukan.notifications import services as notifications
from huitoukan.orgs.models import Unit
from huitoukan.supervision import evidence
from huitoukan.supervision import rules as supervision_rules
from huitoukan.supervision.models import Finding

E = NoticeErrorCode
S = NoticeState

# (state, action) -> next state of a notice; None is a notice not yet issued.
NOTICE_MOVES: dict[tuple[str | None, str], str] = {
    (None, "issue"): S.AWAITING,
    (S.AWAITING, "answer"): S.ANSWERED,
    (S.RETURNED, "answer"): S.ANSWERED,
    (S.ANSWERED, "return"): S.RETURNED,
    (S.ANSWERED, "close"): S.CLOSED,
}
ACTION_LABELS = {"issue": "下发", "answer": "答复", "return": "退回", "close": "办结"}


def default_prefix(unit: Unit) -> str:
    """A 机关代字 until the office sets its own: the unit's name without its level, then 督 (涟源市 → 涟源督)."""
    return numbering.default_prefix(unit.name, "督")


def default_issuer(unit: Unit) -> str:
    return f"{unit.name}教育实践活动领导小组办公室"


def office_of(unit: Unit) -> NoticeOffice:
    """The unit's 发文设置, or (not saved) the defaults."""
    office = NoticeOffice.objects.filter(unit=unit).first()
    return office or NoticeOffice(unit=unit, prefix=default_prefix(unit), issuer_name=default_issuer(unit),
                                  yellow_after_days=DEFAULT_YELLOW_AFTER_DAYS, red_after_days=DEFAULT_RED_AFTER_DAYS)


def _save(obj, actor, reason: str = "", **kwargs) -> None:
    obj._history_user = actor
    if reason:
        obj._change_reason = reason[:100]
    if isinstance(obj, Notice):
        escalation.counted_save(obj, **kwargs)
    else:
        obj.save(**kwargs)


def _move(notice: Notice, action: str) -> None:
    after = NOTICE_MOVES.get((notice.state if notice.pk else None, action))
    if after is None:
        raise NoticeError(E.WRONG_STATE, state=notice.get_state_display(), action=ACTION_LABELS[action])
    notice.state = after


@transaction.atomic
def office_save(*, actor, unit: Unit, prefix: str, issuer_name: str, yellow_after_days: int,
                red_after_days: int) -> NoticeOffice:
    """The unit's own office sets its 机关代字, 发文机关 and colour thresholds."""
    rules.raise_if(rules.office_refusal(actor, unit))
    prefix, issuer_name = (prefix or "").strip(), (issuer_name or "").strip()
    if not prefix:
        raise NoticeError(E.PREFIX_REQUIRED)
    document_number(prefix, 2015, 1)  # the prefix's own rule (no spaces, no brackets)
    if not issuer_name:
        raise NoticeError(E.ISSUER_REQUIRED)
    if yellow_after_days < 1 or red_after_days <= yellow_after_days:
        raise NoticeError(E.THRESHOLDS)
    office = NoticeOffice.objects.select_for_update().filter(unit=unit).first() or NoticeOffice(unit=unit)
    office.prefix, office.issuer_name = prefix, issuer_name
    office.yellow_after_days, office.red_after_days = yellow_after_days, red_after_days
    _save(office, actor)
    return office


def serial_next(unit: Unit, year: int) -> int:
    """The next serial of (unit, year): its counter row is locked until the transaction ends, so two notices
    issued at once never get the same number (core.numbering, as for the 公文)."""
    return numbering.serial_next(NoticeCounter, unit=unit, year=year)


def _issuing_as(actor, addressed_unit: Unit, issuing_unit: Unit | None) -> rules.IssuingAs:
    names = rules.issuing_as(actor, addressed_unit)
    if issuing_unit is not None:
        chosen = [n for n in names if n.unit.pk == issuing_unit.pk]
        if not chosen:
            raise NoticeError(E.ISSUING_UNIT_CHOICE, unit=issuing_unit.name, addressed=addressed_unit.name)
        return chosen[0]
    if not names:
        raise NoticeError(E.OWN_UNIT, unit=addressed_unit.name)
    return names[0]


def _findings(actor, addressed_unit: Unit, findings: Iterable[Finding]) -> list[Finding]:
    # As they are now (a release, a close may have happened since the caller read them).
    found = list(Finding.objects.select_related("unit", "inspection__ordering_unit").filter(
        pk__in={f.pk for f in findings}).order_by("pk"))
    for finding in found:
        if not supervision_rules.may_read_finding(actor, finding):
            raise policy.Denied(Perm.WORK_VIEW, finding.unit)
        if not finding.unit.path.startswith(addressed_unit.path):
            raise NoticeError(E.FINDING_OTHER_UNIT, pk=finding.pk, unit=addressed_unit.name)
        # A sealed 暗访's finding would reach the visited unit through the notice; a released one only in the
        # name of the office that ordered the visit (the notice names its issuer and group: never the team).
        if supervision_rules.sealed(finding.inspection):
            raise NoticeError(E.FINDING_SEALED, pk=finding.pk)
        if not supervision_rules.speaks_for(actor, finding.inspection):
            raise NoticeError(E.FINDING_COVERT_BY_OFFICE, pk=finding.pk)
    return found


def _offices_of(unit_id: int) -> list:
    return [a.user for a in RoleAssignment.objects.filter(unit_id=unit_id, role=Role.CAMPAIGN_OFFICE)
            .select_related("user")]


@transaction.atomic
def notice_issue(*, actor, addressed_unit: Unit, title: str, requirements: str, answer_due_on: dt.date,
                 problems: str = "", findings: Iterable[Finding] = (), issuing_unit: Unit | None = None,
                 today: dt.date | None = None) -> Notice:
    """下发督办通知单 to a unit in the actor's scope, in the name of the actor's unit (or its group's dispatching
    unit), numbered in that unit's sequence of the year; the addressed unit's office is notified."""
    rules.raise_if(rules.issue_refusal(actor, addressed_unit))
    today = today or timezone.localdate()
    name = _issuing_as(actor, addressed_unit, issuing_unit)
    if not (title or "").strip():
        raise NoticeError(E.TITLE_REQUIRED)
    findings = _findings(actor, addressed_unit, findings)
    problems = "\n".join(line.strip() for line in (problems or "").splitlines() if line.strip())
    if not problems and not findings:
        raise NoticeError(E.PROBLEMS_REQUIRED)
    if not (requirements or "").strip():
        raise NoticeError(E.REQUIREMENTS_REQUIRED)
    if answer_due_on < today:
        raise NoticeError(E.DEADLINE_PAST, due=chinese_document_date(answer_due_on),
                          issued=chinese_document_date(today))
    office = office_of(name.unit)
    serial = serial_next(name.unit, today.year)
    notice = Notice(issuing_unit=name.unit, group=name.group, year=today.year, serial=serial,
                    number=document_number(office.prefix, today.year, serial), issuer_name=office.issuer_name,
                    addressed_unit=addressed_unit, title=title.strip(), problems=problems,
                    requirements=requirements.strip(), answer_due_on=answer_due_on, issued_on=today, issued_by=actor)
    _move(notice, "issue")
    _save(notice, actor, _("下发督办通知单"))
    notice.findings.set(findings)
    notifications.notify(
        recipients=_offices_of(addressed_unit.pk), key=f"notice:{notice.pk}:issued",
        title=_("【督办通知单】%(number)s %(title)s") % {"number": notice.number, "title": notice.title},
        body=_("%(issuer)s向%(unit)s下发督办通知单，请于%(due)s前答复。") % {
            "issuer": notice.issuer_name, "unit": addressed_unit.name, "due": chinese_document_date(answer_due_on)},
        link=f"/notices/{notice.pk}/", unit=addressed_unit, perm=Perm.WORK_VIEW, kind="notice")
    return notice


def _locked(notice: Notice) -> Notice:
    return (Notice.objects.select_for_update(of=("self",))
            .select_related("issuing_unit", "addressed_unit", "issued_by", "group").get(pk=notice.pk))


@transaction.atomic
def notice_answer(*, actor, notice: Notice, report: str, files=(), today: dt.date | None = None) -> NoticeAnswer:
    """The addressed unit's own office answers with a report and evidence; the colour reached by then is kept."""
    notice = _locked(notice)
    rules.raise_if(rules.answer_refusal(actor, notice))
    today = today or timezone.localdate()
    if not (report or "").strip():
        raise NoticeError(E.REPORT_REQUIRED)
    raised = escalation.colour_raise(notice, today=today)
    _move(notice, "answer")
    _save(notice, actor, _("单位答复"))
    answer = NoticeAnswer.objects.create(notice=notice, report=report.strip(), answered_by=actor)
    files = list(files)
    if files:
        NoticeEvidence.rows_of(evidence.evidence_store(files), actor=actor, answer=answer)
    if raised is not None:
        escalation.escalate(notice, raised, today=today)
    notifications.notify(
        recipients=[notice.issued_by], key=f"notice:{notice.pk}:answer:{answer.pk}",
        title=_("【督办通知单已答复】%(number)s") % {"number": notice.number},
        body=_("%(unit)s已答复《%(title)s》，请审核办结或退回。") % {
            "unit": notice.addressed_unit.name, "title": notice.title},
        link=f"/notices/{notice.pk}/", unit=notice.addressed_unit, perm=Perm.WORK_VIEW, kind="notice")
    return answer


@transaction.atomic
def notice_return(*, actor, notice: Notice, reason: str, answer_due_on: dt.date | None = None,
                  today: dt.date | None = None) -> Notice:
    """The issuing side returns the answer with a reason (and optionally a new deadline): the unit answers again.
    With a new deadline the colour is that deadline's (it may go down); without, it only rises."""
    notice = _locked(notice)
    rules.raise_if(rules.side_refusal(actor, notice))
    today = today or timezone.localdate()
    if not (reason or "").strip():
        raise NoticeError(E.REASON_REQUIRED)
    _move(notice, "return")
    if answer_due_on is not None:
        if answer_due_on < today:
            raise NoticeError(E.DEADLINE_PAST, due=chinese_document_date(answer_due_on),
                              issued=chinese_document_date(today))
        notice.answer_due_on = answer_due_on
        notice.colour = escalation.colour_due(notice, today=today)
    raised = escalation.colour_raise(notice, today=today)
    notice.return_reason, notice.returned_by, notice.returned_at = reason.strip(), actor, timezone.now()
    _save(notice, actor, _("退回：%(reason)s") % {"reason": reason.strip()})
    if raised is not None:
        escalation.escalate(notice, raised, today=today)
    returned = notice.history.filter(state=S.RETURNED).count()
    notifications.notify(
        recipients=_offices_of(notice.addressed_unit_id), key=f"notice:{notice.pk}:returned:{returned}",
        title=_("【督办通知单退回】%(number)s") % {"number": notice.number},
        body=_("答复被退回：%(reason)s。请于%(due)s前重新答复。") % {
            "reason": notice.return_reason, "due": chinese_document_date(notice.answer_due_on)},
        link=f"/notices/{notice.pk}/", unit=notice.addressed_unit, perm=Perm.WORK_VIEW, kind="notice")
    return notice


@transaction.atomic
def notice_close(*, actor, notice: Notice, note: str = "") -> Notice:
    """The issuing side closes an answered notice (办结); it keeps its last colour for the record."""
    notice = _locked(notice)
    rules.raise_if(rules.side_refusal(actor, notice))
    _move(notice, "close")
    notice.close_note, notice.closed_by, notice.closed_at = (note or "").strip(), actor, timezone.now()
    reason = _("办结：%(note)s") % {"note": notice.close_note} if notice.close_note else _("办结")
    _save(notice, actor, reason)
    return notice
