"""The 三员 consoles: role grants (安全管理员). Thin: parse, call, render. The log: audit_views."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from huitoukan.access import policy, selectors, services
from huitoukan.access.policy import Perm
from huitoukan.administration.forms import GrantForm
from huitoukan.core.errors import DomainError
from huitoukan.core.pages import form_page, saved
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
