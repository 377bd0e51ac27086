"""The one policy module: every permission decision of views, API and CLI is made here.

A role assignment covers the subtree of its unit (a supervision group's assignment covers
the subtrees of the group's assigned units). Scopes are sets of materialized-path prefixes,
so "may this user see X" is a prefix test and "what may this user see" is a few index ranges.
"""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from enum import StrEnum

from django.core.exceptions import PermissionDenied
from django.db.models import Q, prefetch_related_objects
from django.http import Http404

from huitoukan.access.models import (
    ADMIN_ROLES,
    Account,
    AccountKind,
    Role,
    RoleAssignment,
    kind_may_hold,
)
from huitoukan.core import sql
from huitoukan.core.paths import ancestor_paths, path_range_q


class Perm(StrEnum):
    UNIT_VIEW = "unit.view"
    UNIT_MANAGE = "unit.manage"
    PERSON_VIEW = "person.view"
    PERSON_MANAGE = "person.manage"
    GROUP_VIEW = "group.view"
    GROUP_MANAGE = "group.manage"
    ROLE_VIEW = "role.view"
    ROLE_GRANT = "role.grant"
    CAMPAIGN_VIEW = "campaign.view"
    CAMPAIGN_MANAGE = "campaign.manage"
    HISTORY_VIEW = "history.view"
    AUDIT_VIEW = "audit.view"
    ACCOUNT_UNLOCK = "account.unlock"  # lift a login lockout (`huitoukan unlock`)
    SECOND_FACTOR_RESET = "second_factor.reset"  # delete a login's TOTP device and recovery codes
    SECURITY_POLICY = "security.policy"  # read and change the security policy (huitoukan.security)
    SESSION_END = "session.end"  # list the open sessions of the logins in scope and end one
    ACCOUNT_STALE_VIEW = "account.stale_view"  # list the logins disabled for going unused
    ACCOUNT_VIEW = "account.view"  # list the business logins of a part of the tree
    ACCOUNT_MANAGE = "account.manage"  # create, disable, enable a business login; reset its password
    WORK_VIEW = "work.view"  # business data: ledgers, items, reports
    LEDGER_EDIT = "ledger.edit"  # add and edit items, write progress on a leader's behalf, import
    CLOSE_VERIFY = "close.verify"  # verify or return a closing (销号) request
    ITEM_REOPEN = "item.reopen"  # send an item back (回炉) or reopen it as relapsed (反弹)
    # 报送 and 逐级审阅 (huitoukan.reviews). Building, approving and submitting a unit's package are its
    # own office's and head's, held at the unit itself (`holds_at`), never over it from above.
    PACKAGE_SUBMIT = "package.submit"  # build a unit's package, submit it up, withdraw it
    PACKAGE_APPROVE = "package.approve"  # the unit head's 审核把关 before submission
    PACKAGE_AUDIT = "package.audit"  # the supervision group's 审核把关 and its 督导意见
    PACKAGE_REVIEW = "package.review"  # approve or return a package at a unit of the review chain
    # 督查督办 (huitoukan.supervision): order an inspection of the units in scope; record what an inspection
    # finds (a team member, or the ordering office); answer a finding (the inspected unit's own office).
    INSPECTION_ORDER = "inspection.order"
    INSPECTION_RECORD = "inspection.record"
    FINDING_ANSWER = "finding.answer"
    # 督办通知单 (huitoukan.notices): issue a notice to a unit in scope, close or return its answer; answer a
    # notice (the addressed unit's own office, held at the unit itself).
    NOTICE_ISSUE = "notice.issue"
    NOTICE_ANSWER = "notice.answer"
    # 分析研判 and 评估验收 (huitoukan.assessments): score a unit against a checklist (office, supervision
    # group); accept or fail a unit's special-rectification task (an office above the unit, never its own).
    ASSESSMENT_SCORE = "assessment.score"
    ACCEPTANCE_DECIDE = "acceptance.decide"
    # 开门整改 (huitoukan.publicity): choose, preview, publish and withdraw what the public site shows, keep the
    # 公开承诺 and 通报 (the office); read the public's opinions and reports and their contact details (the
    # office and discipline staff: a report may name the unit's own leaders); answer, re-route, turn into a
    # ledger item or refer to discipline (the office); set up surveys, hand out their tokens (the office).
    PUBLICITY_MANAGE = "publicity.manage"
    OPINION_VIEW = "opinion.view"
    OPINION_HANDLE = "opinion.handle"
    # Decrypt a sender's contact details: discipline staff over the unit; besides them only the handling unit's
    # own office, held at the unit itself (publicity.opinion_selectors.may_reveal_contact), never the offices
    # above: a report may be about the leaders those offices answer to.
    OPINION_CONTACT = "opinion.contact"
    SURVEY_MANAGE = "survey.manage"
    # 责任追究 and 年度考核 (huitoukan.accountability): cases, their actions and documents, 述职评议考核 results and
    # 表扬 are recorded by discipline / organisation staff; read by them and by the unit heads over the unit (the
    # person's unit head and above). 纪实评价 is kept by the supervision groups and read by the 组织部 (discipline).
    ACCOUNTABILITY_VIEW = "accountability.view"
    ACCOUNTABILITY_RECORD = "accountability.record"
    EVALUATION_VIEW = "evaluation.view"
    EVALUATION_KEEP = "evaluation.keep"
    # 公文 (huitoukan.documents): draft, edit, number and issue a 通报, 简报 or 情况报告 (the office).
    DOCUMENT_DRAFT = "document.draft"


P = Perm

# How a right reads in the security log and in messages.
PERM_LABELS: dict[str, str] = {
    Perm.UNIT_VIEW: "查看单位", Perm.UNIT_MANAGE: "管理单位", Perm.PERSON_VIEW: "查看人员", Perm.PERSON_MANAGE: "管理人员",
    Perm.GROUP_VIEW: "查看督导组", Perm.GROUP_MANAGE: "管理督导组", Perm.ROLE_VIEW: "查看角色授权",
    Perm.ROLE_GRANT: "授予角色", Perm.CAMPAIGN_VIEW: "查看活动", Perm.CAMPAIGN_MANAGE: "管理活动",
    Perm.HISTORY_VIEW: "查看变更历史", Perm.AUDIT_VIEW: "查看安全日志", Perm.WORK_VIEW: "查看台账和事项",
    Perm.LEDGER_EDIT: "编辑台账", Perm.CLOSE_VERIFY: "核验销号", Perm.ITEM_REOPEN: "回炉或反弹",
    Perm.ACCOUNT_UNLOCK: "解除登录锁定", Perm.SECOND_FACTOR_RESET: "重置二次验证",
    Perm.SECURITY_POLICY: "管理安全策略", Perm.SESSION_END: "结束会话", Perm.ACCOUNT_STALE_VIEW: "查看闲置停用账号",
    Perm.ACCOUNT_VIEW: "查看账号", Perm.ACCOUNT_MANAGE: "管理账号",
    Perm.PACKAGE_SUBMIT: "报送材料", Perm.PACKAGE_APPROVE: "审核报送材料", Perm.PACKAGE_AUDIT: "督导组审核报送材料",
    Perm.PACKAGE_REVIEW: "审阅下级报送材料",
    Perm.INSPECTION_ORDER: "安排督查", Perm.INSPECTION_RECORD: "记录督查情况", Perm.FINDING_ANSWER: "答复督查发现的问题",
    Perm.NOTICE_ISSUE: "下发督办通知单", Perm.NOTICE_ANSWER: "答复督办通知单", Perm.ASSESSMENT_SCORE: "分析研判评分",
    Perm.ACCEPTANCE_DECIDE: "评估验收", Perm.PUBLICITY_MANAGE: "管理公开内容", Perm.OPINION_VIEW: "查看群众意见",
    Perm.OPINION_HANDLE: "办理群众意见", Perm.OPINION_CONTACT: "查看群众联系方式", Perm.SURVEY_MANAGE: "管理评议调查",
    Perm.ACCOUNTABILITY_VIEW: "查看责任追究和考核", Perm.ACCOUNTABILITY_RECORD: "登记责任追究和考核",
    Perm.EVALUATION_VIEW: "查看纪实评价", Perm.EVALUATION_KEEP: "记录纪实评价", Perm.DOCUMENT_DRAFT: "起草公文",
}
_BUSINESS_READ = {P.UNIT_VIEW, P.PERSON_VIEW, P.GROUP_VIEW, P.CAMPAIGN_VIEW, P.WORK_VIEW}

ROLE_PERMISSIONS: dict[str, frozenset[Perm]] = {
    # The 活动办 also keeps the people of its part of the tree: a new lead leader must not wait for an administrator.
    Role.CAMPAIGN_OFFICE: frozenset(
        _BUSINESS_READ
        | {P.CAMPAIGN_MANAGE, P.HISTORY_VIEW, P.ROLE_VIEW, P.LEDGER_EDIT, P.CLOSE_VERIFY, P.ITEM_REOPEN,
           P.PERSON_MANAGE, P.PACKAGE_SUBMIT, P.PACKAGE_REVIEW, P.INSPECTION_ORDER, P.INSPECTION_RECORD,
           P.FINDING_ANSWER, P.NOTICE_ISSUE, P.NOTICE_ANSWER, P.ASSESSMENT_SCORE, P.ACCEPTANCE_DECIDE,
           P.PUBLICITY_MANAGE, P.OPINION_VIEW, P.OPINION_HANDLE, P.SURVEY_MANAGE, P.DOCUMENT_DRAFT}
    ),
    Role.UNIT_FILLER: frozenset(_BUSINESS_READ | {P.LEDGER_EDIT}),
    Role.RESPONSIBLE_LEADER: frozenset(_BUSINESS_READ),
    Role.UNIT_HEAD: frozenset(_BUSINESS_READ | {P.HISTORY_VIEW, P.ROLE_VIEW, P.CLOSE_VERIFY, P.ITEM_REOPEN,
                                                P.PACKAGE_APPROVE, P.ACCOUNTABILITY_VIEW}),
    Role.SUPERVISOR: frozenset(_BUSINESS_READ | {P.HISTORY_VIEW, P.ITEM_REOPEN, P.PACKAGE_AUDIT,
                                                 P.INSPECTION_RECORD, P.ASSESSMENT_SCORE, P.NOTICE_ISSUE,
                                                 P.EVALUATION_VIEW, P.EVALUATION_KEEP}),
    Role.DISCIPLINE: frozenset(_BUSINESS_READ | {P.HISTORY_VIEW, P.OPINION_VIEW, P.OPINION_CONTACT,
                                                 P.ACCOUNTABILITY_VIEW, P.ACCOUNTABILITY_RECORD, P.EVALUATION_VIEW}),
    # The 三员: structure, grants and the log, but never business data (no WORK_VIEW).
    Role.SYSTEM_ADMIN: frozenset(
        {P.UNIT_VIEW, P.UNIT_MANAGE, P.PERSON_VIEW, P.PERSON_MANAGE, P.GROUP_VIEW, P.GROUP_MANAGE, P.HISTORY_VIEW,
         P.ACCOUNT_STALE_VIEW, P.ACCOUNT_VIEW, P.ACCOUNT_MANAGE}
    ),
    Role.SECURITY_ADMIN: frozenset(
        {P.UNIT_VIEW, P.PERSON_VIEW, P.GROUP_VIEW, P.ROLE_VIEW, P.ROLE_GRANT, P.HISTORY_VIEW, P.ACCOUNT_UNLOCK,
         P.SECOND_FACTOR_RESET, P.SECURITY_POLICY, P.SESSION_END}
    ),
    Role.AUDIT_ADMIN: frozenset({P.AUDIT_VIEW}),
}

# Roles a security administrator may grant: the business roles. The three administrator roles are
# set from the command line only (`policy.operating`), and only on administrator logins of their
# kind (access.models.Account): the grantor cannot widen their own power, choose who audits them,
# nor turn an administrator's login into a business one.
GRANTABLE_ROLES = frozenset(Role) - ADMIN_ROLES

# The read right behind each write right. A refusal of a write answers 403 to a reader who may
# see the object (in scope, no right) and 404 to everybody else, the same answer as for an absent object.
READ_OF: dict[Perm, Perm] = {
    P.UNIT_MANAGE: P.UNIT_VIEW,
    P.PERSON_MANAGE: P.PERSON_VIEW,
    P.GROUP_MANAGE: P.GROUP_VIEW,
    P.ROLE_GRANT: P.ROLE_VIEW,
    P.CAMPAIGN_MANAGE: P.CAMPAIGN_VIEW,
    P.LEDGER_EDIT: P.WORK_VIEW,
    P.CLOSE_VERIFY: P.WORK_VIEW,
    P.ITEM_REOPEN: P.WORK_VIEW,
    P.ACCOUNT_MANAGE: P.ACCOUNT_VIEW,
    P.PACKAGE_SUBMIT: P.WORK_VIEW,
    P.PACKAGE_APPROVE: P.WORK_VIEW,
    P.PACKAGE_AUDIT: P.WORK_VIEW,
    P.PACKAGE_REVIEW: P.WORK_VIEW,
    P.INSPECTION_ORDER: P.WORK_VIEW,
    P.INSPECTION_RECORD: P.WORK_VIEW,
    P.FINDING_ANSWER: P.WORK_VIEW,
    P.NOTICE_ISSUE: P.WORK_VIEW,
    P.NOTICE_ANSWER: P.WORK_VIEW,
    P.ASSESSMENT_SCORE: P.WORK_VIEW,
    P.ACCEPTANCE_DECIDE: P.WORK_VIEW,
    P.PUBLICITY_MANAGE: P.WORK_VIEW,
    P.OPINION_HANDLE: P.OPINION_VIEW,
    P.OPINION_CONTACT: P.OPINION_VIEW,
    P.SURVEY_MANAGE: P.WORK_VIEW,
    P.ACCOUNTABILITY_RECORD: P.ACCOUNTABILITY_VIEW,
    P.EVALUATION_KEEP: P.EVALUATION_VIEW,
    P.DOCUMENT_DRAFT: P.WORK_VIEW,
}

# Audit reading is not tied to a part of the tree.
GLOBAL_PERMISSIONS = frozenset({P.AUDIT_VIEW, P.SECURITY_POLICY})

# The server operator: a login running a command on the server with the operator's authority
# (`operating(user)`, set by the command line only: no request ever sets it). It holds the tree's
# structure and the grants everywhere, top units included (what the 系统管理员 and the 安全管理员
# hold, and the grant of those two), never business data; it acts as no person. The history and
# the security log name the login.
OPERATOR_PERMISSIONS = ROLE_PERMISSIONS[Role.SYSTEM_ADMIN] | ROLE_PERMISSIONS[Role.SECURITY_ADMIN]
_operator_pk: ContextVar[int | None] = ContextVar("huitoukan_operator", default=None)


@contextmanager
def operating(user):
    """Run the block with `user` holding the server operator's authority."""
    token = _operator_pk.set(user.pk)
    forget(user)
    try:
        yield user
    finally:
        _operator_pk.reset(token)
        forget(user)


def is_operator(user) -> bool:
    pk = _operator_pk.get()
    return pk is not None and getattr(user, "pk", None) == pk


def _collapse(prefixes: set[str]) -> tuple[str, ...]:
    """Drop prefixes already covered by a shorter one."""
    kept: list[str] = []
    for p in sorted(prefixes):
        if not kept or not p.startswith(kept[-1]):
            kept.append(p)
    return tuple(kept)


@dataclass(frozen=True)
class Scope:
    """The path prefixes a permission covers for one user; `everywhere` for global rights."""

    prefixes: tuple[str, ...] = ()
    everywhere: bool = False

    def __bool__(self) -> bool:
        return self.everywhere or bool(self.prefixes)

    def covers_path(self, path: str) -> bool:
        return self.everywhere or any(path.startswith(p) for p in self.prefixes)

    def q(self, field: str = "path") -> Q:
        if self.everywhere:
            return Q()
        if not self.prefixes:
            return Q(pk__in=[])
        q = Q()
        for p in self.prefixes:
            q |= path_range_q(p, field)
        return q


def _assignments(user) -> list[RoleAssignment]:
    cached = getattr(user, "_huitoukan_assignments", None)
    if cached is None:
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            cached = []
        else:
            cached = _assignments_read(user)
        user._huitoukan_assignments = cached
    return cached


def _assignments_read(user) -> list[RoleAssignment]:
    """The user's grants with their unit, supervision group and person, and the login's own person:
    one query on every page, so written once as SQL (core.sql) rather than compiled anew each time.

    The own person is a subquery on the unique Person.user (an index lookup), not a join: SQLite's
    ANALYZE counts the NULLs of that sparse column as one value, and a join on it then scans every
    person (core.statistics)."""
    person_model = _person_model(user)
    unit_model = RoleAssignment._meta.get_field("unit").related_model
    group_model = RoleAssignment._meta.get_field("supervision_group").related_model
    people = person_model._meta.db_table
    rows = sql.fetch(
        f"SELECT {sql.columns(RoleAssignment, 'ra')}, {sql.columns(unit_model, 'u')}, "
        f"{sql.columns(group_model, 'g')}, {sql.columns(person_model, 'p')}, "
        f'(SELECT acc."kind" FROM {Account._meta.db_table} acc WHERE acc."user_id" = %s), '
        f'(SELECT own."id" FROM {people} own WHERE own."user_id" = %s), '
        f'(SELECT own."name" FROM {people} own WHERE own."user_id" = %s) '
        f"FROM {RoleAssignment._meta.db_table} ra "
        f'INNER JOIN {unit_model._meta.db_table} u ON u."id" = ra."unit_id" '
        f'LEFT OUTER JOIN {group_model._meta.db_table} g ON g."id" = ra."supervision_group_id" '
        f'LEFT OUTER JOIN {people} p ON p."id" = ra."person_id" '
        f'WHERE ra."user_id" = %s ORDER BY ra."id"',
        [user.pk, user.pk, user.pk, user.pk])
    assignments = []
    kind = (rows[0][-3] if rows else None) or AccountKind.BUSINESS
    for row in rows:
        assignment = sql.instance(RoleAssignment, row)
        # Defence in depth: a grant the login's kind may not hold (services never write one) gives
        # nothing, so an administrator's login never reads business data, whatever rows exist.
        if not kind_may_hold(kind, assignment.role):
            continue
        at = sql.width(RoleAssignment)
        assignment.unit = sql.instance(unit_model, row, at)
        at += sql.width(unit_model)
        assignment.supervision_group = sql.instance(group_model, row, at)
        at += sql.width(group_model)
        assignment.person = sql.instance(person_model, row, at)
        assignments.append(assignment)
    if rows:
        user._huitoukan_kind = kind
        own_id, own_name = rows[0][-2:]
        user._huitoukan_person = ActingPerson(pk=own_id, name=own_name) if own_id else None
    groups = [a for a in assignments if a.supervision_group is not None]
    if groups:
        prefetch_related_objects(groups, "supervision_group__assigned_units")
    return assignments


def account_kind(user) -> str:
    """The login's kind (access.models.AccountKind); a login without an Account row is a business one."""
    if not getattr(user, "is_authenticated", False):
        return AccountKind.BUSINESS
    _assignments(user)
    if not hasattr(user, "_huitoukan_kind"):
        found = Account.objects.filter(user_id=user.pk).values_list("kind", flat=True).first()
        user._huitoukan_kind = found or AccountKind.BUSINESS
    return user._huitoukan_kind


def is_admin_account(user) -> bool:
    return account_kind(user) != AccountKind.BUSINESS


def assignments_of(user) -> list[RoleAssignment]:
    """The user's role grants (with their unit, supervision group and person), read once per request."""
    return list(_assignments(user))


@dataclass(frozen=True)
class ActingPerson:
    """The person a login is (orgs.Person with that user): what the policy and the header need of it."""

    pk: int
    name: str


def _person_model(user):
    # Through the reverse side of orgs.Person.user: the policy sits below orgs and imports none of it.
    return user._meta.get_field("person").related_model


def own_person(user) -> ActingPerson | None:
    """The person this login is, or None; read once per request (with the grants when there are any) for
    persons_of and the header alike."""
    if not getattr(user, "is_authenticated", False):
        return None
    _assignments(user)
    if not hasattr(user, "_huitoukan_person"):
        row = _person_model(user).objects.filter(user_id=user.pk).values_list("pk", "name").first()
        user._huitoukan_person = ActingPerson(*row) if row else None
    return user._huitoukan_person


def persons_of(user) -> set[int]:
    """Ids of the people this login acts as: its own person, and those named in its role grants."""
    if not getattr(user, "is_authenticated", False):
        return set()
    # 三员 never act as a leader: an administrator's login reads no ledger through a person link,
    # not even once its administrator role is revoked.
    if roles_of(user) & ADMIN_ROLES or is_operator(user) or is_admin_account(user):
        return set()
    ids = {a.person_id for a in _assignments(user) if a.person_id}
    own = own_person(user)
    if own is not None:
        ids.add(own.pk)
    return ids


def forget(user) -> None:
    """Drop the per-request cache after the user's roles changed."""
    if hasattr(user, "_huitoukan_assignments"):
        del user._huitoukan_assignments
    for attr in ("_huitoukan_scopes", "_huitoukan_person", "_huitoukan_kind"):
        if hasattr(user, attr):
            delattr(user, attr)


def roles_of(user) -> set[str]:
    return {a.role for a in _assignments(user)}


def _assignment_prefixes(assignment: RoleAssignment) -> set[str]:
    if assignment.role == Role.SUPERVISOR and assignment.supervision_group_id:
        group = assignment.supervision_group
        if not group.is_active:
            return set()
        return {u.path for u in group.assigned_units.all()}
    return {assignment.unit.path}


def scope(user, perm: Perm) -> Scope:
    cache = getattr(user, "_huitoukan_scopes", None)
    if cache is None:
        cache = {}
        user._huitoukan_scopes = cache
    if perm in cache:
        return cache[perm]
    prefixes: set[str] = set()
    everywhere = is_operator(user) and perm in OPERATOR_PERMISSIONS
    for a in _assignments(user):
        if perm in ROLE_PERMISSIONS.get(a.role, ()):
            if perm in GLOBAL_PERMISSIONS:
                everywhere = True
            else:
                prefixes |= _assignment_prefixes(a)
    result = Scope(prefixes=_collapse(prefixes), everywhere=everywhere)
    cache[perm] = result
    return result


def holds_at(user, perm: Perm, unit) -> bool:
    """Does `user` hold `perm` through a grant at `unit` itself (not over it from a unit above)? A unit's own
    office submits its package and its own head approves it; a supervision group's grant is never "at" a unit."""
    if unit is None:
        return False
    return any(a.unit_id == unit.pk and a.role != Role.SUPERVISOR and perm in ROLE_PERMISSIONS.get(a.role, ())
               for a in _assignments(user))


def units_holding(user, perm: Perm) -> set[int]:
    """Ids of the units where `user` holds `perm` through a grant at the unit itself (as `holds_at`)."""
    return {a.unit_id for a in _assignments(user)
            if a.role != Role.SUPERVISOR and perm in ROLE_PERMISSIONS.get(a.role, ())}


def units_held(user) -> set[int]:
    """Ids of the units where the user holds any grant (a supervision group's grant holds its dispatching unit)."""
    return {a.unit_id for a in _assignments(user)}


def has_perm_somewhere(user, perm: Perm) -> bool:
    return bool(scope(user, perm))


def can(user, perm: Perm, unit) -> bool:
    """May `user` exercise `perm` on `unit` (and so on objects belonging to it)?"""
    if unit is None:  # a global right, or a new top unit (the operator's alone)
        return (perm in GLOBAL_PERMISSIONS or perm == P.UNIT_MANAGE) and scope(user, perm).everywhere
    return scope(user, perm).covers_path(unit.path)


class Refusal:
    """What every refusal carries for the security log: the right asked for and where."""

    perm: Perm
    unit: object


class Denied(Refusal, Http404):
    """Out of scope: it answers 404 like an absent object; the security log records it."""

    def __init__(self, perm: Perm, unit=None):
        self.perm = perm
        self.unit = unit
        super().__init__("不存在或不在权限范围内")


class Forbidden(Refusal, PermissionDenied):
    """In scope, but without the right to act: 403. The reader already sees the object exists.

    `code` names the rule that refused (an app's error-code enum, its value the Chinese message).
    """

    def __init__(self, perm: Perm, unit=None, code=None):
        self.perm = perm
        self.unit = unit
        self.code = code
        self.message = str(code.value) if code is not None else "无权进行此操作"
        super().__init__(self.message)


def refusal(user, perm: Perm, unit, code=None) -> Refusal:
    """The refusal of `perm` on `unit`: 403 to whoever may read the unit's objects, else 404."""
    read = READ_OF.get(perm, perm)
    if unit is not None and read != perm and can(user, read, unit):
        return Forbidden(perm, unit, code)
    return Denied(perm, unit)


def require(user, perm: Perm, unit) -> None:
    """Refuse with 404 when `unit` is out of the user's reading scope, else with 403."""
    if not can(user, perm, unit):
        raise refusal(user, perm, unit)


def require_somewhere(user, perm: Perm) -> None:
    """For pages not about one object: 403 to a reader of the area without the right, else 404."""
    if not has_perm_somewhere(user, perm):
        read = READ_OF.get(perm, perm)
        raise Forbidden(perm) if read != perm and has_perm_somewhere(user, read) else Denied(perm)


def require_over_login(user, perm: Perm, held_units) -> None:
    """May `user` act with `perm` on a login (unlock it, end its session)? The right over every unit where
    the login holds a role (a county's 安全管理员 cannot reach the city's logins), or the right somewhere
    for a login without a role."""
    for unit in held_units:
        require(user, perm, unit)
    if not held_units:
        require_somewhere(user, perm)


def over_login(user, perm: Perm, held_units) -> bool:
    """`require_over_login` as a yes or no, for lists."""
    try:
        require_over_login(user, perm, held_units)
    except (Denied, Forbidden):
        return False
    return True


def units_q(user, perm: Perm, field: str = "path") -> Q:
    """Filter for models whose unit path is at `field` (e.g. "unit__path")."""
    return scope(user, perm).q(field)


def require_account(user, perm: Perm, account: Account, grant_units=()) -> None:
    """May `user` exercise `perm` (ACCOUNT_VIEW or ACCOUNT_MANAGE) on the login `account`?

    A business login is managed by whoever holds the right over its unit and over every unit where it
    holds a role (a county's 系统管理员 cannot take over a login that works at the city). The 三员's
    logins, and logins of no unit, are managed from the command line only (the server operator).
    Refused: 404 to whoever cannot see the login, else 403.
    """
    if is_operator(user):
        return
    if account.kind != AccountKind.BUSINESS or account.unit_id is None:
        raise Denied(perm)
    for unit in (account.unit, *grant_units):
        if not can(user, perm, unit):
            read = READ_OF.get(perm, perm)
            seen = read != perm and all(can(user, read, u) for u in (account.unit, *grant_units))
            raise Forbidden(perm, unit) if seen else Denied(perm, unit)


def users_who_can(perm: Perm, unit):
    """Who may act on `unit` with `perm`: the people to notify (Wagtail's 'who may act')."""
    from django.contrib.auth import get_user_model

    roles = [r for r, perms in ROLE_PERMISSIONS.items() if perm in perms]
    ancestors = ancestor_paths(unit.path, include_self=True)
    direct = RoleAssignment.objects.filter(role__in=roles, unit__path__in=ancestors).exclude(role=Role.SUPERVISOR)
    supervised = RoleAssignment.objects.filter(
        role__in=[r for r in roles if r == Role.SUPERVISOR],
        supervision_group__is_active=True,
        supervision_group__assigned_units__path__in=ancestors,
    )
    user_ids = direct.values("user_id").union(supervised.values("user_id"))
    return get_user_model().objects.filter(is_active=True, pk__in=[row["user_id"] for row in user_ids])
