"""The 娄底市 demo: a realistic setting from seed 001, loaded through the services.

Idempotent: every object is looked up by its natural key first, so running it twice adds nothing.

The demo lives in the present: seed 001's calendar (the campaign, its phases, deadlines and the items'
dates) is shifted by whole days, keeping every length and order, so that today falls a few days into
督查核实 and the lights show a mix of on track, due soon and overdue. `as_of` keeps the seed's own
dates and takes that day as today (e.g. 2015-01-20, in 深化整改).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from huitoukan.access import policy
from huitoukan.access import services as access_services
from huitoukan.access.models import ADMIN_KIND_OF_ROLE, AccountKind, Role, RoleAssignment
from huitoukan.accountability.annual_demo import demo_annual
from huitoukan.accountability.case_demo import demo_cases
from huitoukan.accountability.models import ReportAppraisal
from huitoukan.accountability.passing_demo import demo_passing
from huitoukan.assessments import services as assessment_services
from huitoukan.assessments.demo import demo_assessments
from huitoukan.assessments.models import AcceptanceResult, Checklist
from huitoukan.campaigns import services as campaign_services
from huitoukan.campaigns.models import Campaign, PackagePart, ReminderRecipient, TargetRule
from huitoukan.campaigns.services import DeadlineSpec, PhaseSpec
from huitoukan.documents.demo import demo_documents
from huitoukan.formalism.demo import demo_formalism
from huitoukan.ledgers import services as ledger_services
from huitoukan.ledgers.catalogue import catalogue_load
from huitoukan.ledgers.layouts import LedgerKind
from huitoukan.ledgers.linkage_demo import demo_linkage
from huitoukan.ledgers.models import (
    OPEN_STATUSES,
    DeadlineMode,
    FourWinds,
    Handling,
    InstitutionAction,
    Item,
    ItemStatus,
    Ledger,
    ProblemLevel,
    Source,
    SpecialTask,
    TaskTier,
)
from huitoukan.notices import services as notice_services
from huitoukan.notices.demo import demo_notices
from huitoukan.notices.escalation import escalation_run_now
from huitoukan.orgs import services as org_services
from huitoukan.orgs.models import Batch, Person, SupervisionGroup, Unit, UnitKind, UnitLevel
from huitoukan.plans import services as plan_services
from huitoukan.plans.models import PlanKind
from huitoukan.publicity.demo import SURVEY_SAMPLES, demo_opinions, demo_publications, demo_survey
from huitoukan.publicity.models import Publication
from huitoukan.rechecks.demo import demo_rechecks
from huitoukan.reviews import services as review_services
from huitoukan.reviews.models import PackageAction, Submission
from huitoukan.supervision import services as supervision_services
from huitoukan.supervision import spotchecks
from huitoukan.supervision.models import Inspection, InspectionKind, Method, Severity

L, K = UnitLevel, UnitKind

# (name, level, kind, batch, children)
TREE = (
    "娄底市", L.CITY, K.PARTY_COMMITTEE, Batch.FIRST, [
        ("娄星区", L.COUNTY, K.PARTY_COMMITTEE, Batch.SECOND, [
            ("乐坪街道", L.TOWNSHIP, K.PARTY_COMMITTEE, Batch.SECOND, [
                ("月塘社区", L.VILLAGE, K.GRASSROOTS, Batch.SECOND, []),
                ("石井社区", L.VILLAGE, K.GRASSROOTS, Batch.SECOND, []),
            ]),
            ("杉山镇", L.TOWNSHIP, K.PARTY_COMMITTEE, Batch.SECOND, [
                ("杉山村", L.VILLAGE, K.GRASSROOTS, Batch.SECOND, []),
            ]),
        ]),
        ("冷水江市", L.COUNTY, K.PARTY_COMMITTEE, Batch.SECOND, [
            ("锡矿山街道", L.TOWNSHIP, K.PARTY_COMMITTEE, Batch.SECOND, [
                ("七里江社区", L.VILLAGE, K.GRASSROOTS, Batch.SECOND, []),
            ]),
            ("三尖镇", L.TOWNSHIP, K.PARTY_COMMITTEE, Batch.SECOND, [
                ("三尖村", L.VILLAGE, K.GRASSROOTS, Batch.SECOND, []),
            ]),
        ]),
        ("涟源市", L.COUNTY, K.PARTY_COMMITTEE, Batch.SECOND, [
            ("蓝田街道", L.TOWNSHIP, K.PARTY_COMMITTEE, Batch.SECOND, [
                ("光明社区", L.VILLAGE, K.GRASSROOTS, Batch.SECOND, []),
            ]),
            ("桥头河镇", L.TOWNSHIP, K.PARTY_COMMITTEE, Batch.SECOND, [
                ("桥头河村", L.VILLAGE, K.GRASSROOTS, Batch.SECOND, []),
                ("石狮村", L.VILLAGE, K.GRASSROOTS, Batch.SECOND, []),
            ]),
            ("杨市镇", L.TOWNSHIP, K.PARTY_COMMITTEE, Batch.SECOND, [
                ("杨市村", L.VILLAGE, K.GRASSROOTS, Batch.SECOND, []),
            ]),
            ("涟源市教育局", L.COUNTY, K.ORGAN, Batch.SECOND, []),
            ("涟源市政务服务中心", L.COUNTY, K.LAW_ENFORCEMENT, Batch.SECOND, []),
        ]),
        ("双峰县", L.COUNTY, K.PARTY_COMMITTEE, Batch.SECOND, [
            ("永丰街道", L.TOWNSHIP, K.PARTY_COMMITTEE, Batch.SECOND, [
                ("城南社区", L.VILLAGE, K.GRASSROOTS, Batch.SECOND, []),
            ]),
            ("荷叶镇", L.TOWNSHIP, K.PARTY_COMMITTEE, Batch.SECOND, [
                ("荷叶村", L.VILLAGE, K.GRASSROOTS, Batch.SECOND, []),
            ]),
        ]),
        ("新化县", L.COUNTY, K.PARTY_COMMITTEE, Batch.SECOND, [
            ("上梅街道", L.TOWNSHIP, K.PARTY_COMMITTEE, Batch.SECOND, [
                ("北塔社区", L.VILLAGE, K.GRASSROOTS, Batch.SECOND, []),
            ]),
            ("奉家镇", L.TOWNSHIP, K.PARTY_COMMITTEE, Batch.SECOND, [
                ("奉家村", L.VILLAGE, K.GRASSROOTS, Batch.SECOND, []),
            ]),
        ]),
        ("娄底经济技术开发区", L.COUNTY, K.PARTY_GROUP, Batch.SECOND, [
            ("湘阳街道", L.TOWNSHIP, K.PARTY_COMMITTEE, Batch.SECOND, []),
        ]),
        ("万宝新区", L.COUNTY, K.PARTY_GROUP, Batch.SECOND, [
            ("万宝镇", L.TOWNSHIP, K.PARTY_COMMITTEE, Batch.SECOND, []),
        ]),
        ("市教育局", L.CITY, K.ORGAN, Batch.FIRST, []),
        ("市人力资源和社会保障局", L.CITY, K.ORGAN, Batch.FIRST, []),
        ("市住房和城乡建设局", L.CITY, K.ORGAN, Batch.FIRST, []),
        ("市公安局", L.CITY, K.LAW_ENFORCEMENT, Batch.FIRST, []),
        ("市政务服务中心", L.CITY, K.LAW_ENFORCEMENT, Batch.FIRST, []),
        ("湖南人文科技学院", L.CITY, K.UNIVERSITY, Batch.FIRST, []),
        ("娄底市城市建设投资集团", L.CITY, K.STATE_ENTERPRISE, Batch.FIRST, []),
        ("娄底市个体私营企业协会", L.CITY, K.NON_PUBLIC, Batch.SECOND, []),
    ],
)

# (unit path, name, position, party leader, unit head)
PEOPLE = [
    ("娄底市", "李建国", "市委书记", True, True),
    ("娄底市", "王志强", "市委副书记、市长", True, False),
    ("娄底市", "陈明华", "市委常委、组织部长、市委教育实践活动办公室主任", True, False),
    ("娄底市", "刘卫东", "市委常委、市纪委书记", True, False),
    ("娄底市", "周晓燕", "市委教育实践活动办公室干部", False, False),
    ("娄底市", "谢国平", "市委第一督导组组长", True, False),
    ("娄底市", "邓志军", "市委第二督导组组长", True, False),
    ("娄底市", "曾立新", "市委第三督导组组长", True, False),
    ("娄底市/涟源市", "张卫国", "市委书记", True, True),
    ("娄底市/涟源市", "罗建华", "市委副书记、市长", True, False),
    ("娄底市/涟源市", "吴海波", "市委常委、组织部长", True, False),
    ("娄底市/涟源市", "梁小红", "市委教育实践活动办公室干部", False, False),
    ("娄底市/涟源市/桥头河镇", "彭光辉", "镇党委书记", True, True),
    ("娄底市/涟源市/桥头河镇", "胡春林", "镇长", True, False),
    ("娄底市/娄星区", "贺军", "区委书记", True, True),
    ("娄底市/冷水江市", "袁平", "市委书记", True, True),
    ("娄底市/双峰县", "肖勇", "县委书记", True, True),
    ("娄底市/新化县", "段文斌", "县委书记", True, True),
    ("娄底市/市教育局", "欧阳丽", "党组书记、局长", True, True),
    ("娄底市/市公安局", "谭志刚", "市公安局党委副书记、常务副局长", True, False),
]

GROUPS = [
    ("市委第一督导组", "谢国平", ["娄底市/娄星区", "娄底市/冷水江市", "娄底市/市教育局", "娄底市/湖南人文科技学院"]),
    ("市委第二督导组", "邓志军", ["娄底市/涟源市", "娄底市/双峰县", "娄底市/市公安局"]),
    ("市委第三督导组", "曾立新", ["娄底市/新化县", "娄底市/娄底经济技术开发区", "娄底市/万宝新区"]),
]


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: Role
    unit: str
    person: str = ""
    group: str = ""
    note: str = ""


LOGINS = [
    DemoLogin("loudi_office", Role.CAMPAIGN_OFFICE, "娄底市", note="市委活动办，看全市"),
    DemoLogin("lianyuan_office", Role.CAMPAIGN_OFFICE, "娄底市/涟源市", note="涟源市活动办，只看涟源市"),
    DemoLogin("lianyuan_filler", Role.UNIT_FILLER, "娄底市/涟源市", note="涟源市填报员"),
    DemoLogin("lianyuan_head", Role.UNIT_HEAD, "娄底市/涟源市", person="张卫国", note="涟源市主要负责同志"),
    DemoLogin("lianyuan_leader", Role.RESPONSIBLE_LEADER, "娄底市/涟源市", person="吴海波", note="涟源市责任领导"),
    DemoLogin("qiaotouhe_office", Role.CAMPAIGN_OFFICE, "娄底市/涟源市/桥头河镇", note="桥头河镇活动办"),
    DemoLogin("gongan_office", Role.CAMPAIGN_OFFICE, "娄底市/市公安局", note="市公安局活动办，认领涟源市提请牵头的事项"),
    DemoLogin("gongan_leader", Role.RESPONSIBLE_LEADER, "娄底市/市公安局", person="谭志刚",
              note="市公安局牵头领导，填报牵头事项进展"),
    DemoLogin("supervisor2", Role.SUPERVISOR, "娄底市", person="邓志军", group="市委第二督导组", note="督导涟源市、双峰县、市公安局"),
    DemoLogin("discipline", Role.DISCIPLINE, "娄底市", person="刘卫东", note="市纪委/组织部"),
    DemoLogin("sysadmin", Role.SYSTEM_ADMIN, "娄底市", note="系统管理员（三员）"),
    DemoLogin("secadmin", Role.SECURITY_ADMIN, "娄底市", note="安全管理员（三员）"),
    DemoLogin("auditor", Role.AUDIT_ADMIN, "娄底市", note="审计管理员（三员）"),
]

# The login the demo's structure is written as, with the server operator's authority (as the
# command line's `--as ops` would be); it holds no role, so on the web it sees nothing.
DEMO_OPERATOR = "ops"

CAMPAIGN_NAME = "娄底市党的群众路线教育实践活动整改落实情况“回头看”"
CAMPAIGN_BASIS = "娄群办通〔2015〕1号"

SEED_START = dt.date(2014, 12, 31)
# The seed's day that today stands for: the sixth day of 督查核实 (2015-01-07..16).
SEED_TODAY = dt.date(2015, 1, 12)

# Seed 001 三.3 信息备案: 各县市区、娄底经济技术开发区、万宝新区和市直机关各单位、省属驻娄高校、企业; not the
# 非公 association, and (direct subordinates only) no county's own bureau.
REPORTING_KINDS = [K.PARTY_COMMITTEE, K.PARTY_GROUP, K.ORGAN, K.LAW_ENFORCEMENT, K.UNIVERSITY, K.STATE_ENTERPRISE]


@dataclass(frozen=True)
class DemoCalendar:
    """The seed's dates moved by `offset`; `today` is the day the demo is set up for."""

    offset: dt.timedelta
    today: dt.date

    def day(self, seed_day: dt.date) -> dt.date:
        return seed_day + self.offset

    def reported(self, seed_day: dt.date) -> dt.date:
        """A day something was reported: never after today (progress is not written ahead)."""
        return min(self.day(seed_day), self.today)


def demo_calendar(as_of: dt.date | None = None) -> DemoCalendar:
    """Today inside 督查核实 (the seed's 2015-01-12 moved to today), or the seed's own dates as of `as_of`."""
    if as_of is not None:
        return DemoCalendar(dt.timedelta(0), as_of)
    today = timezone.localdate()
    return DemoCalendar(today - SEED_TODAY, today)


def _units(operator, node, parent: Unit | None, created: list[Unit]) -> None:
    name, level, kind, batch, children = node
    full_name = f"{parent.full_name}/{name}" if parent else name
    unit = Unit.objects.filter(full_name=full_name, abolished_on__isnull=True).first()
    if unit is None:
        unit = org_services.unit_create(
            actor=operator, parent=parent, name=name, level=level, kind=kind, batch=batch,
            established_on=dt.date(2013, 6, 18),
        )
        created.append(unit)
    for child in children:
        _units(operator, child, unit, created)


def _unit(path: str) -> Unit:
    return Unit.objects.get(full_name=path, abolished_on__isnull=True)


def _person(unit_path: str, name: str) -> Person:
    return Person.objects.get(unit__full_name=unit_path, name=name)


@dataclass
class DemoResult:
    units_created: int
    people_created: int
    users_created: int
    logins: list[DemoLogin]


def _user(username: str, *, actor=None, kind=AccountKind.BUSINESS, unit=None) -> tuple[object, bool]:
    """The login, made of its kind from the start (a 三员's login, or a business one of its unit)."""
    user = get_user_model().objects.filter(username=username).first()
    if user is not None:
        return user, False
    return access_services.account_create(actor=actor, username=username, kind=kind, unit=unit,
                                          password=settings.DEMO_PASSWORD), True


@transaction.atomic
def demo_load(*, as_of: dt.date | None = None) -> DemoResult:
    """The demo, written through the services by named logins, as real users would: the tree, people,
    groups and grants by the server operator (the login `ops`, as `import-units` and `grant-role`
    do), the campaign by the city's campaign office, the ledgers by 涟源市's office and its leader.
    Dated by demo_calendar(as_of); a campaign already loaded keeps its dates (a second run, on
    another day, adds nothing)."""
    calendar = demo_calendar(as_of)
    operator, operator_created = _user(DEMO_OPERATOR)  # made as on the command line
    users: dict = {}
    with policy.operating(operator):
        created_units, people_created, users_created = _structure(operator, users)
    users_created += operator_created
    catalogue_load()
    city = _unit("娄底市")
    if not Campaign.objects.filter(owner_unit=city, name=CAMPAIGN_NAME).exists():
        _campaign(users["loudi_office"], city, calendar)
    campaign = Campaign.objects.get(owner_unit=city, name=CAMPAIGN_NAME)
    if not Ledger.objects.filter(campaign=campaign).exists():
        # The items' dates move with the campaign as it was loaded (on an earlier run, perhaps).
        _ledgers(users["lianyuan_office"], users["lianyuan_leader"], campaign,
                 DemoCalendar(campaign.starts_on - SEED_START, calendar.today))
    if not Submission.objects.filter(deadline__campaign=campaign).exists():
        _reviews(users, campaign, calendar.today)
    if not Inspection.objects.filter(ordering_unit=city).exists():
        _supervision(users, calendar.today, campaign)
    if not Checklist.objects.filter(campaign=campaign).exists():
        _assessments(users, campaign, calendar.today)
    if not Publication.objects.filter(campaign=campaign).exists():
        demo_publications(office=users["lianyuan_office"], city_office=users["loudi_office"], campaign=campaign,
                          unit=_unit("娄底市/涟源市"), today=calendar.today)
        demo_opinions(office=users["lianyuan_office"], unit=_unit("娄底市/涟源市"), today=calendar.today)
        demo_survey(city_office=users["loudi_office"], campaign=campaign, today=calendar.today,
                    units={path: _unit(path) for path, *_n in SURVEY_SAMPLES})
    # 责任追究, 过关 and 年度考核: each is written once (a second run adds nothing).
    demo_cases(discipline=users["discipline"], office=users["lianyuan_office"], leader=users["lianyuan_leader"],
               head=users["lianyuan_head"], campaign=campaign, today=calendar.today)
    if not ReportAppraisal.objects.filter(campaign=campaign).exists():
        demo_passing(discipline=users["discipline"], campaign=campaign, unit=_unit("娄底市/涟源市/桥头河镇"),
                     today=calendar.today)
    demo_annual(discipline=users["discipline"], supervisor=users["supervisor2"], campaign=campaign,
                unit=_unit("娄底市/涟源市"), today=calendar.today, commended=_unit("娄底市/涟源市/桥头河镇"))
    demo_documents(city_office=users["loudi_office"], office=users["lianyuan_office"], campaign=campaign, city=city,
                   county=_unit("娄底市/涟源市"), today=calendar.today)
    # 回头看复查 (a round due, one confirmed) and 形式主义预警 (a copied problem, a reused photo): written once each.
    demo_rechecks(operator=operator, office=users["lianyuan_office"], leader=users["lianyuan_leader"],
                  head=users["lianyuan_head"], campaign=campaign, unit=_unit("娄底市/涟源市"), today=calendar.today)
    demo_formalism(office=users["lianyuan_office"], township_office=users["qiaotouhe_office"], campaign=campaign,
                   county=_unit("娄底市/涟源市"), township=_unit("娄底市/涟源市/桥头河镇"), today=calendar.today)
    # 上下联动: 市公安局 claims one of 涟源市's items (its leader writes progress), one 待认领 at 娄底市, one declined (once).
    demo_linkage(operator=operator, office=users["lianyuan_office"], campaign=campaign, today=calendar.today)
    return DemoResult(len(created_units), people_created, users_created, LOGINS)


# 行业系统 of the 主管部门 and the units of their systems (专项检查 by sector).
SECTORS = [("娄底市/市教育局", "教育"), ("娄底市/涟源市/涟源市教育局", "教育"), ("娄底市/市公安局", "公安"),
           ("娄底市/市人力资源和社会保障局", "人力资源和社会保障"), ("娄底市/市住房和城乡建设局", "住房和城乡建设")]


def _structure(operator, users: dict) -> tuple[list[Unit], int, int]:
    created_units: list[Unit] = []
    _units(operator, TREE, None, created_units)
    for path, sector in SECTORS:
        unit = _unit(path)
        if unit.sector != sector:
            org_services.unit_update(actor=operator, unit=unit, sector=sector)
    # The logins once their units exist, by the operator: a business login belongs to its unit.
    users_created = 0
    for login in LOGINS:
        kind = ADMIN_KIND_OF_ROLE.get(login.role, AccountKind.BUSINESS)
        home = _unit(login.unit) if kind == AccountKind.BUSINESS else None
        users[login.username], created = _user(login.username, actor=operator, kind=kind, unit=home)
        users_created += created

    people_created = 0
    for unit_path, name, position, party_leader, head in PEOPLE:
        unit = _unit(unit_path)
        if not Person.objects.filter(unit=unit, name=name).exists():
            org_services.person_create(
                actor=operator, unit=unit, name=name, position=position, is_party_leader=party_leader,
                is_unit_head=head,
            )
            people_created += 1

    city = _unit("娄底市")
    for group_name, leader_name, unit_paths in GROUPS:
        if not SupervisionGroup.objects.filter(dispatched_by=city, name=group_name).exists():
            org_services.supervision_group_create(
                actor=operator, dispatched_by=city, name=group_name,
                assigned_units=[_unit(p) for p in unit_paths], leader=_person("娄底市", leader_name),
            )

    for login in LOGINS:
        user = users[login.username]
        unit = _unit(login.unit)
        person = None
        if login.person:
            person = Person.objects.filter(name=login.person, unit=unit).first()
            if person is not None and person.user_id is None:
                org_services.person_update(actor=operator, person=person, user=user)
        group = SupervisionGroup.objects.get(dispatched_by=city, name=login.group) if login.group else None
        target_unit = group.dispatched_by if group else unit
        if not RoleAssignment.objects.filter(user=user, role=login.role, unit=target_unit, supervision_group=group).exists():
            access_services.role_grant(
                actor=operator, user=user, role=login.role, unit=unit, person=person, supervision_group=group,
            )
    return created_units, people_created, users_created


def _ledgers(office, leader, campaign: Campaign, calendar: DemoCalendar) -> None:
    """涟源市's four ledgers with items at every stage, written through the services: by the office, and by
    the leader 吴海波 for his own items (the office writes progress for 罗建华, who has no login: 代填).
    Dates are the seed calendar's, moved with the campaign's; as of the seed's 2015-01-12 one item is
    overdue, one due within days, the others on track."""
    lianyuan = _unit("娄底市/涟源市")
    head, mayor, organisation = (_person("娄底市/涟源市", n) for n in ("张卫国", "罗建华", "吴海波"))
    service_centre = _unit("娄底市/涟源市/涟源市政务服务中心")
    education = _unit("娄底市/涟源市/涟源市教育局")

    def D(year, month, day):  # noqa: N802 - reads as the seed's dates
        return calendar.day(dt.date(year, month, day))

    def R(year, month, day):  # noqa: N802
        return calendar.reported(dt.date(year, month, day))
    team = ledger_services.ledger_open(actor=office, campaign=campaign, unit=lianyuan, kind=LedgerKind.LEADERSHIP)
    meetings = ledger_services.item_create(
        actor=office, ledger=team, problem="文山会海问题仍然存在，会议多、文件多、简报多",
        measures="严格控制会议和发文数量，市级会议、文件各压缩30%以上，推行视频会议和合并套开",
        four_winds=FourWinds.FORMALISM, problem_level=ProblemLevel.WORK, handling=Handling.WITHIN_DEADLINE,
        source=Source.PUBLIC_OPINION, deadline_mode=DeadlineMode.DATE, due_on=D(2015, 3, 31),
        lead_leaders=[mayor], responsible_units=[lianyuan],
    )
    ledger_services.progress_add(actor=office, item=meetings, leader=mayor, reported_on=R(2015, 1, 10),
                                 progress="2014年全市性会议较上年减少38%，文件减少32%，简报减少45%。",
                                 next_steps="建立会议、文件年度计划管理制度，每季度通报执行情况。")
    window = ledger_services.item_create(
        actor=office, ledger=team, problem="窗口单位“门难进、脸难看、事难办”问题群众反映强烈",
        measures="推行首问负责、限时办结、一次性告知，审批事项进驻政务服务中心，办理时限压缩一半",
        four_winds=FourWinds.BUREAUCRATISM, problem_level=ProblemLevel.WORK, handling=Handling.NOW,
        source=Source.PUBLIC_OPINION, deadline_mode=DeadlineMode.IMMEDIATE,
        lead_leaders=[mayor, organisation], responsible_units=[service_centre],
    )
    ledger_services.progress_add(actor=leader, item=window, leader=organisation, reported_on=R(2015, 1, 12),
                                 progress="126项审批事项全部进驻政务服务中心，平均办理时限由12天压缩到5天。",
                                 next_steps="开展群众满意度测评，纳入年度考核。",
                                 status_after=ItemStatus.BASICALLY_DONE)
    ledger_services.item_create(
        actor=office, ledger=team, problem="公务接待超标准、陪餐人员多",
        measures="严格执行公务接待标准，实行接待公函制度和清单制度，每季度公开接待费支出",
        four_winds=FourWinds.EXTRAVAGANCE, problem_level=ProblemLevel.INSTITUTION, handling=Handling.NOW,
        source=Source.HIGHER_LEVEL, deadline_mode=DeadlineMode.LONG_TERM, review_on=D(2015, 6, 30),
        lead_leaders=[head], responsible_units=[lianyuan],
    )
    personal = ledger_services.ledger_open(actor=office, campaign=campaign, unit=lianyuan, kind=LedgerKind.PERSONAL,
                                           person=organisation)
    visits = ledger_services.item_create(
        actor=office, ledger=personal, problem="深入基层调研不够，到联系点次数少",
        measures="每月到联系乡镇调研不少于4天，每季度走访困难党员群众不少于10户",
        four_winds=FourWinds.BUREAUCRATISM, problem_level=ProblemLevel.THINKING, handling=Handling.WITHIN_DEADLINE,
        source=Source.CRITICISM, deadline_mode=DeadlineMode.DATE, due_on=D(2015, 2, 28),
    )
    ledger_services.progress_add(actor=leader, item=visits, leader=organisation, reported_on=R(2015, 1, 15),
                                 progress="1月份到桥头河镇、杨市镇调研5天，走访困难党员群众12户。",
                                 next_steps="春节前再走访困难群众10户。")
    special = ledger_services.ledger_open(actor=office, campaign=campaign, unit=lianyuan, kind=LedgerKind.SPECIAL)
    for name, target, due_on in (
        ("群众办事难", "清理规范审批事项，建立市、乡、村三级便民服务网络", D(2015, 3, 31)),
        ("干部“走读”", "乡镇干部工作日住乡住村，实行值班带班和去向公示制度", D(2015, 1, 10)),
    ):
        ledger_services.item_create(
            actor=office, ledger=special, problem=name, measures=target,
            special_task=SpecialTask.objects.get(tier=TaskTier.PROVINCE, name=name),
            deadline_mode=DeadlineMode.DATE, due_on=due_on, lead_leaders=[mayor],
            responsible_units=[service_centre if name == "群众办事难" else lianyuan],
        )
    rules = ledger_services.ledger_open(actor=office, campaign=campaign, unit=lianyuan, kind=LedgerKind.INSTITUTION)
    ledger_services.item_create(
        actor=office, ledger=rules, problem="涟源市公务接待管理办法", category="厉行节约",
        institution_action=InstitutionAction.REVISE, deadline_mode=DeadlineMode.DATE, due_on=D(2015, 1, 16),
        lead_leaders=[head], responsible_units=[lianyuan],
    )
    ledger_services.item_create(
        actor=office, ledger=rules, problem="教育系统收受“红包”礼金问责办法", category="正风肃纪",
        institution_action=InstitutionAction.ESTABLISH, deadline_mode=DeadlineMode.DATE, due_on=D(2015, 3, 31),
        lead_leaders=[organisation], responsible_units=[education],
    )


def _reviews(users: dict, campaign: Campaign, today: dt.date) -> None:
    """报送 and 逐级审阅 under way, through the services by the logins of the demo. 建立台账: 涟源市's package
    went up (its head approved, the 市委第二督导组 audited), came back from 娄底市 with comments on two rows,
    was mended and went up again as version 2, which 娄底市 approved; 桥头河镇's version 1 waits for its head.
    信息备案: 涟源市's package is built and waits for 张卫国 (lianyuan_head), with nothing yet from the others."""
    office, head, group, city = (users[name] for name in ("lianyuan_office", "lianyuan_head", "supervisor2",
                                                           "loudi_office"))
    lianyuan = _unit("娄底市/涟源市")
    ledgers_due = campaign.deadlines.get(name="建立台账并报上一级活动办")
    report_due = campaign.deadlines.get(name="“回头看”情况报告（信息备案）")
    A = PackageAction

    def up(version):
        review_services.package_act(actor=head, version=version, action=A.HEAD_APPROVE)
        review_services.package_act(actor=group, version=version, action=A.GROUP_AUDIT)
        return review_services.package_act(actor=office, version=version, action=A.SUBMIT)

    first = up(review_services.package_build(actor=office, deadline=ledgers_due, unit=lianyuan))
    items = list(Item.objects.filter(ledger__campaign=campaign, ledger__unit=lianyuan, status__in=OPEN_STATUSES,
                                     ledger__kind=LedgerKind.LEADERSHIP).order_by("seq")[:2])
    for item, text in zip(items, ("整改措施不够具体，请明确完成时限和责任人。", "请补充整改落实情况和佐证材料。"),
                          strict=True):
        review_services.package_comment(actor=city, version=first, text=text,
                                        anchor=f"ledger:leadership#item:{item.pk}")
    review_services.package_act(actor=city, version=first, action=A.RETURN,
                                reason="第1、2项整改措施须细化，补充整改落实情况后重新报送。")
    mended = (
        ("已按市委活动办意见细化措施：全市性会议由市委办统筹，全年会议数量比上年减少30%，会议时间一般不超过1.5小时；"
         "由市委常委、秘书长牵头，2015年3月底前完成。",
         "每季度通报会议、文件精简情况，对超标准开会的单位点名通报。"),
        ("已按市委活动办意见细化措施：市级领导每人每年到基层调研不少于60天，建立联系点和调研台账；"
         "由市委办、市政府办负责，2015年6月底前形成调研报告。",
         "6月底前汇总市级领导调研成果，转化为解决实际问题的具体措施。"),
    )
    for item, (progress, next_steps) in zip(items, mended, strict=True):
        ledger_services.progress_add(actor=office, item=item, progress=progress, next_steps=next_steps,
                                     leader=item.lead_leaders.first(), reported_on=today)
    second = up(review_services.package_build(actor=office, deadline=ledgers_due, unit=lianyuan))
    review_services.package_act(actor=city, version=second, action=A.APPROVE)
    review_services.package_build(actor=users["qiaotouhe_office"], deadline=ledgers_due,
                                  unit=_unit("娄底市/涟源市/桥头河镇"))
    report = plan_services.plan_create(
        actor=office, unit=lianyuan, campaign=campaign, kind=PlanKind.REPORT, title="涟源市“回头看”情况报告",
        body="<p>按照娄群办通〔2015〕1号要求，我市对照“两方案一计划”，对整改落实的进展、效果和存在的问题进行了全面“回头看”。</p>"
             "<p>一、主要做法：逐项梳理问题清单，建立四本台帐，经市委主要负责同志和市委第二督导组审核把关后报市委活动办。</p>"
             "<p>二、存在问题：个别整改措施不够具体，少数问题整改进度滞后。</p>"
             "<p>三、下步打算：对照台帐逐项销号，对进展滞后的问题限期整改。</p>")
    for title in ("逐项梳理，建立台帐", "对照检查，逐项销号", "深化整改，建章立制"):
        plan_services.step_add(actor=office, plan=report, title=title)
    review_services.package_build(actor=office, deadline=report_due, unit=lianyuan)


def _supervision(users: dict, today: dt.date, campaign: Campaign) -> None:
    """督查督办 under way: the 市委第二督导组 inspected 涟源市 openly (明察) last week and found 会议仍然偏多,
    which 涟源市's office has to answer; a 暗访 of 涟源市's service windows by the same group is sealed (only
    supervisor2 and loudi_office see it) until 娄底市's office releases what it found."""
    city_office, member = users["loudi_office"], users["supervisor2"]
    city, lianyuan = _unit("娄底市"), _unit("娄底市/涟源市")
    group = SupervisionGroup.objects.get(dispatched_by=city, name="市委第二督导组")
    week_ago = today - dt.timedelta(days=7)
    visit = supervision_services.inspection_create(
        actor=city_office, kind=InspectionKind.OPEN, title="市委第二督导组明察涟源市整改落实情况", ordering_unit=city,
        group=group, team=[member], units=[lianyuan, _unit("娄底市/涟源市/桥头河镇")], starts_on=week_ago,
        ends_on=week_ago + dt.timedelta(days=1),
        methods=[Method.BRIEFING, Method.RECORDS, Method.SITE, Method.INTERVIEW])
    meetings = supervision_services.finding_record(
        actor=member, inspection=visit, unit=lianyuan, severity=Severity.SERIOUS,
        answer_due_on=today + dt.timedelta(days=3),
        description="市直部门召开的全市性会议仍然偏多，1月份以来召开全市性会议9次，部分会议未经市委办统筹。")
    township = _unit("娄底市/涟源市/桥头河镇")
    supervision_services.finding_record(
        actor=member, inspection=visit, unit=township, answer_due_on=today + dt.timedelta(days=5),
        description="镇村务公开栏内容未及时更新，整改台账未在公开栏公示。")
    # 督办通知单 in the city office's name (娄群办督〔年〕N号): the group's, about the meetings, due in a week; and
    # one the office sent 桥头河镇 three weeks ago, unanswered and ten days overdue, so red by now.
    notice_services.office_save(actor=city_office, unit=city, prefix="娄群办督",
                                issuer_name="中共娄底市委党的群众路线教育实践活动领导小组办公室",
                                yellow_after_days=1, red_after_days=8)
    demo_notices(member, meetings, lianyuan, today)
    notice_services.notice_issue(
        actor=city_office, addressed_unit=township, title="关于督促桥头河镇建立整改台账的督办通知",
        problems="未按要求建立领导班子整改落实工作台帐\n整改方案未经主要负责同志审核把关",
        requirements="按照娄群办通〔2015〕1号要求，立即建立四本台帐，逐项明确整改措施、责任领导和完成时限，报市委活动办。",
        answer_due_on=today - dt.timedelta(days=10), today=today - dt.timedelta(days=21))
    escalation_run_now(today=today)
    # 重点抽查: a round over 双峰县's townships drawn last week by the group's member; the next, over 涟源市's,
    # committed by the office and waiting for the member to draw it on site.
    rounds = (("第一轮重点抽查（双峰县乡镇）", "娄底市/双峰县", week_ago), ("第二轮重点抽查（涟源市乡镇）", "娄底市/涟源市", today))
    for title, root, starts_on in rounds:
        spot_check = spotchecks.spotcheck_define(
            actor=city_office, ordering_unit=city, root=_unit(root), title=title, starts_on=starts_on, team=[member],
            campaign=campaign, levels=[UnitLevel.TOWNSHIP], size=1, today=starts_on)
        if starts_on < today:
            spotchecks.spotcheck_draw(actor=member, spot_check=spot_check)
    covert = supervision_services.inspection_create(
        actor=city_office, kind=InspectionKind.COVERT, title="暗访涟源市政务服务中心窗口作风", ordering_unit=city,
        group=group, team=[member], units=[lianyuan], starts_on=today - dt.timedelta(days=2),
        methods=[Method.VISIT, Method.ON_SITE_QUESTIONS, Method.RECORDING],
        record="上午9:40到政务服务中心，社保窗口2名工作人员离岗，群众排队等候约25分钟。")
    supervision_services.finding_record(
        actor=member, inspection=covert, unit=lianyuan, severity=Severity.SERIOUS,
        item=Item.objects.filter(ledger__unit=lianyuan, problem__contains="门难进").first(),
        description="政务服务中心社保窗口工作时间离岗，群众排队等候时间长。")


def _assessments(users: dict, campaign: Campaign, today: dt.date) -> None:
    """分析研判 and 评估验收: the 六看 and the 三个检验标准 word for word, three counties scored 好, 一般 and 差 (差
    gets 补课 tasks); 涟源市's 专项整治方案 has two tasks, one failed its acceptance, so 涟源市 is 不合格 until
    it passes."""
    office = users["loudi_office"]
    demo_assessments(office, users["supervisor2"], campaign,
                     [_unit("娄底市/双峰县"), _unit("娄底市/涟源市"), _unit("娄底市/新化县")], today)
    lianyuan_office, lianyuan = users["lianyuan_office"], _unit("娄底市/涟源市")
    plan = plan_services.plan_create(actor=lianyuan_office, unit=lianyuan, campaign=campaign, kind=PlanKind.SPECIAL,
                                     title="涟源市专项整治方案")
    tasks = [plan_services.task_add(actor=lianyuan_office, plan=plan, spec=plan_services.TaskSpec(
        task=f"整治{name}问题", lead=lead, due_on=today - dt.timedelta(days=5), done=True))
        for name, lead in (("群众办事难", "市政务服务中心"), ("乱收费乱罚款乱摊派", "市发改局、市财政局"))]
    assessment_services.acceptance_record(actor=office, plan_task=tasks[0], result=AcceptanceResult.PASSED,
                                          accepted_on=today, comments="对照方案逐项验收，群众办事等候时间明显缩短。")
    assessment_services.acceptance_record(
        actor=office, plan_task=tasks[1], result=AcceptanceResult.FAILED, accepted_on=today,
        comments="抽查3个乡镇，仍有搭车收费现象，群众满意度不高，须限期整改后重新验收。")


def _campaign(office, city: Unit, calendar: DemoCalendar) -> Campaign:
    """Seed 001 三: the phases and the two deadlines, word for word. 建立台账: the four ledgers, from every
    level's office below the city (三.1: 各级…活动领导小组办公室…报上一级), reviewed by the county on the
    way up; 信息备案: the report, from the city's direct subordinates that 三.3 names."""
    D = calendar.day
    return campaign_services.campaign_create(
        actor=office,
        owner_unit=city,
        name=CAMPAIGN_NAME,
        starts_on=D(SEED_START),
        ends_on=D(dt.date(2015, 2, 28)),
        basis=CAMPAIGN_BASIS,
        description="对照教育实践活动中查摆出的问题，对照“两方案一计划”（即整改方案、专项整治方案和制度建设计划），"
        "对整改落实的进展、效果和存在的问题进行全面、深入的“回头看”。",
        review_levels=[L.COUNTY],
        group_audit=True,
        phases=[
            PhaseSpec("自查自纠阶段", D(dt.date(2014, 12, 31)), D(dt.date(2015, 1, 6)),
                      "逐项梳理；建立台账：分别建立领导班子、专项整治、制度建设、党员领导干部整改落实情况台帐，"
                      "经党委（党组）主要负责同志和督导组审核把关后，报上一级教育实践活动领导小组办公室。"),
            PhaseSpec("督查核实阶段", D(dt.date(2015, 1, 7)), D(dt.date(2015, 1, 16)),
                      "逐级督查；重点抽查；专项检查。"),
            PhaseSpec("深化整改阶段", D(dt.date(2015, 1, 17)), D(dt.date(2015, 2, 28)),
                      "通报情况；信息备案；分析研判；深化整改。"),
        ],
        deadlines=[
            DeadlineSpec("建立台账并报上一级活动办", D(dt.date(2015, 1, 6)), [L.CITY, L.COUNTY, L.TOWNSHIP],
                         phase_name="自查自纠阶段", basis="娄群办通〔2015〕1号 三、1 建立台账",
                         target_rule=TargetRule.LEVELS, kinds=REPORTING_KINDS,
                         contents=[PackagePart.LEDGER_LEADERSHIP, PackagePart.LEDGER_SPECIAL,
                                   PackagePart.LEDGER_INSTITUTION, PackagePart.LEDGER_PERSONAL]),
            DeadlineSpec("“回头看”情况报告（信息备案）", D(dt.date(2015, 2, 5)), [],
                         phase_name="深化整改阶段", basis="娄群办通〔2015〕1号 三、3 信息备案",
                         target_rule=TargetRule.CHILDREN, kinds=REPORTING_KINDS, contents=[PackagePart.REPORT],
                         reminder_steps=[
                             {"days": -7, "to": [ReminderRecipient.OFFICE, ReminderRecipient.RESPONSIBLE_LEADER]},
                             {"days": -1, "to": [ReminderRecipient.DEPUTY_LEADER]},
                             {"days": 1, "to": [ReminderRecipient.UNIT_HEAD]},
                         ]),
        ],
    )
