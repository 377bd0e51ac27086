"""The 安全管理员's console: the security policy (with the 等保 reference beside each value, its edit
and history), the locked accounts and their unlock, the open sessions and their end; and the
系统管理员's list of the logins disabled for going unused. Thin: parse, check, call, render."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from huitoukan.access import lockout, policy, services
from huitoukan.access.models import ADMIN_ROLES, Account, AccountKind, Role, RoleAssignment
from huitoukan.access.policy import Perm
from huitoukan.core.pages import form_page, saved
from huitoukan.security import selectors
from huitoukan.security import services as security_services
from huitoukan.security.models import SecurityPolicy
from huitoukan.security.rules import ADMIN_ROLE_VALUES, REFERENCES, weaker_than_reference


def _in_reach(actor, perm: Perm, users) -> set[int]:
    """The users `actor` may act on with `perm` (policy.over_login), their roles' units read at once."""
    ids = {u.pk for u in users}
    units: dict[int, list] = {pk: [] for pk in ids}
    for a in RoleAssignment.objects.filter(user_id__in=ids).select_related("unit"):
        units[a.user_id].append(a.unit)
    return {pk for pk, held in units.items() if policy.over_login(actor, perm, held)}


class PolicyForm(forms.ModelForm):
    second_factor = forms.MultipleChoiceField(
        label=gettext_lazy("另须二次验证的角色"), required=False, widget=forms.CheckboxSelectMultiple,
        choices=[(r.value, r.label) for r in Role if r not in ADMIN_ROLES],
        help_text=gettext_lazy("系统管理员、安全管理员、审计管理员始终须二次验证。"))

    class Meta:
        model = SecurityPolicy
        fields = list(REFERENCES)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("second_factor", [r for r in self.instance.second_factor_roles
                                                  if r not in ADMIN_ROLE_VALUES])
        for name, ref in REFERENCES.items():
            self.fields[name].help_text = _("等保2.0三级：%(text)s") % {"text": ref.text}
            self.fields[name].widget.attrs["class"] = "form-control"

    def changes(self) -> dict:
        data = {name: self.cleaned_data[name] for name in REFERENCES}
        data["second_factor_roles"] = sorted(ADMIN_ROLE_VALUES | set(self.cleaned_data["second_factor"]))
        return data


def _policy_rows(current: SecurityPolicy) -> list[dict]:
    # A value weaker than the reference can only come from the settings the first policy was read from.
    rows = [{"label": SecurityPolicy._meta.get_field(name).verbose_name, "value": getattr(current, name),
             "reference": ref.text, "weak": weaker_than_reference(name, getattr(current, name))}
            for name, ref in REFERENCES.items()]
    role_labels = dict(Role.choices)
    rows.append({"label": SecurityPolicy._meta.get_field("second_factor_roles").verbose_name,
                 "value": "、".join(str(role_labels.get(r, r)) for r in Role if r in current.second_factor_role_values()),
                 "reference": _("三员等重要账号采用两种或以上鉴别技术（8.1.4.1 d）"), "weak": False})
    return rows


@require_GET
def security_policy(request):
    policy.require_somewhere(request.user, Perm.SECURITY_POLICY)
    return render(request, "security/policy.html", {"rows": _policy_rows(selectors.policy_current()),
                                                    "active_menu": "security"})


@require_http_methods(["GET", "POST"])
def security_policy_edit(request):
    policy.require_somewhere(request.user, Perm.SECURITY_POLICY)
    form = PolicyForm(request.POST or None, instance=selectors.policy_copy())

    def write(data):
        security_services.policy_update(actor=request.user, changes=form.changes(), request=request)
        return saved(request, _("安全策略已修改。"), "security-policy")

    return form_page(request, form, write, "security/policy_edit.html", {"active_menu": "security"})


@require_GET
def security_policy_history(request):
    policy.require_somewhere(request.user, Perm.SECURITY_POLICY)
    return render(request, "security/policy_history.html", {"entries": selectors.policy_history(),
                                                            "active_menu": "security"})


@require_GET
def locked_accounts(request):
    policy.require_somewhere(request.user, Perm.ACCOUNT_UNLOCK)
    locked = lockout.locked_accounts()
    users = {u.username: u for u in get_user_model().objects.filter(username__in=[a.username for a in locked])}
    reach = _in_reach(request.user, Perm.ACCOUNT_UNLOCK, users.values())
    shown = [a for a in locked if a.username in users and users[a.username].pk in reach]
    page = Paginator(shown, 50).get_page(request.GET.get("page"))
    return render(request, "security/locked_accounts.html", {"page": page, "active_menu": "security"})


@require_POST
def account_unlock(request):
    policy.require_somewhere(request.user, Perm.ACCOUNT_UNLOCK)
    user = get_user_model().objects.filter(username=request.POST.get("username", "")).first()
    if user is None or user.pk not in _in_reach(request.user, Perm.ACCOUNT_UNLOCK, [user]):
        raise policy.Denied(Perm.ACCOUNT_UNLOCK)
    services.account_unlock(actor=request.user, user=user, request=request)
    return saved(request, _("已解除 %(name)s 的登录锁定。") % {"name": user.get_username()}, "security-locked")


@require_GET
def session_list(request):
    policy.require_somewhere(request.user, Perm.SESSION_END)
    sessions = selectors.sessions_open()
    reach = _in_reach(request.user, Perm.SESSION_END, {s.user for s in sessions})
    shown = [s for s in sessions if s.user.pk in reach]
    page = Paginator(shown, 50).get_page(request.GET.get("page"))
    return render(request, "security/sessions.html", {"page": page, "own": request.session.session_key,
                                                      "active_menu": "security"})


@require_POST
def session_end(request):
    policy.require_somewhere(request.user, Perm.SESSION_END)
    key = request.POST.get("session", "")
    found = next((s for s in selectors.sessions_open() if s.key == key), None)
    if found is None or found.user.pk not in _in_reach(request.user, Perm.SESSION_END, [found.user]):
        raise policy.Denied(Perm.SESSION_END)
    security_services.session_end(actor=request.user, session_key=key, username=found.user.get_username(),
                                  request=request)
    messages.success(request, _("已结束 %(name)s 的会话。") % {"name": found.user.get_username()})
    return redirect("security-sessions")


def _accounts_in_reach(actor, perm: Perm, users) -> set[int]:
    """The logins `actor` may see with `perm` as access.policy.require_account decides: business logins
    whose unit, and every unit where they hold a role, are in the actor's scope."""
    ids = {u.pk for u in users}
    accounts = {a.user_id: a for a in Account.objects.filter(user_id__in=ids).select_related("unit")}
    units: dict[int, list] = {pk: [] for pk in ids}
    for a in RoleAssignment.objects.filter(user_id__in=ids).select_related("unit"):
        units[a.user_id].append(a.unit)
    reach = set()
    for pk in ids:
        account = accounts.get(pk) or Account(user_id=pk, kind=AccountKind.BUSINESS)
        try:
            policy.require_account(actor, perm, account, units[pk])
        except (policy.Denied, policy.Forbidden):
            continue
        reach.add(pk)
    return reach


@require_GET
def stale_accounts(request):
    policy.require_somewhere(request.user, Perm.ACCOUNT_STALE_VIEW)
    disablings = list(selectors.stale_disablings()[:1000])
    reach = _accounts_in_reach(request.user, Perm.ACCOUNT_STALE_VIEW, {d.user for d in disablings})
    page = Paginator([d for d in disablings if d.user_id in reach], 50).get_page(request.GET.get("page"))
    return render(request, "security/stale_accounts.html", {
        "page": page, "days": selectors.policy_current().stale_account_days, "active_menu": "stale-accounts"})
