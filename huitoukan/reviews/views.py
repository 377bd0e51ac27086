"""Pages of 报送 and 逐级审阅: what waits for me, a deadline's reporting status, a unit's versions, one version
with its actions and comments, two versions side by side."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from huitoukan.access import policy
from huitoukan.access.policy import Perm
from huitoukan.campaigns import selectors as campaign_selectors
from huitoukan.core import asof, sql
from huitoukan.core.errors import DomainError
from huitoukan.core.http import content_disposition, refusal
from huitoukan.orgs import selectors as org_selectors
from huitoukan.reviews import exports, markup, selectors, services, workflow
from huitoukan.reviews.diff import compare
from huitoukan.reviews.forms import ActForm, CommentForm
from huitoukan.reviews.models import PackageAction, PackageState, PackageVersion, ReportState
from huitoukan.reviews.snapshot import anchors, content_of, rows_of
from huitoukan.reviews.workflow import VersionSubject

MENU = "reviews"
STATUS_PAGE = 20  # units per page of the 报送情况 (RuoYi's default page size: the tallies above count them all)
DONE = {
    PackageAction.HEAD_APPROVE: _("已审核通过。"),
    PackageAction.HEAD_RETURN: _("已退回本单位活动办修改。"),
    PackageAction.GROUP_AUDIT: _("督导组已审核通过。"),
    PackageAction.GROUP_RETURN: _("督导组已退回。"),
    PackageAction.SUBMIT: _("已报送上级。"),
    PackageAction.WITHDRAW: _("已撤回。"),
    PackageAction.APPROVE: _("已审阅通过。"),
    PackageAction.RETURN: _("已退回报送单位。"),
}


@require_GET
def review_index(request):
    """报送审阅: what waits for the reader, and the deadlines of the campaigns they see."""
    policy.require_somewhere(request.user, Perm.WORK_VIEW)
    today = timezone.localdate()
    deadlines = campaign_selectors.deadlines_for_user(user=request.user, today=today, limit=50)
    return render(request, "reviews/index.html", {
        "waiting": selectors.waiting_for(user=request.user), "deadlines": deadlines, "today": today,
        "active_menu": MENU})


def _page_number(value) -> int:
    return int(value) if value and str(value).isdigit() else 1


@require_GET
def deadline_status(request, pk):
    """报送情况 of one deadline in a part of the tree: who is expected, who has reported, on time or late."""
    deadline = selectors.deadline_get_for(user=request.user, pk=pk)
    within = selectors.status_root_for(user=request.user, deadline=deadline, unit_pk=request.GET.get("unit"))
    shown = request.GET.get("state", "")
    as_of, error = None, None
    if "as_of" in request.GET:  # as it stood when a past day ended (reviews.past); a bad day: today's, and why
        try:
            as_of = asof.day_parse(request.GET["as_of"])
        except asof.DayError as refused:
            error = str(refused)
    status = selectors.reporting_status(user=request.user, deadline=deadline, within=within,
                                        state=shown if shown in ReportState.values else "",
                                        page=_page_number(request.GET.get("page")), per_page=STATUS_PAGE,
                                        as_of=as_of)
    return render(request, "reviews/status.html", {
        "deadline": deadline, "status": status, "unit_rows": markup.unit_rows(status),
        "as_of_error": error, "as_of_text": request.GET.get("as_of", ""), "today": timezone.localdate(),
        "as_of_param": f"&as_of={as_of:%Y-%m-%d}" if as_of else "",
        "child_rows": markup.child_rows(status), "level_rows": markup.tally_rows(status.by_level),
        "kind_rows": markup.tally_rows(status.by_kind), "batch_rows": markup.tally_rows(status.by_batch),
        "shown": status.state,
        "states": ReportState.choices,
        "own_units": selectors.own_expected_units(user=request.user, deadline=deadline, fresh=True),
        "roots": selectors.status_roots(user=request.user, deadline=deadline), "active_menu": MENU},
        status=400 if error else 200)


@require_GET
def deadline_status_export(request, pk):
    """报送情况 as xlsx; with ?as_of=, as it stood when that day ended, the day in its header and file name."""
    deadline = selectors.deadline_get_for(user=request.user, pk=pk)
    within = selectors.status_root_for(user=request.user, deadline=deadline, unit_pk=request.GET.get("unit"))
    as_of = None
    if "as_of" in request.GET:
        try:
            as_of = asof.day_parse(request.GET["as_of"])
        except asof.DayError as refused:
            return refusal(str(refused))
    status = selectors.reporting_status(user=request.user, deadline=deadline, within=within, per_page=None,
                                        as_of=as_of)
    response = HttpResponse(exports.status_xlsx(status, user=request.user, request=request),
                            content_type=exports.XLSX)
    response["Content-Disposition"] = content_disposition(exports.status_filename(status), ascii_stem="status")
    return response


def _unit_of(request, deadline, unit_pk):
    unit = org_selectors.unit_get_for(user=request.user, pk=unit_pk, perm=Perm.WORK_VIEW)
    if not unit.path.startswith(deadline.campaign.owner_unit.path):
        raise Http404
    return unit


@require_GET
def submission_page(request, pk, unit_pk):
    """One unit's 报送 for a deadline: its versions, and building a new one."""
    deadline = selectors.deadline_get_for(user=request.user, pk=pk)
    unit = _unit_of(request, deadline, unit_pk)
    submission = selectors.submission_of(deadline=deadline, unit=unit)
    versions = selectors.versions_of(submission)
    with_previous = [(v, versions[i + 1] if i + 1 < len(versions) else None) for i, v in enumerate(versions)]
    return render(request, "reviews/submission.html", {
        "deadline": deadline, "unit": unit, "submission": submission, "versions": with_previous,
        "may_build": selectors.may_build(user=request.user, deadline=deadline, unit=unit, submission=submission),
        "active_menu": MENU})


@require_POST
def package_build(request, pk, unit_pk):
    deadline = selectors.deadline_get_for(user=request.user, pk=pk)
    unit = _unit_of(request, deadline, unit_pk)
    try:
        version = services.package_build(actor=request.user, deadline=deadline, unit=unit)
    except DomainError as e:
        messages.error(request, e.message)
        return redirect("review-submission", deadline.pk, unit.pk)
    messages.success(request, _("已生成第%(number)s版报送材料，请本单位主要负责同志审核。") % {"number": version.number})
    return redirect("review-version", version.pk)


def _comment_rows(content: dict, comments) -> dict[str, list]:
    by_anchor: dict[str, list] = {}
    for comment in comments:
        by_anchor.setdefault(comment.anchor, []).append(comment)
    return by_anchor


@require_GET
def version_detail(request, pk):
    """One frozen version: its content, where it stands, its comments, and what the reader may do."""
    version = selectors.version_get_for(user=request.user, pk=pk)
    return _version_page(request, version)


def _version_page(request, version: PackageVersion, *, act_form=None, comment_form=None, status=200):
    subject = VersionSubject(version)
    actions = workflow.actions_for(request.user, subject)
    content = content_of(version)
    comments = list(version.comments.select_related("author__person", "author_unit"))
    by_anchor = _comment_rows(content, comments)
    parts = []
    for part in content["parts"]:
        rows = [(row, by_anchor.get(f"{part['part']}#{row['key']}", [])) for row in rows_of(part)]
        parts.append((part, rows))
    siblings = [v for v in selectors.versions_of(version.submission) if v.pk != version.pk]
    return render(request, "reviews/version.html", {
        "version": version, "submission": version.submission, "deadline": version.submission.deadline,
        "unit": version.submission.unit, "parts": parts, "general_comments": by_anchor.get("", []),
        "comment_count": len(comments), "actions": actions, "anchors": anchors(content),
        "may_comment": PackageAction.COMMENT in actions, "reason_actions": sorted(workflow.NEEDS_REASON & actions),
        "plain_actions": sorted((actions & workflow.MOVES) - workflow.NEEDS_REASON),
        "action_labels": dict(PackageAction.choices), "events": version.events.select_related("actor__person", "unit"),
        "siblings": siblings, "act_form": act_form or ActForm(), "comment_form": comment_form or CommentForm(),
        "states": PackageState, "active_menu": MENU}, status=status)


@require_POST
def version_act(request, pk):
    version = selectors.version_get_for(user=request.user, pk=pk)
    action = request.POST.get("action", "")
    if action in workflow.MOVES:
        # Refused before the input is read: 403 in the reader's scope, 404 outside it.
        workflow.authorize(request.user, action, VersionSubject(version))
    form = ActForm(request.POST)
    if form.is_valid():
        try:
            services.package_act(actor=request.user, version=version, action=form.cleaned_data["action"],
                                 reason=form.cleaned_data["reason"])
        except DomainError as e:
            form.add_error(None, e.message)
        else:
            messages.success(request, DONE[form.cleaned_data["action"]])
            return redirect("review-version", version.pk)
    return _version_page(request, version, act_form=form)


@require_POST
def version_comment(request, pk):
    version = selectors.version_get_for(user=request.user, pk=pk)
    workflow.authorize(request.user, PackageAction.COMMENT, VersionSubject(version))
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            services.package_comment(actor=request.user, version=version, text=form.cleaned_data["text"],
                                     anchor=form.cleaned_data["anchor"])
        except DomainError as e:
            form.add_error(None, e.message)
        else:
            messages.success(request, _("意见已提出。"))
            return redirect("review-version", version.pk)
    return _version_page(request, version, comment_form=form)


@require_GET
def version_compare(request, pk):
    """Two versions of one unit's package side by side: what was added, changed, closed or removed."""
    version = selectors.version_get_for(user=request.user, pk=pk)
    other_key = sql.key_or_none(request.GET.get("with"))
    other = next((v for v in selectors.versions_of(version.submission) if v.pk == other_key), None)
    if other is None or other.pk == version.pk:
        raise Http404
    old, new = sorted((version, other), key=lambda v: v.number)
    parts = compare(content_of(old), content_of(new))
    return render(request, "reviews/compare.html", {
        "old": old, "new": new, "parts": parts, "unit": version.submission.unit,
        "deadline": version.submission.deadline, "active_menu": MENU})
