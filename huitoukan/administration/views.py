"""The 三员 consoles: role grants (安全管理员) and the security log (审计管理员). Thin: parse, call, render."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from huitoukan.access import policy, selectors, services
from huitoukan.access.models import Role
from huitoukan.access.policy import Perm
from huitoukan.administration.forms import GrantForm
from huitoukan.audit.models import SecurityEvent, SecurityEventKind
from huitoukan.audit.services import security_log_verify
from huitoukan.core.errors import DomainError
from huitoukan.core.pages import form_page, saved
from huitoukan.core.timeline import actor_label
from huitoukan.orgs import selectors as org_selectors


@require_GET
def role_list(request):
    policy.require_somewhere(request.user, Perm.ROLE_VIEW)
    assignments = selectors.assignments_visible_to(user=request.user)
    page = Paginator(assignments, 50).get_page(request.GET.get("page"))
    can_grant = policy.has_perm_somewhere(request.user, Perm.ROLE_GRANT)
    return render(request, "access/role_list.html", {"page": page, "can_grant": can_grant, "active_menu": "roles"})


@require_http_methods(["GET", "POST"])
def role_grant(request):
    org_selectors.require_on_named_unit(user=request.user, perm=Perm.ROLE_GRANT, pk=request.POST.get("unit"))
    units = org_selectors.units_visible_to(user=request.user, perm=Perm.ROLE_GRANT).filter(abolished_on__isnull=True)
    people = org_selectors.people_visible_to(user=request.user).filter(is_active=True)
    groups = org_selectors.groups_visible_to(user=request.user)
    form = GrantForm(request.POST or None, units=units, people=people, groups=groups)

    def write(data):
        unit = org_selectors.unit_get_for(user=request.user, pk=data["unit"], perm=Perm.ROLE_GRANT)
        person = org_selectors.person_get_for(user=request.user, pk=data["person"]) if data.get("person") else None
        group = groups.filter(pk=data["supervision_group"]).first() if data.get("supervision_group") else None
        services.role_grant(actor=request.user, user=data["username"], role=data["role"], unit=unit,
                            person=person, supervision_group=group, request=request)
        return saved(request, _("已授权。"), "role-list")

    return form_page(request, form, write, "access/role_grant.html", {"active_menu": "roles"})


@require_POST
def role_revoke(request, pk):
    assignment = selectors.assignment_get_for(user=request.user, pk=pk, perm=Perm.ROLE_GRANT)
    try:
        services.role_revoke(actor=request.user, assignment=assignment, request=request)
    except DomainError as e:
        messages.error(request, e.message)
    else:
        messages.success(request, _("已撤销授权。"))
    return redirect("role-list")


# --- the security log ---------------------------------------------------------------------------

# The keys of a log row's detail as the 审计管理员 reads them.
DETAIL_LABELS = {
    "perm": _l("权限"), "unit": _l("单位"), "what": _l("对象"), "filename": _l("文件"), "sha256": _l("文件摘要"),
    "created": _l("新增"), "updated": _l("修改"), "unchanged": _l("不变"), "progress_added": _l("新增进展"),
    "rows": _l("行数"), "format": _l("格式"), "kind": _l("类型"), "campaign": _l("活动"), "ledger": _l("台账"),
    "ledgers": _l("台账"), "who": _l("台账所属"), "unit_id": _l("单位编号"), "command": _l("命令"),
    "role": _l("角色"), "target": _l("账号"), "reason": _l("原因"), "to": _l("授予对象"), "group": _l("督导组"),
    "person": _l("对应人员"),
}


def event_details(detail: dict) -> list[tuple[str, str]]:
    """A log row's detail as (label, value) pairs: Chinese names, rights by their Chinese label."""
    pairs = []
    for key, value in detail.items():
        if value in ("", None, []):
            continue
        if key == "perm":
            value = policy.PERM_LABELS.get(value, value)
        elif key == "role" and value in Role.values:
            value = Role(value).label
        elif isinstance(value, list):
            value = "、".join(map(str, value))
        pairs.append((str(DETAIL_LABELS.get(key, key)), value))
    return pairs



@require_GET
def audit_log(request):
    policy.require(request.user, Perm.AUDIT_VIEW, None)
    events = SecurityEvent.objects.select_related("user__person").order_by("-id")
    kind = request.GET.get("kind", "")
    if kind in SecurityEventKind.values:
        events = events.filter(kind=kind)
    username = request.GET.get("username", "").strip()
    if username:
        events = events.filter(username=username)
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    for event in page.object_list:
        event.actor = actor_label(event.user) if event.user_id else event.username
        event.details = event_details(event.detail)
    report = security_log_verify() if request.GET.get("verify") else None
    return render(
        request, "audit/audit_log.html",
        {"page": page, "kinds": SecurityEventKind.choices, "kind": kind, "username": username, "report": report,
         "active_menu": "audit"},
    )
