"""Writes of 群众意见 (意见建议, 举报): filed from the public site, then answered, re-routed, put into a ledger or
referred to discipline by the office of the unit that handles it.

Every state change goes through opinion_workflow.move, keeps a history record naming its actor (none for the
public's submission) and moves the opinion in the kept counts (orgs.totals, topic "opinion") under its unit.
The query code is returned once and kept only as a keyed digest; the contact only as SM4-GCM ciphertext.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models.functions import Length
from django.utils import timezone
from django.utils.translation import gettext as _

from huitoukan.access import policy
from huitoukan.access.models import Role, RoleAssignment
from huitoukan.access.policy import Perm
from huitoukan.audit.models import SecurityEventKind
from huitoukan.audit.services import security_event_record
from huitoukan.core.dates import chinese_date
from huitoukan.core.paths import ancestor_paths
from huitoukan.ledgers import services as ledger_services
from huitoukan.ledgers.models import Item, Ledger, Source
from huitoukan.notifications import services as notifications
from huitoukan.orgs import totals as unit_totals
from huitoukan.orgs.models import Unit
from huitoukan.publicity import public_selectors
from huitoukan.publicity.contact import Contact, contact_decrypt, contact_encrypt
from huitoukan.publicity.models import Opinion, OpinionKind, OpinionRouting
from huitoukan.publicity.opinion_selectors import (
    CODE_ALPHABET,
    CODE_LENGTH,
    OPINION_TOPIC,
    contact_refusal,
    handle_refusal,
    ledgers_for,
    nearest_logins,
    query_digest,
    raise_if,
)
from huitoukan.publicity.opinion_workflow import Action, OpinionError, OpinionErrorCode, move

E = OpinionErrorCode
NUMBER_PREFIX = {OpinionKind.OPINION: "YJ", OpinionKind.REPORT: "JB"}


@dataclass(frozen=True)
class Submitted:
    opinion: Opinion
    code: str  # shown to the sender once; never stored


def code_new() -> str:
    """A fresh query code: 16 characters (about 79 bits) in groups of four, e.g. 7KQ2-M9XH-4TPW-RZ8C."""
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    return "-".join(raw[i:i + 4] for i in range(0, CODE_LENGTH, 4))


def link_of(opinion: Opinion) -> str:
    return f"/publicity/opinions/{opinion.pk}/"


def _save(opinion: Opinion, actor, reason: str, before: str | None, *, unit: Unit | None = None) -> None:
    opinion._history_user = actor
    opinion._change_reason = reason[:100]
    opinion.save()
    unit_totals.work_counted(unit or opinion.unit, topic=OPINION_TOPIC, before=before, after=opinion.state)


def _logins_at(unit_ids, role) -> list:
    return [a.user for a in RoleAssignment.objects.filter(unit_id__in=unit_ids, role=role).select_related("user")]


def _notify_office(opinion: Opinion, unit: Unit, key: str, title: str, body: str) -> None:
    notifications.notify(recipients=nearest_logins(unit, Role.CAMPAIGN_OFFICE), key=key, title=title, body=body,
                         link=link_of(opinion), unit=unit, perm=Perm.OPINION_VIEW, kind="opinion")


def _number_prefix(kind: str, day: dt.date) -> str:
    return f"{NUMBER_PREFIX[OpinionKind(kind)]}{day:%Y%m%d}-"


def _next_serial(prefix: str) -> int:
    # Longest first: past 9999 the serials have five digits, and "…-9999" sorts above "…-10000" as text.
    last = (Opinion.objects.filter(number__startswith=prefix).order_by(Length("number").desc(), "-number")
            .values_list("number", flat=True).first())
    return int(last[len(prefix):]) + 1 if last else 1


@transaction.atomic
def opinion_submit(*, unit: Unit, kind: str, subject: str, content: str, anonymous: bool = True,
                   contact: Contact | None = None, about_item: Item | None = None,
                   today: dt.date | None = None) -> Submitted:
    """A 意见建议 or 举报 from the public to a unit with a public page; the unit's office is notified.

    `about_item` is kept only when it is on the unit's published list. An anonymous sender leaves no name
    (a phone number or email to be called back on may still be given)."""
    if not public_selectors.unit_is_public(unit):
        raise OpinionError(E.UNIT_NOT_PUBLIC)
    kind = OpinionKind(kind)
    subject, content = (subject or "").strip(), (content or "").strip()
    if not subject:
        raise OpinionError(E.SUBJECT_REQUIRED)
    if not content:
        raise OpinionError(E.CONTENT_REQUIRED)
    if about_item is not None and about_item.pk not in public_selectors.public_item_ids(unit):
        about_item = None
    contact = contact or Contact()
    if anonymous:
        contact = Contact(means=contact.means)
    today = today or timezone.localdate()
    code = code_new()
    prefix = _number_prefix(kind, today)
    for _attempt in range(20):
        number = f"{prefix}{_next_serial(prefix):04d}"
        opinion = Opinion(number=number, kind=kind, submitted_unit=unit, unit=unit, about_item=about_item,
                          subject=subject[:200], content=content, anonymous=anonymous,
                          contact_ciphertext=contact_encrypt(contact, number=number),
                          query_digest=query_digest(code),
                          answer_due_on=today + dt.timedelta(days=settings.OPINION_ANSWER_DAYS))
        before, _after = move(opinion, Action.SUBMIT)
        try:
            with transaction.atomic():  # two submissions of the same moment: the second takes the next number
                _save(opinion, None, _("群众提交%(kind)s") % {"kind": kind.label}, before)
        except IntegrityError:
            continue
        break
    else:
        raise IntegrityError("no free opinion number")
    _notify_office(opinion, unit, key=f"opinion:{opinion.pk}:received",
                   title=_("【群众%(kind)s】%(number)s %(subject)s") % {
                       "kind": kind.label, "number": number, "subject": opinion.subject},
                   body=_("%(unit)s收到群众%(kind)s，请于%(due)s前答复。") % {
                       "unit": unit.name, "kind": kind.label, "due": chinese_date(opinion.answer_due_on)})
    return Submitted(opinion=opinion, code=code)


def _locked(opinion: Opinion) -> Opinion:
    return Opinion.objects.select_for_update(of=("self",)).select_related("unit", "submitted_unit").get(pk=opinion.pk)


def _handled(actor, opinion: Opinion) -> Opinion:
    opinion = _locked(opinion)
    raise_if(handle_refusal(actor, opinion))
    return opinion


@transaction.atomic
def opinion_answer(*, actor, opinion: Opinion, answer: str) -> Opinion:
    """答复: the answer the sender reads with the query code."""
    opinion = _handled(actor, opinion)
    answer = (answer or "").strip()
    if not answer:
        raise OpinionError(E.ANSWER_REQUIRED)
    before, _after = move(opinion, Action.ANSWER)
    opinion.answer, opinion.answered_by, opinion.answered_at = answer, actor, timezone.now()
    _save(opinion, actor, _("答复"), before)
    return opinion


@transaction.atomic
def opinion_reroute(*, actor, opinion: Opinion, to_unit: Unit, reason: str) -> OpinionRouting:
    """转办 to the right unit, one the actor's office covers; that unit's office is notified. The unit the form
    was sent to stays on record (submitted_unit), and each re-routing is a row with its reason."""
    opinion = _handled(actor, opinion)
    reason = (reason or "").strip()
    if not reason:
        raise OpinionError(E.REASON_REQUIRED)
    if to_unit.pk == opinion.unit_id:
        raise OpinionError(E.SAME_UNIT, unit=to_unit.name)
    if not policy.can(actor, Perm.OPINION_HANDLE, to_unit) or to_unit.abolished_on is not None:
        raise OpinionError(E.UNIT_OUT_OF_SCOPE, unit=to_unit.name)
    before, _after = move(opinion, Action.REROUTE)
    from_unit = opinion.unit
    routing = OpinionRouting.objects.create(opinion=opinion, from_unit=from_unit, to_unit=to_unit, reason=reason,
                                            by=actor)
    opinion.unit = to_unit
    # Out of the old unit's counts, into the new one's.
    unit_totals.work_counted(from_unit, topic=OPINION_TOPIC, before=before, after=None)
    _save(opinion, actor, _("转办至%(unit)s：%(reason)s") % {"unit": to_unit.name, "reason": reason}, None)
    _notify_office(opinion, to_unit, key=f"opinion:{opinion.pk}:routed:{routing.pk}",
                   title=_("【群众意见转办】%(number)s %(subject)s") % {
                       "number": opinion.number, "subject": opinion.subject},
                   body=_("%(from)s转来群众%(kind)s，转办理由：%(reason)s。请于%(due)s前答复。") % {
                       "from": from_unit.name, "kind": opinion.get_kind_display(), "reason": reason,
                       "due": chinese_date(opinion.answer_due_on)})
    return routing


@transaction.atomic
def opinion_to_ledger(*, actor, opinion: Opinion, ledger: Ledger, problem: str) -> Item:
    """列入台账: a new item (source 群众意见) in one of the unit's own ledgers, its problem as the office wrote it
    from the opinion; the opinion and the item point at each other (opinion.ledger_item, item.opinions)."""
    opinion = _handled(actor, opinion)
    move(opinion, Action.LEDGER)
    problem = (problem or "").strip()
    if not problem:
        raise OpinionError(E.PROBLEM_REQUIRED)
    if not ledgers_for(opinion).filter(pk=ledger.pk).exists():
        raise OpinionError(E.LEDGER_OTHER_UNIT, unit=opinion.unit.name)
    item = ledger_services.item_create(actor=actor, ledger=ledger, problem=problem, source=Source.PUBLIC_OPINION)
    opinion.ledger_item = item
    _save(opinion, actor, _("列入台账（%(ledger)s 第%(seq)s项）") % {"ledger": ledger, "seq": item.seq},
          opinion.state)
    return item


@transaction.atomic
def opinion_refer(*, actor, opinion: Opinion, note: str) -> Opinion:
    """移交纪检: the discipline staff of the unit and of the units above it are notified."""
    opinion = _handled(actor, opinion)
    note = (note or "").strip()
    if not note:
        raise OpinionError(E.NOTE_REQUIRED)
    before, _after = move(opinion, Action.REFER)
    opinion.referral_note, opinion.referred_by, opinion.referred_at = note, actor, timezone.now()
    _save(opinion, actor, _("移交纪检监察机关"), before)
    units = list(Unit.objects.filter(path__in=ancestor_paths(opinion.unit.path, include_self=True))
                 .values_list("pk", flat=True))
    notifications.notify(
        recipients=_logins_at(units, Role.DISCIPLINE), key=f"opinion:{opinion.pk}:referred",
        title=_("【移交纪检】%(number)s %(subject)s") % {"number": opinion.number, "subject": opinion.subject},
        body=_("%(unit)s将群众%(kind)s移交纪检监察机关处理：%(note)s") % {
            "unit": opinion.unit.name, "kind": opinion.get_kind_display(), "note": note},
        link=link_of(opinion), unit=opinion.unit, perm=Perm.OPINION_VIEW, kind="opinion")
    return opinion


@transaction.atomic
def opinion_contact_reveal(*, actor, opinion: Opinion, request=None) -> Contact:
    """The sender's contact, decrypted for the handling unit's own office or discipline staff over it
    (opinion_selectors.may_reveal_contact); each reveal is a line of the security log."""
    refusal = contact_refusal(actor, opinion)
    if refusal is not None:
        raise refusal
    contact = contact_decrypt(opinion.contact_ciphertext, number=opinion.number)
    security_event_record(kind=SecurityEventKind.CONTACT_VIEW, user=actor, request=request, detail={
        "what": "群众意见联系方式", "opinion": opinion.number, "unit": opinion.unit.full_name})
    return contact
