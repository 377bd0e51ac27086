"""Durable jobs: long work (subtree exports, large imports, rebuilds) as a row with its state.

huey only carries the job's id; the row says what to do, how far it got and where its result
is. A job is claimed by one attempt at a time (a random token written with a conditional
UPDATE), keeps a heartbeat while it runs, and is put back in the queue when its heartbeat goes
stale (its worker died), so it finishes exactly once.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class JobState(models.TextChoices):
    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("进行中")
    DONE = "done", _("已完成")
    FAILED = "failed", _("失败")


class Job(models.Model):
    # A UUID: a job's address reveals nothing about how many others there are.
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("任务类型"), max_length=60)
    title = models.CharField(_("任务"), max_length=300)
    params = models.JSONField(_("参数"), default=dict)
    # None: started from the command line; its result is written where the command says.
    requester = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                  related_name="+", verbose_name=_("发起人"))
    state = models.CharField(_("状态"), max_length=10, choices=JobState.choices, default=JobState.QUEUED)
    progress_done = models.PositiveBigIntegerField(_("已完成"), default=0)
    progress_total = models.PositiveBigIntegerField(_("总量"), default=0)
    stage = models.CharField(_("当前步骤"), max_length=200, blank=True)
    attempts = models.PositiveSmallIntegerField(_("执行次数"), default=0)
    claim = models.CharField(max_length=32, blank=True)  # the token of the attempt that holds the job
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(_("提交时间"), auto_now_add=True)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)
    result_name = models.CharField(_("结果文件"), max_length=255, blank=True)
    result_file = models.CharField(max_length=255, blank=True)  # relative to settings.JOBS_DIR
    result_content_type = models.CharField(max_length=120, blank=True)
    result_size = models.PositiveBigIntegerField(null=True, blank=True)
    result_sha256 = models.CharField(max_length=64, blank=True)
    result_rows = models.PositiveBigIntegerField(_("行数"), null=True, blank=True)
    error = models.TextField(_("错误"), blank=True)

    class Meta:
        verbose_name = _("后台任务")
        verbose_name_plural = _("后台任务")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["requester", "-created_at"], name="job_requester_idx"),
            models.Index(fields=["state", "heartbeat_at"], name="job_state_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.title}（{self.get_state_display()}）"

    @property
    def finished(self) -> bool:
        return self.state in (JobState.DONE, JobState.FAILED)

    @property
    def percent(self) -> int:
        if self.state == JobState.DONE:
            return 100
        if not self.progress_total:
            return 0
        return min(99, self.progress_done * 100 // self.progress_total)
