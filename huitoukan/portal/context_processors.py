"""The left menu: only the entries the user's roles open."""

from django.urls import reverse
from django.utils.translation import gettext as _

from huitoukan.access import policy
from huitoukan.access.models import Role
from huitoukan.access.policy import Perm


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    menu = [(_("工作台"), reverse("home"), "home")]
    if policy.has_perm_somewhere(user, Perm.WORK_VIEW):
        menu.append((_("台账"), reverse("ledger-list"), "ledgers"))
        menu.append((_("汇总"), reverse("rollup-start"), "rollups"))
        if policy.persons_of(user):
            menu.append((_("我的事项"), reverse("my-items"), "my-items"))
        # Where the exports started from the 汇总 wait to be downloaded.
        menu.append((_("后台任务"), reverse("job-list"), "jobs"))
    if policy.has_perm_somewhere(user, Perm.UNIT_VIEW):
        menu.append((_("组织树"), reverse("unit-list"), "units"))
    if policy.has_perm_somewhere(user, Perm.PERSON_VIEW):
        menu.append((_("人员"), reverse("person-list"), "people"))
    if policy.has_perm_somewhere(user, Perm.GROUP_VIEW):
        menu.append((_("督导组"), reverse("group-list"), "groups"))
    if policy.has_perm_somewhere(user, Perm.CAMPAIGN_VIEW):
        menu.append((_("活动与时限"), reverse("campaign-list"), "campaigns"))
    if policy.has_perm_somewhere(user, Perm.ROLE_VIEW):
        menu.append((_("角色授权"), reverse("role-list"), "roles"))
    if policy.has_perm_somewhere(user, Perm.AUDIT_VIEW):
        menu.append((_("安全日志"), reverse("audit-log"), "audit"))
    roles = sorted({str(Role(r).label) for r in policy.roles_of(user)})
    # The header's name: the person the policy read with the grants, not a query of its own.
    return {"nav_menu": menu, "nav_roles": roles, "nav_person": policy.own_person(user)}
