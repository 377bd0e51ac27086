"""Pages of the unit tree, people and supervision groups. Thin: parse, call, render."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from huitoukan.access import policy
from huitoukan.access.models import RoleAssignment
from huitoukan.access.policy import Perm
from huitoukan.core import timeline
from huitoukan.core.errors import DomainError
from huitoukan.core.pages import form_page, saved
from huitoukan.core.paths import ancestor_paths, path_range_q
from huitoukan.orgs import selectors, services
from huitoukan.orgs.forms import (
    GroupAssignForm,
    GroupForm,
    PersonForm,
    UnitAbolishForm,
    UnitFilterForm,
    UnitForm,
    UnitMoveForm,
)
from huitoukan.orgs.models import Person, SupervisionGroup, Unit
from huitoukan.orgs.panels import unit_panels
from huitoukan.orgs.templatetags.unit_tree import unit_tree_html


def _tree_context(user, current: Unit | None):
    """The tree column: the user's top units, with the branch down to `current` opened."""
    roots, _nodes = selectors.tree_column(user=user, perm=Perm.UNIT_VIEW, current=current)
    return {"tree_roots": roots, "tree_current": current}


def _set_relative_paths(units, tops) -> None:
    """The path a reader needs: below their own top unit, without the repeated 娄底市/涟源市/ prefix."""
    prefixes = sorted((t.full_name + "/" for t in tops), key=len, reverse=True)
    for unit in units:
        parent_path = unit.full_name.rsplit("/", 1)[0] if "/" in unit.full_name else ""
        for prefix in prefixes:
            if (parent_path + "/").startswith(prefix):
                parent_path = parent_path[len(prefix):]
                break
        unit.parent_display = parent_path


@require_GET
def unit_list(request):
    policy.require_somewhere(request.user, Perm.UNIT_VIEW)
    form = UnitFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    under = None
    if data.get("under"):
        under = selectors.unit_get_for(user=request.user, pk=data["under"])
    units = selectors.unit_search(
        user=request.user, text=data.get("q") or "", level=data.get("level") or "", kind=data.get("kind") or "",
        under=under,
    )
    page = Paginator(units, data.get("page_size") or 20).get_page(request.GET.get("page"))
    _set_relative_paths(page, selectors.top_units(request.user, Perm.UNIT_VIEW))
    context = {
        "form": form,
        "page": page,
        "under": under,
        "can_manage": policy.has_perm_somewhere(request.user, Perm.UNIT_MANAGE),
        "active_menu": "units",
        **_tree_context(request.user, under),
    }
    return render(request, "orgs/unit_list.html", context)


@require_GET
def unit_tree(request):
    """htmx fragment: the children of one node of the navigation tree."""
    node = selectors.unit_get_for(user=request.user, pk=request.GET.get("node"))
    return HttpResponse(unit_tree_html(list(selectors.children(node))))


@require_GET
def unit_detail(request, pk):
    unit = selectors.unit_get_for(user=request.user, pk=pk)
    user = request.user
    roots, tree_nodes = selectors.tree_column(user=user, perm=Perm.UNIT_VIEW, current=unit)
    # The tree column opened the branch down to the unit: the ancestors the reader may see, and the unit's
    # children, are already loaded there.
    opened = tree_nodes.get(unit.path)
    children = None
    if opened is not None:
        children = getattr(opened, "tree_children", []) if opened.numchild else []
    context = {
        "unit": unit,
        "ancestors": [tree_nodes[p] for p in ancestor_paths(unit.path) if p in tree_nodes
                      and policy.can(user, Perm.UNIT_VIEW, tree_nodes[p])],
        "children": selectors.children(unit) if children is None else children,
        "people": selectors.unit_people(unit) if policy.can(user, Perm.PERSON_VIEW, unit) else None,
        "groups": selectors.unit_groups(unit) if policy.can(user, Perm.GROUP_VIEW, unit) else None,
        # Below the unit: its subtree's units in force less itself.
        "subtree_count": selectors.units_in_force([unit]) - (0 if unit.abolished_on else 1),
        # What other apps show on a unit's page (the ledgers' item counts): they register in orgs.panels.
        "panels": unit_panels(unit=unit, user=user),
        "can_manage": policy.can(user, Perm.UNIT_MANAGE, unit),
        "can_history": policy.can(user, Perm.HISTORY_VIEW, unit),
        "active_menu": "units",
        "tree_roots": roots,
        "tree_current": unit,
    }
    return render(request, "orgs/unit_detail.html", context)


@require_GET
def unit_history(request, pk):
    unit = selectors.unit_get_for(user=request.user, pk=pk, perm=Perm.HISTORY_VIEW)
    # Who holds which role, and which account is whose, is for those who may read grants.
    sees_grants = policy.can(request.user, Perm.ROLE_VIEW, unit)
    histories = [
        Unit.history.filter(id=unit.pk),
        Person.history.filter(unit_id=unit.pk),
        SupervisionGroup.history.filter(dispatched_by_id=unit.pk),
    ]
    if sees_grants:
        histories.append(RoleAssignment.history.filter(unit_id=unit.pk))
    entries = timeline.entries(*histories, hidden=frozenset() if sees_grants else frozenset({"user"}))
    return render(
        request, "orgs/unit_history.html",
        {"unit": unit, "entries": entries, "active_menu": "units", **_tree_context(request.user, unit)},
    )


@require_http_methods(["GET", "POST"])
def unit_create(request):
    parent = selectors.unit_get_for(user=request.user, pk=request.GET.get("parent"), perm=Perm.UNIT_MANAGE)
    form = UnitForm(request.POST or None, initial={"level": parent.level, "kind": parent.kind, "batch": parent.batch})

    def write(data):
        unit = services.unit_create(actor=request.user, parent=parent, **data)
        return saved(request, _("已新增单位“%(name)s”。") % {"name": unit.full_name}, "unit-detail", unit.pk)

    return form_page(request, form, write, "orgs/unit_form.html", {"parent": parent, "unit": None, "active_menu": "units"})


@require_http_methods(["GET", "POST"])
def unit_edit(request, pk):
    unit = selectors.unit_get_for(user=request.user, pk=pk, perm=Perm.UNIT_MANAGE)
    initial = {f: getattr(unit, f) for f in services.UNIT_EDITABLE_FIELDS}
    form = UnitForm(request.POST or None, initial=initial)

    def write(data):
        services.unit_update(actor=request.user, unit=unit, **data)
        return saved(request, _("已保存。"), "unit-detail", unit.pk)

    return form_page(request, form, write, "orgs/unit_form.html", {"parent": None, "unit": unit, "active_menu": "units"})


def _manageable_targets(user, exclude: Unit):
    return (
        selectors.units_visible_to(user=user, perm=Perm.UNIT_MANAGE)
        .filter(abolished_on__isnull=True)
        .exclude(path_range_q(exclude.path))
    )


@require_http_methods(["GET", "POST"])
def unit_move(request, pk):
    unit = selectors.unit_get_for(user=request.user, pk=pk, perm=Perm.UNIT_MANAGE)
    form = UnitMoveForm(request.POST or None, parent_choices=_manageable_targets(request.user, unit))

    def write(data):
        target = selectors.unit_get_for(user=request.user, pk=data["new_parent"], perm=Perm.UNIT_MANAGE)
        services.unit_move(actor=request.user, unit=unit, new_parent=target)
        return saved(request, _("已移动到“%(name)s”之下。") % {"name": target.full_name}, "unit-detail", unit.pk)

    return form_page(request, form, write, "orgs/unit_move.html", {"unit": unit, "active_menu": "units"})


@require_http_methods(["GET", "POST"])
def unit_abolish(request, pk):
    unit = selectors.unit_get_for(user=request.user, pk=pk, perm=Perm.UNIT_MANAGE)
    form = UnitAbolishForm(request.POST or None, merge_choices=_manageable_targets(request.user, unit))

    def write(data):
        merged_into = None
        if data.get("merged_into"):
            merged_into = selectors.unit_get_for(user=request.user, pk=data["merged_into"], perm=Perm.UNIT_MANAGE)
        services.unit_abolish(actor=request.user, unit=unit, on=data["on"], merged_into=merged_into)
        return saved(request, _("已撤销单位“%(name)s”，其历史记录仍保留。") % {"name": unit.full_name},
                     "unit-detail", unit.pk)

    return form_page(request, form, write, "orgs/unit_abolish.html", {"unit": unit, "active_menu": "units"})


@require_GET
def person_list(request):
    policy.require_somewhere(request.user, Perm.PERSON_VIEW)
    people = selectors.people_visible_to(user=request.user)
    text = request.GET.get("q", "").strip()
    if text:
        people = people.filter(name__contains=text)
    if request.GET.get("leaders"):
        people = people.filter(is_party_leader=True)
    page = Paginator(people.order_by("unit__path", "-is_unit_head", "id"), 50).get_page(request.GET.get("page"))
    can_manage = policy.has_perm_somewhere(request.user, Perm.PERSON_MANAGE)
    return render(request, "orgs/person_list.html",
                  {"page": page, "q": text, "can_manage": can_manage, "active_menu": "people"})


@require_GET
def person_detail(request, pk):
    person = selectors.person_get_for(user=request.user, pk=pk)
    entries = None
    if policy.can(request.user, Perm.HISTORY_VIEW, person.unit):
        sees_grants = policy.can(request.user, Perm.ROLE_VIEW, person.unit)
        entries = timeline.entries(Person.history.filter(id=person.pk),
                                   hidden=frozenset() if sees_grants else frozenset({"user"}))
    can_manage = policy.can(request.user, Perm.PERSON_MANAGE, person.unit)
    return render(request, "orgs/person_detail.html",
                  {"person": person, "entries": entries, "can_manage": can_manage, "active_menu": "people"})


def _person_form(request, initial):
    units = selectors.units_visible_to(user=request.user, perm=Perm.PERSON_MANAGE).filter(abolished_on__isnull=True)
    return PersonForm(request.POST or None, initial=initial, unit_choices=units)


@require_http_methods(["GET", "POST"])
def person_create(request):
    selectors.require_on_named_unit(user=request.user, perm=Perm.PERSON_MANAGE, pk=request.POST.get("unit"))
    form = _person_form(request, {"unit": request.GET.get("unit")})

    def write(data):
        unit = selectors.unit_get_for(user=request.user, pk=data.pop("unit"), perm=Perm.PERSON_MANAGE)
        person = services.person_create(actor=request.user, unit=unit, **data)
        return saved(request, _("已新增人员“%(name)s”。") % {"name": person.name}, "person-detail", person.pk)

    return form_page(request, form, write, "orgs/person_form.html", {"person": None, "active_menu": "people"})


@require_http_methods(["GET", "POST"])
def person_edit(request, pk):
    person = selectors.person_get_for(user=request.user, pk=pk, perm=Perm.PERSON_MANAGE)
    initial = {f: getattr(person, f) for f in ("name", "position", "is_party_leader", "is_unit_head")}
    initial["unit"] = person.unit_id
    form = _person_form(request, initial)

    def write(data):
        data["unit"] = selectors.unit_get_for(user=request.user, pk=data["unit"], perm=Perm.PERSON_MANAGE)
        services.person_update(actor=request.user, person=person, **data)
        return saved(request, _("已保存。"), "person-detail", person.pk)

    return form_page(request, form, write, "orgs/person_form.html", {"person": person, "active_menu": "people"})


@require_GET
def group_list(request):
    policy.require_somewhere(request.user, Perm.GROUP_VIEW)
    groups = selectors.groups_shown_to(user=request.user)
    can_manage = policy.has_perm_somewhere(request.user, Perm.GROUP_MANAGE)
    return render(request, "orgs/group_list.html", {"groups": groups, "can_manage": can_manage, "active_menu": "groups"})


@require_GET
def group_detail(request, pk):
    group = selectors.group_get_for(user=request.user, pk=pk)
    user = request.user
    # Who holds the group's membership is the grants' business: for those who may read grants.
    sees_grants = policy.has_perm_somewhere(user, Perm.ROLE_VIEW)
    context = {
        "group": group,
        "dispatcher_seen": policy.can(user, Perm.UNIT_VIEW, group.dispatched_by),
        "members": selectors.group_members(user=user, group=group) if sees_grants else None,
        "entries": selectors.group_history(user=user, group=group),
        "can_manage": policy.can(user, Perm.GROUP_MANAGE, group.dispatched_by),
        "active_menu": "groups",
    }
    return render(request, "orgs/group_detail.html", context)


def _group_form(request, *, initial, new: bool, dispatcher=None):
    units = selectors.units_visible_to(user=request.user, perm=Perm.GROUP_MANAGE).filter(abolished_on__isnull=True)
    people = selectors.people_visible_to(user=request.user).filter(is_active=True)
    return GroupForm(request.POST or None, initial=initial, units=units, people=people, new=new,
                     dispatcher=dispatcher)


@require_http_methods(["GET", "POST"])
def group_create(request):
    # The form names its dispatching unit: refused there (404 out of scope, 403 in it) before it is read.
    selectors.require_on_named_unit(user=request.user, perm=Perm.GROUP_MANAGE, pk=request.POST.get("dispatched_by"))
    form = _group_form(request, initial={"dispatched_by": request.GET.get("unit")}, new=True)

    def write(data):
        group = services.supervision_group_create(
            actor=request.user, dispatched_by=data["dispatched_by"], name=data["name"], leader=data["leader"],
            assigned_units=list(data["assigned_units"]))
        return saved(request, _("已组建督导组“%(name)s”。") % {"name": group.name}, "group-detail", group.pk)

    return form_page(request, form, write, "orgs/group_form.html", {"group": None, "active_menu": "groups"})


@require_http_methods(["GET", "POST"])
def group_edit(request, pk):
    group = selectors.group_get_for(user=request.user, pk=pk, perm=Perm.GROUP_MANAGE)
    form = _group_form(request, initial={"name": group.name, "leader": group.shown_leader_id}, new=False,
                       dispatcher=group.dispatched_by)

    def write(data):
        services.supervision_group_update(actor=request.user, group=group, name=data["name"], leader=data["leader"])
        return saved(request, _("已保存。"), "group-detail", group.pk)

    return form_page(request, form, write, "orgs/group_form.html", {"group": group, "active_menu": "groups"})


@require_http_methods(["GET", "POST"])
def group_assign(request, pk):
    group = selectors.group_get_for(user=request.user, pk=pk, perm=Perm.GROUP_MANAGE)
    # Abolished units among the choices too: one assigned before it was abolished may stay (the service says).
    units = selectors.units_visible_to(user=request.user, perm=Perm.GROUP_MANAGE)
    form = GroupAssignForm(request.POST or None, initial={"assigned_units": [u.pk for u in group.shown_units]},
                           units=units, under=group.dispatched_by)

    def write(data):
        services.supervision_group_assign(actor=request.user, group=group, assigned_units=list(data["assigned_units"]))
        return saved(request, _("已调整督导单位。"), "group-detail", group.pk)

    return form_page(request, form, write, "orgs/group_assign.html", {"group": group, "active_menu": "groups"})


def _group_switch(request, pk, service, message: str):
    group = selectors.group_get_for(user=request.user, pk=pk, perm=Perm.GROUP_MANAGE)
    try:
        service(actor=request.user, group=group)
    except DomainError as e:
        messages.error(request, e.message)
        return redirect("group-detail", group.pk)
    return saved(request, message % {"name": group.name}, "group-detail", group.pk)


@require_POST
def group_deactivate(request, pk):
    return _group_switch(request, pk, services.supervision_group_deactivate,
                         _("已停用督导组“%(name)s”：其成员的督导权限随之暂停。"))


@require_POST
def group_reactivate(request, pk):
    return _group_switch(request, pk, services.supervision_group_reactivate, _("已启用督导组“%(name)s”。"))
