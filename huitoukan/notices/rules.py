"""Who may do what with 督办通知单: every decision through huitoukan.access.policy.

- Read: whoever reads the addressed unit's business data (`work.view`); the issuing unit is above it, so its
  office, head and groups read it too.
- Issue: `notice.issue` over the addressed unit. A 活动办 login issues in the name of the unit of its grant (a
  unit above the addressed one); a 督导组 member in the name of the group's dispatching unit.
- Return and close (the issuing side): `notice.issue` over the issuing unit (its office, or an office above
  it), or a member of an active group the issuing unit dispatched whose assigned units cover the addressed unit.
- Answer: the addressed unit's own office (`notice.answer` held at the unit itself).
- The 发文设置 of a unit: its own office (`notice.issue` held at the unit itself).

A refusal answers 404 to whoever cannot read the notice (as for an absent one) and 403 to a reader.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q

from huitoukan.access import policy
from huitoukan.access.models import Role
from huitoukan.access.policy import Perm
from huitoukan.core.paths import path_range_q
from huitoukan.notices.errors import NoticeErrorCode
from huitoukan.notices.models import Notice


@dataclass(frozen=True)
class IssuingAs:
    """In whose name a login issues to a unit: the unit, and the group when through a group's grant."""

    unit: object
    group: object = None


def _group_covers(group, unit) -> bool:
    return group is not None and group.is_active and any(
        unit.path.startswith(u.path) for u in group.assigned_units.all())


def _issues_by_role(role) -> bool:
    return Perm.NOTICE_ISSUE in policy.ROLE_PERMISSIONS.get(role, ())


def issuing_as(user, addressed_unit) -> list[IssuingAs]:
    """The names `user` may issue a notice to `addressed_unit` in, nearest unit first: the units of its office
    grants above the addressed unit, and the dispatching units of its groups covering it."""
    if not policy.can(user, Perm.NOTICE_ISSUE, addressed_unit):
        return []
    found: dict[tuple[int, int | None], IssuingAs] = {}
    for a in policy.assignments_of(user):
        if not _issues_by_role(a.role):
            continue
        if a.role == Role.SUPERVISOR:
            group = a.supervision_group
            if _group_covers(group, addressed_unit):
                found.setdefault((group.dispatched_by_id, group.pk), IssuingAs(group.dispatched_by, group))
        elif addressed_unit.path.startswith(a.unit.path) and a.unit_id != addressed_unit.pk:
            found.setdefault((a.unit_id, None), IssuingAs(a.unit))
    return sorted(found.values(), key=lambda i: (i.group is not None, -len(i.unit.path), i.unit.pk))


def may_issue_to(user, addressed_unit) -> bool:
    return policy.can(user, Perm.NOTICE_ISSUE, addressed_unit)


def may_read(user, notice: Notice) -> bool:
    return policy.can(user, Perm.WORK_VIEW, notice.addressed_unit)


def notices_q(user) -> Q:
    """The notices `user` may read, as a filter."""
    return policy.units_q(user, Perm.WORK_VIEW, "addressed_unit__path")


def issuing_side(user, notice: Notice) -> bool:
    """The issuing unit's office (or one above it), or a member of a group it dispatched over the unit."""
    if policy.can(user, Perm.NOTICE_ISSUE, notice.issuing_unit):
        return True
    return any(a.role == Role.SUPERVISOR and _issues_by_role(a.role) and a.supervision_group is not None
               and a.supervision_group.dispatched_by_id == notice.issuing_unit_id
               and _group_covers(a.supervision_group, notice.addressed_unit)
               for a in policy.assignments_of(user))


def issuing_side_q(user) -> Q:
    """`issuing_side` as a filter (the 我下发的 tab)."""
    q = policy.units_q(user, Perm.NOTICE_ISSUE, "issuing_unit__path")
    for a in policy.assignments_of(user):
        group = a.supervision_group
        if a.role == Role.SUPERVISOR and _issues_by_role(a.role) and group is not None and group.is_active:
            covered = Q(pk__in=[])
            for unit in group.assigned_units.all():
                covered |= path_range_q(unit.path, "addressed_unit__path")
            q |= Q(issuing_unit_id=group.dispatched_by_id) & covered
    return q


def answers(user, notice: Notice) -> bool:
    return policy.holds_at(user, Perm.NOTICE_ANSWER, notice.addressed_unit)


def _refuse(user, notice: Notice, perm: Perm, code):
    if may_read(user, notice):
        return policy.Forbidden(perm, notice.addressed_unit, code)
    return policy.Denied(perm, notice.addressed_unit)


def side_refusal(user, notice: Notice):
    """Returning and closing: the issuing side's."""
    return None if issuing_side(user, notice) else _refuse(user, notice, Perm.NOTICE_ISSUE, NoticeErrorCode.NOT_ISSUER)


def answer_refusal(user, notice: Notice):
    """The addressed unit's own office answers (a grant at the unit itself, not over it from above)."""
    return None if answers(user, notice) else _refuse(user, notice, Perm.NOTICE_ANSWER,
                                                      NoticeErrorCode.NOT_THE_OFFICE)


def issue_refusal(user, addressed_unit):
    """Issuing to `addressed_unit`: 403 to a reader of the unit without the right, 404 to anybody else."""
    if may_issue_to(user, addressed_unit):
        return None
    return policy.refusal(user, Perm.NOTICE_ISSUE, addressed_unit, NoticeErrorCode.NOT_ISSUER)


def office_refusal(user, unit):
    """The unit's own office keeps its 发文设置."""
    if policy.holds_at(user, Perm.NOTICE_ISSUE, unit):
        return None
    return policy.refusal(user, Perm.NOTICE_ISSUE, unit, NoticeErrorCode.NOT_THE_OFFICE_OF_UNIT)


def raise_if(refused) -> None:
    if refused is not None:
        raise refused
