"""The 系统管理员's console of logins: the business logins of its part of the tree, created with an
initial password, disabled, enabled, or given a one-time temporary password. Thin: parse, call, render.
The 三员's own logins are managed from the command line only (access.policy.require_account)."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from huitoukan.access import policy, selectors, services
from huitoukan.access.policy import Perm
from huitoukan.administration.forms import AccountCreateForm, AccountSearchForm
from huitoukan.core.errors import DomainError
from huitoukan.core.pages import form_page, saved
from huitoukan.orgs import selectors as org_selectors


@require_GET
def account_list(request):
    policy.require_somewhere(request.user, Perm.ACCOUNT_VIEW)
    search = AccountSearchForm(request.GET or None)
    data = search.cleaned_data if search.is_valid() else {}
    rows = selectors.account_search(user=request.user, text=(data.get("q") or "").strip(),
                                    status=data.get("status") or "")
    page = Paginator(rows, data.get("page_size") or 20).get_page(request.GET.get("page"))
    return render(request, "administration/account_list.html", {
        "page": page, "search": search, "can_manage": policy.has_perm_somewhere(request.user, Perm.ACCOUNT_MANAGE),
        "active_menu": "accounts"})


@require_http_methods(["GET", "POST"])
def account_create(request):
    org_selectors.require_on_named_unit(user=request.user, perm=Perm.ACCOUNT_MANAGE, pk=request.POST.get("unit"))
    units = org_selectors.units_visible_to(user=request.user, perm=Perm.ACCOUNT_MANAGE).filter(
        abolished_on__isnull=True)
    form = AccountCreateForm(request.POST or None, initial={"unit": request.GET.get("unit")}, units=units)

    def write(data):
        unit = org_selectors.unit_get_for(user=request.user, pk=data["unit"], perm=Perm.ACCOUNT_MANAGE)
        user = services.account_create(actor=request.user, username=data["username"], unit=unit,
                                       password=data["password1"], must_change_password=True, request=request)
        return saved(request, _("已新建账号“%(name)s”，首次登录须修改初始密码；角色请由安全管理员授予。")
                     % {"name": user.username}, "account-list")

    return form_page(request, form, write, "administration/account_form.html", {"active_menu": "accounts"})


def _act(request, pk, service, done: str):
    account = selectors.account_get_for(user=request.user, pk=pk, perm=Perm.ACCOUNT_MANAGE)
    try:
        service(actor=request.user, user=account.user, request=request)
    except DomainError as e:
        messages.error(request, e.message)
    else:
        messages.success(request, done % {"name": account.user.username})
    return redirect("account-list")


@require_POST
def account_disable(request, pk):
    return _act(request, pk, services.account_disable, _("已停用账号“%(name)s”，其会话和接口令牌已失效。"))


@require_POST
def account_enable(request, pk):
    return _act(request, pk, services.account_enable, _("已启用账号“%(name)s”。"))


@never_cache
@require_POST
def account_password_reset(request, pk):
    """The temporary password is shown on this answer only, never stored in clear nor shown again."""
    account = selectors.account_get_for(user=request.user, pk=pk, perm=Perm.ACCOUNT_MANAGE)
    try:
        password = services.password_reset(actor=request.user, user=account.user, request=request)
    except DomainError as e:
        messages.error(request, e.message)
        return redirect("account-list")
    return render(request, "administration/account_password.html",
                  {"account": account, "password": password, "active_menu": "accounts"})
