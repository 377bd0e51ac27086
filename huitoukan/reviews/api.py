"""REST endpoints of 报送 and 逐级审阅. The checks are the pages': the same selectors, workflow and services."""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from huitoukan.access import policy
from huitoukan.access.policy import Perm
from huitoukan.core import sql
from huitoukan.core.api import ModelOutput, created, parse
from huitoukan.orgs import selectors as org_selectors
from huitoukan.reviews import selectors, services, workflow
from huitoukan.reviews.diff import compare
from huitoukan.reviews.models import PackageAction, PackageComment, PackageVersion, ReportState
from huitoukan.reviews.snapshot import content_of
from huitoukan.reviews.workflow import VersionSubject


class VersionSerializer(ModelOutput):
    unit_id = serializers.IntegerField(source="submission.unit_id")
    unit_full_name = serializers.CharField(source="submission.unit.full_name")
    deadline_id = serializers.IntegerField(source="submission.deadline_id")
    actions = serializers.SerializerMethodField(help_text=_("当前用户可进行的操作"))

    class Meta:
        model = PackageVersion
        fields = ("id", "number", "state", "digest", "unit_id", "unit_full_name", "deadline_id", "built_by_id",
                  "built_at", "head_approved_by_id", "head_approved_at", "group_audited_by_id", "group_audited_at",
                  "submitted_by_id", "submitted_at", "reviewer_unit_id", "decided_by_id", "decided_at",
                  "return_reason", "actions")

    def get_actions(self, version) -> list[str]:
        request = self.context.get("request")
        if request is None:
            return []
        return sorted(workflow.actions_for(request.user, VersionSubject(version)))


class VersionDetailSerializer(VersionSerializer):
    content = serializers.SerializerMethodField(help_text=_("冻结的报送内容（规范化 JSON）"))

    class Meta(VersionSerializer.Meta):
        fields = (*VersionSerializer.Meta.fields, "content")

    def get_content(self, version) -> dict:
        return content_of(version)


class CommentSerializer(ModelOutput):
    class Meta:
        model = PackageComment
        fields = ("id", "kind", "anchor", "anchor_label", "text", "author_id", "author_unit_id", "created_at")


def _deadline_and_unit(request, pk, unit_pk):
    deadline = selectors.deadline_get_for(user=request.user, pk=pk)
    unit = org_selectors.unit_get_for(user=request.user, pk=unit_pk, perm=Perm.WORK_VIEW)
    if not unit.path.startswith(deadline.campaign.owner_unit.path):
        raise Http404
    return deadline, unit


class SubmissionVersionsApi(APIView):
    @extend_schema(operation_id="reviews_versions_list", summary=_("某单位对某报送时限的各版本"),
                   responses=VersionSerializer(many=True))
    def get(self, request, pk: int, unit_pk: int):
        deadline, unit = _deadline_and_unit(request, pk, unit_pk)
        versions = selectors.versions_of(selectors.submission_of(deadline=deadline, unit=unit))
        return Response(VersionSerializer(versions, many=True, context={"request": request}).data)

    @extend_schema(operation_id="reviews_versions_build", summary=_("生成报送材料（新版本）"), request=None,
                   responses={201: VersionSerializer})
    def post(self, request, pk: int, unit_pk: int):
        deadline, unit = _deadline_and_unit(request, pk, unit_pk)
        version = services.package_build(actor=request.user, deadline=deadline, unit=unit)
        return created(VersionSerializer, version, request)


class VersionDetailApi(APIView):
    @extend_schema(operation_id="reviews_versions_retrieve", summary=_("报送材料的一个版本（含冻结内容）"),
                   responses=VersionDetailSerializer)
    def get(self, request, pk: int):
        version = selectors.version_get_for(user=request.user, pk=pk)
        return Response(VersionDetailSerializer(version, context={"request": request}).data)


class ActInputSerializer(serializers.Serializer):
    action = serializers.ChoiceField(label=_("操作"), choices=[(a, PackageAction(a).label) for a in
                                                              sorted(workflow.MOVES)])
    reason = serializers.CharField(label=_("理由"), max_length=2000, allow_blank=True, required=False, default="")


class VersionActApi(APIView):
    @extend_schema(operation_id="reviews_versions_act", summary=_("办理：审核、督导组审核、报送、撤回、审阅通过或退回"),
                   request=ActInputSerializer, responses=VersionSerializer)
    def post(self, request, pk: int):
        version = selectors.version_get_for(user=request.user, pk=pk)
        action = request.data.get("action") if isinstance(request.data, dict) else None
        if action in workflow.MOVES:  # refused before the input is judged: 403 or 404, never 400
            workflow.authorize(request.user, action, VersionSubject(version))
        data = parse(ActInputSerializer, request.data)
        version = services.package_act(actor=request.user, version=version, action=data["action"],
                                       reason=data["reason"])
        return Response(VersionSerializer(version, context={"request": request}).data)


class CommentInputSerializer(serializers.Serializer):
    text = serializers.CharField(label=_("意见"), max_length=2000)
    anchor = serializers.CharField(label=_("位置"), max_length=120, allow_blank=True, required=False, default="")


class VersionCommentsApi(APIView):
    @extend_schema(operation_id="reviews_comments_list", summary=_("版本的意见"),
                   responses=CommentSerializer(many=True))
    def get(self, request, pk: int):
        version = selectors.version_get_for(user=request.user, pk=pk)
        return Response(CommentSerializer(version.comments.all(), many=True).data)

    @extend_schema(operation_id="reviews_comments_create", summary=_("提出意见（整体或针对某一行）"),
                   request=CommentInputSerializer, responses={201: CommentSerializer})
    def post(self, request, pk: int):
        version = selectors.version_get_for(user=request.user, pk=pk)
        workflow.authorize(request.user, PackageAction.COMMENT, VersionSubject(version))
        data = parse(CommentInputSerializer, request.data)
        comment = services.package_comment(actor=request.user, version=version, text=data["text"],
                                           anchor=data["anchor"])
        return created(CommentSerializer, comment, request)


class VersionCompareApi(APIView):
    @extend_schema(operation_id="reviews_versions_compare", summary=_("两个版本的比较（新增、修改、销号、删除，逐字标出）"),
                   parameters=[OpenApiParameter("with", int, required=True, description=_("另一个版本的 id"))],
                   responses={200: dict})
    def get(self, request, pk: int):
        version = selectors.version_get_for(user=request.user, pk=pk)
        other_key = sql.key_or_none(request.query_params.get("with"))
        other = next((v for v in selectors.versions_of(version.submission) if v.pk == other_key), None)
        if other is None:
            raise Http404
        old, new = sorted((version, other), key=lambda v: v.number)
        parts = compare(content_of(old), content_of(new))
        return Response({"old": old.pk, "new": new.pk, "parts": [{
            "part": p.part, "title": p.title, "added": p.added, "changed": p.changed, "closed": p.closed,
            "removed": p.removed,
            "rows": [{"key": r.key, "label": r.label, "change": r.change, "closed": r.closed,
                      "cells": [{"key": c.key, "heading": c.heading,
                                 "segments": [{"op": s.op, "text": s.text} for s in c.segments]} for c in r.cells]}
                     for r in p.rows if r.change != "unchanged"]} for p in parts]})


def _tally(t) -> dict:
    return {"key": t.key, "label": t.label, "expected": t.expected, "submitted": t.submitted, "on_time": t.on_time,
            "late": t.late, "waiting": t.waiting, "returned": t.returned, "approved": t.approved,
            "not_submitted": t.not_submitted, "rate": round(t.rate, 4)}


PER_PAGE = 200


class DeadlineStatusApi(APIView):
    @extend_schema(operation_id="reviews_status", summary=_("报送情况：应报单位及其状态、分组统计"),
                   parameters=[OpenApiParameter("unit", int, description=_("范围单位（默认为活动组织单位）")),
                               OpenApiParameter("state", str, enum=ReportState.values),
                               OpenApiParameter("page", int, description=_("单位列表的页码（每页200个）"))],
                   responses={200: dict})
    def get(self, request, pk: int):
        deadline = selectors.deadline_get_for(user=request.user, pk=pk)
        within = selectors.status_root_for(user=request.user, deadline=deadline,
                                           unit_pk=request.query_params.get("unit"))
        state = request.query_params.get("state", "")
        page = request.query_params.get("page", "")
        status = selectors.reporting_status(user=request.user, deadline=deadline, within=within,
                                            state=state if state in ReportState.values else "",
                                            page=int(page) if page.isdigit() else 1, per_page=PER_PAGE)
        rows = status.rows
        return Response({
            "deadline": deadline.pk, "due_on": deadline.due_on, "within": within.pk, "total": _tally(status.total),
            "by_level": [_tally(t) for t in status.by_level], "by_kind": [_tally(t) for t in status.by_kind],
            "by_batch": [_tally(t) for t in status.by_batch],
            "children": [{"unit": child.pk, **_tally(t)} for child, t in status.children],
            "page": status.page, "pages": status.pages, "count": status.shown,
            "units": [{"unit": r.unit.pk, "full_name": r.unit.full_name, "state": r.state, "on_time": r.on_time,
                       "versions": r.versions, "version": r.version_id, "first_submitted_at": r.first_submitted_at,
                       "last_submitted_at": r.last_submitted_at} for r in rows]})


class ReviewQueueApi(APIView):
    @extend_schema(operation_id="reviews_queue", summary=_("待我处理的报送材料"), responses=VersionSerializer(many=True))
    def get(self, request):
        policy.require_somewhere(request.user, Perm.WORK_VIEW)
        return Response(VersionSerializer(selectors.waiting_for(user=request.user), many=True,
                                          context={"request": request}).data)


# (route under /api/v1/, view class, name)
ENDPOINTS: list = [
    ("deadlines/<int:pk>/status/", DeadlineStatusApi, "api-deadline-status"),
    ("deadlines/<int:pk>/units/<int:unit_pk>/versions/", SubmissionVersionsApi, "api-submission-versions"),
    ("package-versions/<int:pk>/", VersionDetailApi, "api-package-version"),
    ("package-versions/<int:pk>/act/", VersionActApi, "api-package-version-act"),
    ("package-versions/<int:pk>/comments/", VersionCommentsApi, "api-package-version-comments"),
    ("package-versions/<int:pk>/compare/", VersionCompareApi, "api-package-version-compare"),
    ("review-queue/", ReviewQueueApi, "api-review-queue"),
]
