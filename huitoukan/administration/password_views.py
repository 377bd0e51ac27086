"""Changing one's own password: the page every signed-in user reaches, and the one they are held
on while their password is an initial or reset one, or has expired (security.middleware)."""

from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.forms import PasswordChangeForm
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from huitoukan.core.pages import form_page, saved
from huitoukan.security import services
from huitoukan.security.middleware import change_detail, password_change_exempt
from huitoukan.security.selectors import password_change_reason


@password_change_exempt
@require_http_methods(["GET", "POST"])
def password_change(request):
    form = PasswordChangeForm(request.user, request.POST or None)
    for field in form.fields.values():
        field.widget.attrs["class"] = "form-control"
    reason = password_change_reason(request.user)
    target = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        target = "home"

    def write(data):
        services.password_change(user=request.user, password=data["new_password1"], request=request)
        update_session_auth_hash(request, request.user)
        return saved(request, _("密码已修改。"), target)

    return form_page(request, form, write, "security/password_change.html", {
        "reason": change_detail(reason) if reason else "", "next": target if target != "home" else ""})
