"""The left menu: only the entries the user's roles open."""

from functools import cache

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.translation import gettext as _

from huitoukan.access import policy
from huitoukan.access.models import Role
from huitoukan.access.policy import Perm
from huitoukan.twofactor import rules as twofactor_rules


@cache
def _reversed(name: str, prefix: str, urlconf: str) -> str:
    return reverse(name, urlconf=urlconf)


def _href(name: str, prefix: str) -> str:
    """Reversed once per process, script prefix and URL configuration: the menu is on every page."""
    return _reversed(name, prefix, get_urlconf() or settings.ROOT_URLCONF)


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    prefix = get_script_prefix()
    menu = [(_("工作台"), _href("home", prefix), "home")]
    if policy.has_perm_somewhere(user, Perm.WORK_VIEW):
        menu.append((_("台账"), _href("ledger-list", prefix), "ledgers"))
        menu.append((_("方案计划"), _href("plan-list", prefix), "plans"))
        menu.append((_("驾驶舱"), _href("rollup-dashboard", prefix), "dashboard"))
        menu.append((_("汇总"), _href("rollup-start", prefix), "rollups"))
        menu.append((_("报送审阅"), _href("review-index", prefix), "reviews"))
        menu.append((_("督查督办"), _href("supervision-index", prefix), "supervision"))
        menu.append((_("督办通知单"), _href("notice-list", prefix), "notices"))
        menu.append((_("研判评估"), _href("assessment-index", prefix), "assessments"))
        if policy.has_perm_somewhere(user, Perm.INSPECTION_RECORD):  # the office and the supervision groups
            menu.append((_("形式主义预警"), _href("flag-list", prefix), "formalism"))
        menu.append((_("开门整改"), _href("publicity-index", prefix), "publicity"))
        menu.append((_("群众评议"), _href("survey-list", prefix), "surveys"))
        if policy.has_perm_somewhere(user, Perm.OPINION_VIEW):
            menu.append((_("群众意见"), _href("opinion-list", prefix), "opinions"))
        if policy.has_perm_somewhere(user, Perm.LEDGER_EDIT):
            menu.append((_("上下联动"), _href("linkage-index", prefix), "linkage"))
        menu.append((_("回头看复查"), _href("recheck-list", prefix), "rechecks"))
        menu.append((_("过关情况"), _href("passing-index", prefix), "passing"))
        if policy.has_perm_somewhere(user, Perm.ACCOUNTABILITY_VIEW):
            menu.append((_("责任追究"), _href("case-list", prefix), "cases"))
            menu.append((_("年度考核"), _href("annual-index", prefix), "annual"))
        if policy.has_perm_somewhere(user, Perm.EVALUATION_VIEW):
            menu.append((_("纪实评价"), _href("evaluation-list", prefix), "evaluations"))
        menu.append((_("公文"), _href("document-list", prefix), "documents"))
        if policy.persons_of(user):
            menu.append((_("我的事项"), _href("my-items", prefix), "my-items"))
        # Where the exports started from the 汇总 wait to be downloaded.
        menu.append((_("后台任务"), _href("job-list", prefix), "jobs"))
    if policy.has_perm_somewhere(user, Perm.UNIT_VIEW):
        menu.append((_("组织树"), _href("unit-list", prefix), "units"))
    if policy.has_perm_somewhere(user, Perm.PERSON_VIEW):
        menu.append((_("人员"), _href("person-list", prefix), "people"))
    if policy.has_perm_somewhere(user, Perm.GROUP_VIEW):
        menu.append((_("督导组"), _href("group-list", prefix), "groups"))
    if policy.has_perm_somewhere(user, Perm.CAMPAIGN_VIEW):
        menu.append((_("活动与时限"), _href("campaign-list", prefix), "campaigns"))
    if policy.has_perm_somewhere(user, Perm.CAMPAIGN_MANAGE):
        # Where an office sets the 钉钉 / 企业微信 robots its reminders also go to.
        menu.append((_("群机器人"), _href("robot-list", prefix), "robots"))
    if policy.has_perm_somewhere(user, Perm.ROLE_VIEW):
        menu.append((_("角色授权"), _href("role-list", prefix), "roles"))
    if policy.has_perm_somewhere(user, Perm.AUDIT_VIEW):
        menu.append((_("安全日志"), _href("audit-log", prefix), "audit"))
    if policy.has_perm_somewhere(user, Perm.SECURITY_POLICY):
        menu.append((_("安全策略"), _href("security-policy", prefix), "security"))
    if policy.has_perm_somewhere(user, Perm.SECOND_FACTOR_RESET):
        menu.append((_("重置二次验证"), _href("otp-reset", prefix), "otp-reset"))
    if policy.has_perm_somewhere(user, Perm.ACCOUNT_VIEW):
        menu.append((_("账号管理"), _href("account-list", prefix), "accounts"))
    if policy.has_perm_somewhere(user, Perm.ACCOUNT_STALE_VIEW):
        menu.append((_("闲置停用账号"), _href("security-stale-accounts", prefix), "stale-accounts"))
    roles = sorted({str(Role(r).label) for r in policy.roles_of(user)})
    # The header's name: the person the policy read with the grants, not a query of its own.
    # The header's 二次验证 link, for a login that needs a second factor or passed one in this session:
    # no query (a device looked up on every page of every login cost more than the menu itself).
    return {"nav_menu": menu, "nav_roles": roles, "nav_person": policy.own_person(user),
            "nav_second_factor": lambda: (twofactor_rules.second_factor_required(user)
                                          or getattr(user, "otp_device", None) is not None)}
