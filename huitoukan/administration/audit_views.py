"""The 审计管理员's console: the security log, filtered, paged, exported, verified against its anchors.

Thin: parse the filters, call one selector or service, render. Only Perm.AUDIT_VIEW opens it.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import FieldDoesNotExist
from django.core.paginator import Paginator
from django.http import FileResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from huitoukan.access import policy
from huitoukan.access.models import AccountKind, Role, RoleAssignment
from huitoukan.access.policy import Perm
from huitoukan.audit import selectors
from huitoukan.audit.exports import security_log_export
from huitoukan.audit.models import OUTCOME_OF_KIND, Outcome, SecurityEventKind
from huitoukan.audit.services import AuditError, security_event_record, security_log_check
from huitoukan.core.errors import DomainError
from huitoukan.core.http import content_disposition
from huitoukan.core.paths import path_range_q
from huitoukan.core.timeline import actor_label
from huitoukan.orgs import selectors as org_selectors
from huitoukan.orgs.models import Person
from huitoukan.security.models import SecurityPolicy

# The keys of a log row's detail as the 审计管理员 reads them.
DETAIL_LABELS = {
    "perm": _("权限"), "unit": _("单位"), "what": _("对象"), "filename": _("文件"), "sha256": _("文件摘要"),
    "created": _("新增"), "updated": _("修改"), "unchanged": _("不变"), "progress_added": _("新增进展"),
    "rows": _("行数"), "format": _("格式"), "kind": _("类型"), "campaign": _("活动"), "ledger": _("台账"),
    "ledgers": _("台账"), "who": _("台账所属"), "unit_id": _("单位编号"), "command": _("命令"),
    "role": _("角色"), "target": _("账号"), "reason": _("原因"), "to": _("授予对象"), "group": _("督导组"),
    "person": _("对应人员"), "root": _("范围"), "purged_before": _("清理此前的记录"),
    "before": _("修改前"), "after": _("修改后"), "session": _("会话"), "last_used": _("最后使用"), "days": _("天数"), "records": _("清除的失败记录"),
    "new": _("新签发"), "api_token": _("接口令牌"), "job": _("任务"), "title": _("标题"),
    "since": _("起始日期"), "until": _("截止日期"), "username": _("账号"), "outcome": _("结果"),
    "object": _("名称"), "change": _("变更"), "ok": _("校验结果"), "checked": _("校验条数"), "problem": _("问题"),
}
TEXT = {"class": "form-control"}
SELECT = {"class": "form-select"}


class LogFilterForm(forms.Form):
    since = forms.DateField(label=_("起始日期"), required=False,
                            widget=forms.DateInput(attrs={**TEXT, "type": "date"}, format="%Y-%m-%d"))
    until = forms.DateField(label=_("截止日期"), required=False,
                            widget=forms.DateInput(attrs={**TEXT, "type": "date"}, format="%Y-%m-%d"))
    username = forms.CharField(label=_("账号"), required=False, max_length=150, widget=forms.TextInput(attrs=TEXT))
    kind = forms.ChoiceField(label=_("事件"), required=False,
                             choices=[("", _("全部"))] + list(SecurityEventKind.choices),
                             widget=forms.Select(attrs=SELECT))
    outcome = forms.ChoiceField(label=_("结果"), required=False, choices=[("", _("全部"))] + list(Outcome.choices),
                                widget=forms.Select(attrs=SELECT))
    unit = forms.CharField(label=_("单位"), required=False, max_length=500,
                           widget=forms.TextInput(attrs={**TEXT, "placeholder": _("如 娄底市/涟源市")}))
    page_size = forms.TypedChoiceField(label=_("每页"), required=False, coerce=int, empty_value=50,
                                       choices=[(20, "20"), (50, "50"), (100, "100")],
                                       widget=forms.Select(attrs=SELECT))

    def clean_unit(self):
        name = (self.cleaned_data.get("unit") or "").strip()
        if not name:
            return None
        try:
            return org_selectors.unit_resolve(name, active_only=False)
        except DomainError as e:
            raise forms.ValidationError(e.message) from None

    def clean(self):
        data = super().clean()
        if data.get("since") and data.get("until") and data["since"] > data["until"]:
            self.add_error("until", _("截止日期不能早于起始日期。"))
        return data

    def log_filter(self) -> selectors.LogFilter:
        data = self.cleaned_data
        unit = data.get("unit")
        return selectors.LogFilter(
            since=data.get("since"), until=data.get("until"), username=(data.get("username") or "").strip(),
            kind=data.get("kind") or "", outcome=data.get("outcome") or "",
            unit_full_name=unit.full_name if unit is not None else "",
            unit_users=_unit_logins(unit) if unit is not None else (),
        )

    def described(self) -> dict:
        """The filters as the export's log row records them."""
        data = self.cleaned_data
        return {"since": str(data.get("since") or ""), "until": str(data.get("until") or ""),
                "username": data.get("username") or "", "kind": data.get("kind") or "",
                "outcome": data.get("outcome") or "", "unit": data["unit"].full_name if data.get("unit") else ""}


def _unit_logins(unit):
    """The logins of a unit's subtree: those holding a role there and those of its people."""
    held = RoleAssignment.objects.filter(path_range_q(unit.path, "unit__path")).values("user_id")
    people = Person.objects.filter(path_range_q(unit.path, "unit__path"), user__isnull=False).values("user_id")
    return (held, people)


def _query_without(request, *names) -> str:
    query = request.GET.copy()
    for name in names:
        query.pop(name, None)
    return query.urlencode()


def _policy_field_label(name: str) -> str:
    """A changed value's name as the policy page shows it (the security policy's before/after)."""
    try:
        return str(SecurityPolicy._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:
        return name


def event_details(detail: dict) -> list[tuple[str, str]]:
    """A log row's detail as (label, value) pairs: Chinese names, rights and roles by their Chinese label."""
    pairs = []
    for key, value in detail.items():
        if value in ("", None, []):
            continue
        if key == "perm":
            value = policy.PERM_LABELS.get(value, value)
        elif key == "role" and value in Role.values:
            value = Role(value).label
        elif key == "kind" and value in SecurityEventKind.values:
            value = SecurityEventKind(value).label
        elif key == "kind" and value in AccountKind.values:
            value = AccountKind(value).label
        elif key == "outcome" and value in Outcome.values:
            value = Outcome(value).label
        elif isinstance(value, bool):
            value = _("是") if value else _("否")
        elif isinstance(value, list):
            value = "、".join(map(str, value))
        elif isinstance(value, dict):
            value = "，".join(f"{_policy_field_label(k)}：{v}" for k, v in value.items())
        pairs.append((str(DETAIL_LABELS.get(key, key)), str(value)))
    return pairs


def _describe(detail: dict) -> str:
    return "；".join(f"{label}：{value}" for label, value in event_details(detail))


def _page(request, form, *, status=200, report=None, error=""):
    valid = form.is_valid()
    # A filter that does not parse shows its message and no rows, rather than rows it did not ask for.
    events = selectors.security_events(form.log_filter() if valid else selectors.LogFilter())
    events = events if valid else events.none()
    per_page = (form.cleaned_data.get("page_size") or 50) if valid else 50
    page = Paginator(events, per_page).get_page(request.GET.get("page"))
    for event in page.object_list:
        event.actor = actor_label(event.user) if event.user_id else event.username
        event.details = event_details(event.detail)
        event.outcome = OUTCOME_OF_KIND.get(event.kind)
    return render(
        request, "audit/audit_log.html",
        {"page": page, "form": form, "report": report, "error": error, "active_menu": "audit",
         "query": _query_without(request, "page", "verify") if valid else ""},
        status=status,
    )


@require_GET
def audit_log(request):
    policy.require(request.user, Perm.AUDIT_VIEW, None)
    form = LogFilterForm(request.GET)
    # 校验 holds the chain to the anchors kept outside the database, as `audit-verify` does.
    report = security_log_check() if request.GET.get("verify") else None
    if report is not None:
        # Who verified the log, when and with what result, is itself in the log (等保 8.1.5.2 a).
        security_event_record(kind=SecurityEventKind.LOG_VERIFIED, user=request.user, request=request,
                              detail={"ok": report.ok, "checked": report.checked, "problem": report.problem})
    return _page(request, form, status=200 if form.is_valid() else 400, report=report)


@require_GET
def audit_export(request):
    policy.require(request.user, Perm.AUDIT_VIEW, None)
    form = LogFilterForm(request.GET)
    if not form.is_valid():
        return _page(request, form, status=400)
    try:
        out = security_log_export(events=selectors.security_events(form.log_filter()), describe=_describe,
                                  actor=request.user, request=request, filters=form.described())
    except AuditError as e:
        return _page(request, form, status=400, error=e.message)
    name = f"安全日志-{timezone.localdate():%Y%m%d}.xlsx"
    response = FileResponse(out, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = content_disposition(name, "security-log")
    return response
