from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET

from huitoukan.access import policy
from huitoukan.access.policy import Perm
from huitoukan.audit.models import SecurityEvent, SecurityEventKind
from huitoukan.audit.services import security_log_verify


@require_GET
def audit_log(request):
    policy.require(request.user, Perm.AUDIT_VIEW, None)
    events = SecurityEvent.objects.select_related("user").order_by("-id")
    kind = request.GET.get("kind", "")
    if kind in SecurityEventKind.values:
        events = events.filter(kind=kind)
    username = request.GET.get("username", "").strip()
    if username:
        events = events.filter(username=username)
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    report = security_log_verify() if request.GET.get("verify") else None
    return render(
        request, "audit/audit_log.html",
        {"page": page, "kinds": SecurityEventKind.choices, "kind": kind, "username": username, "report": report,
         "active_menu": "audit"},
    )
