"""Writes of 报送 and 逐级审阅: build a frozen version, move it through the workflow, comment on it."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from huitoukan.access.models import Role, RoleAssignment
from huitoukan.access.policy import Perm
from huitoukan.campaigns import selectors as campaign_selectors
from huitoukan.campaigns.models import Deadline
from huitoukan.core.paths import ancestor_paths
from huitoukan.notifications import services as notifications
from huitoukan.orgs.models import Unit
from huitoukan.reviews import rules, snapshot, workflow
from huitoukan.reviews.errors import ReviewError, ReviewErrorCode
from huitoukan.reviews.models import (
    IN_UNIT,
    CommentKind,
    PackageAction,
    PackageComment,
    PackageEvent,
    PackageState,
    PackageVersion,
    ReportState,
    Submission,
)
from huitoukan.reviews.workflow import VersionSubject

A = PackageAction
COMMENT_KINDS = {"reviewer": CommentKind.REVIEW, "group": CommentKind.SUPERVISION, "head": CommentKind.HEAD}


def _save(obj, actor, **kwargs) -> None:
    obj._history_user = actor
    obj.save(**kwargs)


def _event(version: PackageVersion, action: str, actor, *, unit, before: str = "", after: str = "",
           reason: str = "", at) -> PackageEvent:
    return PackageEvent.objects.create(version=version, action=action, actor=actor, unit=unit, from_state=before,
                                       to_state=after, reason=reason, at=at)


def _logins_at(unit: Unit, role: str) -> list:
    return [a.user for a in RoleAssignment.objects.filter(unit=unit, role=role).select_related("user")]


def _group_members(unit: Unit) -> list:
    """The logins of the active supervision groups assigned the unit or a unit above it."""
    above = ancestor_paths(unit.path, include_self=True)
    return [a.user for a in RoleAssignment.objects.filter(
        role=Role.SUPERVISOR, supervision_group__is_active=True,
        supervision_group__assigned_units__path__in=above).select_related("user").distinct()]


# What the one told has to do next, by the step just taken ({reviewer}: the unit the version waits for).
NEXT = {
    A.BUILD: gettext_lazy("待您审核"),
    A.HEAD_APPROVE: gettext_lazy("主要负责同志已审核，待报送"),
    A.HEAD_RETURN: gettext_lazy("主要负责同志退回修改"),
    A.GROUP_AUDIT: gettext_lazy("督导组已审核，待报送"),
    A.GROUP_RETURN: gettext_lazy("督导组退回修改"),
    A.SUBMIT: gettext_lazy("待您审阅"),
    A.APPROVE: gettext_lazy("已审阅通过"),
    A.RETURN: gettext_lazy("被退回，请修改后重新报送"),
}


def _tell(version: PackageVersion, event: PackageEvent, recipients: list, *, unit: Unit | None,
          what: str) -> None:
    """Tell who acts next (the head, the group, the office, the reviewing office) what to do, in the app and
    by the channels they chose; once per event."""
    if unit is None or not recipients:
        return
    submission = version.submission
    title = _("%(unit)s %(name)s 第%(n)s版：%(what)s") % {
        "unit": submission.unit.name, "name": submission.deadline.name, "n": version.number, "what": what}
    body = (_("理由：%(reason)s") % {"reason": event.reason}) if event.reason else ""
    notifications.notify(recipients=recipients, key=f"package:{version.pk}:event:{event.pk}", title=title,
                         body=body, link=f"/reviews/versions/{version.pk}/", unit=unit, perm=Perm.WORK_VIEW,
                         kind="review")


def _locked_submission(deadline: Deadline, unit: Unit) -> Submission:
    submission, _created = Submission.objects.get_or_create(deadline=deadline, unit=unit)
    return Submission.objects.select_for_update(of=("self",)).select_related("current").get(pk=submission.pk)


@transaction.atomic
def package_build(*, actor, deadline: Deadline, unit: Unit, today: dt.date | None = None) -> PackageVersion:
    """Freeze what `deadline` asks of `unit` as a new version, waiting for the unit head's approval.

    A version still inside the unit (not yet submitted) is withdrawn by the new one; one under review
    above, or approved, is not replaced."""
    now = timezone.now()
    today = today or timezone.localdate()
    probe = PackageVersion(submission=Submission(deadline=deadline, unit=unit), state=PackageState.AWAITING_HEAD)
    workflow.authorize(actor, A.BUILD, VersionSubject(probe))
    if not deadline.contents:
        raise ReviewError(ReviewErrorCode.NO_CONTENTS, deadline=deadline.name)
    if not campaign_selectors.deadline_expected_units(deadline=deadline).filter(pk=unit.pk).exists():
        raise ReviewError(ReviewErrorCode.NOT_EXPECTED, unit=unit.full_name, deadline=deadline.name)
    submission = _locked_submission(deadline, unit)
    current = submission.current
    if current is not None and current.state == PackageState.SUBMITTED:
        raise ReviewError(ReviewErrorCode.IN_REVIEW, number=current.number)
    if current is not None and current.state == PackageState.APPROVED:
        raise ReviewError(ReviewErrorCode.ALREADY_APPROVED)
    if current is not None and current.state in IN_UNIT:
        before = current.state
        current.state = PackageState.WITHDRAWN
        _save(current, actor)
        _event(current, A.WITHDRAW, actor, unit=unit, before=before, after=current.state, reason="重新生成", at=now)
    frozen = snapshot.package_snapshot(deadline=deadline, unit=unit, today=today)
    version = PackageVersion(submission=submission, number=submission.versions_count + 1,
                             state=PackageState.AWAITING_HEAD, content=frozen.text, digest=frozen.digest,
                             built_by=actor, built_at=now)
    _save(version, actor)
    event = _event(version, A.BUILD, actor, unit=unit, after=version.state, at=now)
    _tell(version, event, _logins_at(unit, Role.UNIT_HEAD), unit=unit, what=NEXT[A.BUILD])
    submission.current = version
    submission.versions_count = version.number
    submission.save(update_fields=["current", "versions_count"])
    return version


def _acting_unit(action: str, version: PackageVersion) -> Unit | None:
    if action in (A.APPROVE, A.RETURN):
        return version.reviewer_unit
    if action in (A.GROUP_AUDIT, A.GROUP_RETURN):
        return None
    return version.submission.unit


@transaction.atomic
def package_act(*, actor, version: PackageVersion, action: str, reason: str = "") -> PackageVersion:
    """Take a workflow action on a version: approve, audit, submit, withdraw, review or return it."""
    if action not in workflow.MOVES:
        raise ValueError(action)
    now = timezone.now()
    version = (PackageVersion.objects.select_for_update(of=("self",))
               .select_related("submission__deadline__campaign__owner_unit", "submission__unit", "reviewer_unit")
               .get(pk=version.pk))
    subject = VersionSubject(version)
    workflow.check(actor, action, subject)
    reason = (reason or "").strip()
    if action in workflow.NEEDS_REASON and not reason:
        raise ReviewError(ReviewErrorCode.REASON_REQUIRED)
    submission = Submission.objects.select_for_update().get(pk=version.submission_id)
    campaign = version.submission.deadline.campaign
    unit = version.submission.unit
    acting_unit = _acting_unit(action, version)
    before, after = workflow.apply(version, action, group_audit=campaign.group_audit)
    if action == A.HEAD_APPROVE:
        version.head_approved_by, version.head_approved_at = actor, now
    elif action == A.GROUP_AUDIT:
        version.group_audited_by, version.group_audited_at = actor, now
    elif action == A.SUBMIT:
        version.submitted_by, version.submitted_at = actor, now
        version.reviewer_unit = rules.next_reviewer(unit, campaign, None)
        submission.state = ReportState.SUBMITTED
        submission.first_submitted_at = submission.first_submitted_at or now
        submission.last_submitted_at = now
    elif action == A.APPROVE:
        version.decided_by, version.decided_at = actor, now
        following = rules.next_reviewer(unit, campaign, version.reviewer_unit)
        if following is not None:  # approved here, on up the chain
            version.state = after = PackageState.SUBMITTED
            version.reviewer_unit = following
        else:
            submission.state = ReportState.APPROVED
            submission.approved_at = now
    elif action == A.RETURN:
        version.decided_by, version.decided_at = actor, now
        version.return_reason = reason
        submission.state = ReportState.RETURNED
    elif action in (A.HEAD_RETURN, A.GROUP_RETURN):
        version.return_reason = reason
    _save(version, actor)
    submission.save(update_fields=["state", "first_submitted_at", "last_submitted_at", "approved_at"])
    event = _event(version, action, actor, unit=acting_unit, before=before, after=after, reason=reason, at=now)
    if after == PackageState.SUBMITTED:  # submitted, or approved on up the chain: the next reviewer
        _tell(version, event, _logins_at(version.reviewer_unit, Role.CAMPAIGN_OFFICE), unit=version.reviewer_unit,
              what=NEXT[A.SUBMIT])
    elif after == PackageState.AWAITING_GROUP:  # the group's 审核把关 before the office may submit
        _tell(version, event, _group_members(unit), unit=unit, what=_("待督导组审核"))
    else:  # back with the unit's office: to submit, to mend, or done
        _tell(version, event, _logins_at(unit, Role.CAMPAIGN_OFFICE), unit=unit, what=NEXT[action])
    return version


@transaction.atomic
def package_comment(*, actor, version: PackageVersion, text: str, anchor: str = "") -> PackageComment:
    """A comment on the version, whole or on one row: a reviewer's 审阅意见, the group's 督导意见 (which
    decides nothing), or the head's 审核意见."""
    version = (PackageVersion.objects.select_related("submission__deadline__campaign__owner_unit",
                                                     "submission__unit", "reviewer_unit").get(pk=version.pk))
    subject = VersionSubject(version)
    workflow.check(actor, A.COMMENT, subject)
    as_whom = workflow.commenter(actor, subject)
    if as_whom is None:  # passed the guard as someone whose turn it is not
        raise ReviewError(ReviewErrorCode.WRONG_STATE, state=version.get_state_display(),
                          action=PackageAction.COMMENT.label)
    text = (text or "").strip()
    if not text:
        raise ReviewError(ReviewErrorCode.COMMENT_EMPTY)
    anchor = (anchor or "").strip()
    label = ""
    if anchor:
        found = snapshot.anchors(snapshot.content_of(version))
        if anchor not in found:
            raise ReviewError(ReviewErrorCode.ANCHOR_UNKNOWN, anchor=anchor)
        label = found[anchor]
    unit = version.reviewer_unit if as_whom == "reviewer" else (version.submission.unit if as_whom == "head" else None)
    comment = PackageComment(version=version, kind=COMMENT_KINDS[as_whom], anchor=anchor, anchor_label=label[:300],
                             text=text, author=actor, author_unit=unit, created_at=timezone.now())
    _save(comment, actor)
    return comment
