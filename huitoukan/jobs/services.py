"""Start, run and recover durable jobs. The one runner for the web (through huey) and the CLI.

A run claims the job with a conditional UPDATE (state queued → running, a fresh token), so two
workers never run it at once; the kind writes its result to a temporary file, which is fsynced
and renamed into place before the job is marked done (again conditional on the token). A
worker killed at any point leaves either no result or a complete one, never a partial file
under the result's name; `jobs_requeue_stale` puts a job whose heartbeat stopped back in the
queue, and the next attempt removes what the dead one left and starts over.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import os
import secrets
import time
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.http import Http404
from django.utils import timezone

from huitoukan.core.errors import DomainError
from huitoukan.core.files import fsync_folder
from huitoukan.jobs.errors import JobError, JobErrorCode
from huitoukan.jobs.models import Job, JobState
from huitoukan.jobs.registry import JobOutcome, kind_get

logger = logging.getLogger(__name__)

# How often a running job writes its progress (and so its heartbeat) at most.
PROGRESS_INTERVAL_SECONDS = 0.5
_COPY_CHUNK = 1024 * 1024

Echo = Callable[[int, int, str], None]


class JobLost(Exception):
    """Another attempt holds the job now (this one was taken for dead): stop, keep nothing."""


class JobContext:
    """What a kind's function sees: the job's parameters, its requester, where to write, and
    `progress()` to say how far it got."""

    def __init__(self, job: Job, token: str, output: Path, echo: Echo | None = None):
        self.job = job
        self.token = token
        self.output = output
        self._echo = echo
        self._written_at = 0.0
        self._done = 0
        self._total = 0
        self._stage = ""

    @property
    def params(self) -> dict:
        return self.job.params

    @property
    def requester(self):
        return self.job.requester

    def progress(self, done: int, total: int | None = None, stage: str | None = None) -> None:
        """Record progress; written at most every PROGRESS_INTERVAL_SECONDS (and at the end)."""
        self._done = done
        if total is not None:
            self._total = total
        if stage is not None:
            self._stage = str(stage)
        if self._echo is not None:
            self._echo(self._done, self._total, self._stage)
        now = time.monotonic()
        if now - self._written_at < PROGRESS_INTERVAL_SECONDS and self._done < self._total:
            return
        self._written_at = now
        written = Job.objects.filter(pk=self.job.pk, claim=self.token, state=JobState.RUNNING).update(
            progress_done=self._done, progress_total=self._total, stage=self._stage[:200],
            heartbeat_at=timezone.now())
        if not written:
            raise JobLost


def jobs_dir() -> Path:
    return Path(settings.JOBS_DIR)


def job_folder(job: Job) -> Path:
    return jobs_dir() / str(job.pk)


def job_result_path(job: Job) -> Path | None:
    if job.state != JobState.DONE or not job.result_file:
        return None
    return jobs_dir() / job.result_file


def job_start(*, kind: str, title: str, params: dict, requester, queue: bool = True) -> Job:
    """A new job row; with `queue`, handed to huey once the transaction commits."""
    if kind_get(kind) is None:
        raise JobError(JobErrorCode.UNKNOWN_KIND, kind=kind)
    job = Job.objects.create(kind=kind, title=title[:300], params=params, requester=requester,
                             stage=str(_queued_stage()))
    if queue:
        job_pk = str(job.pk)
        transaction.on_commit(lambda: _enqueue(job_pk))
    return job


def _queued_stage():
    from django.utils.translation import gettext_lazy as _

    return _("等待执行")


def _enqueue(job_pk: str) -> None:
    # Imported here: the task module imports this one.
    from huitoukan.jobs.tasks import run_job

    run_job(job_pk)


def _claim(job_pk) -> tuple[Job | None, str | None]:
    token = secrets.token_hex(16)
    now = timezone.now()
    claimed = Job.objects.filter(pk=job_pk, state=JobState.QUEUED).update(
        state=JobState.RUNNING, claim=token, attempts=F("attempts") + 1, started_at=now, heartbeat_at=now,
        progress_done=0, progress_total=0, error="")
    job = Job.objects.select_related("requester").filter(pk=job_pk).first()
    return job, (token if claimed else None)


def _fail(job: Job, token: str, message: str) -> None:
    Job.objects.filter(pk=job.pk, claim=token).update(
        state=JobState.FAILED, error=message, finished_at=timezone.now(), claim="")


def _fsync_and_digest(path: Path) -> tuple[int, str]:
    digest = hashlib.sha256()
    size = 0
    with open(path, "rb+") as f:
        while chunk := f.read(_COPY_CHUNK):
            digest.update(chunk)
            size += len(chunk)
        os.fsync(f.fileno())
    return size, digest.hexdigest()


def _put_in_place(job: Job, token: str, output: Path, outcome: JobOutcome) -> None:
    if not outcome.filename:  # a job without a file: done, with its summary
        done = Job.objects.filter(pk=job.pk, claim=token, state=JobState.RUNNING).update(
            state=JobState.DONE, finished_at=timezone.now(), claim="", stage=outcome.summary[:200],
            result_rows=outcome.rows, progress_done=F("progress_total"))
        if not done:
            raise JobLost
        return
    size, sha256 = _fsync_and_digest(output)
    target = output.with_name("result" + Path(outcome.filename).suffix)
    os.replace(output, target)
    fsync_folder(target.parent)
    done = Job.objects.filter(pk=job.pk, claim=token, state=JobState.RUNNING).update(
        state=JobState.DONE, finished_at=timezone.now(), claim="",
        result_name=outcome.filename[:255], result_file=str(target.relative_to(jobs_dir())),
        result_content_type=outcome.content_type, result_size=size, result_sha256=sha256,
        result_rows=outcome.rows, progress_done=F("progress_total"), stage=outcome.summary[:200])
    if not done:
        # Taken over meanwhile: the other attempt writes the same file under the same name.
        raise JobLost


def job_run(job_pk, *, echo: Echo | None = None) -> Job | None:
    """Claim the job and carry it out; a job already running elsewhere or finished is left alone.

    Returns the job as it stands afterwards (None if there is no such job).
    """
    job, token = _claim(job_pk)
    if job is None or token is None:
        return job
    if job.attempts > settings.JOB_MAX_ATTEMPTS:
        _fail(job, token, str(JobErrorCode.INTERRUPTED.value % {"attempts": job.attempts - 1}))
        return Job.objects.get(pk=job.pk)
    kind = kind_get(job.kind)
    if kind is None:
        _fail(job, token, JobError(JobErrorCode.UNKNOWN_KIND, kind=job.kind).message)
        return Job.objects.get(pk=job.pk)

    folder = job_folder(job)
    folder.mkdir(parents=True, exist_ok=True)
    for left in folder.glob("*.part"):  # what a dead attempt was writing
        left.unlink(missing_ok=True)
    output = folder / f"{token}.part"
    context = JobContext(job, token, output, echo)
    try:
        outcome = kind.run(context)
        _put_in_place(job, token, output, outcome)
    except JobLost:
        logger.warning("job %s: taken over by another attempt; this one stops", job.pk)
    except DomainError as e:
        _fail(job, token, e.message)
    except Http404:
        _fail(job, token, str(JobErrorCode.NOT_FOUND.value))
    except Exception:
        logger.exception("job %s (%s) failed", job.pk, job.kind)
        _fail(job, token, str(JobErrorCode.FAILED.value))
    finally:
        output.unlink(missing_ok=True)
    return Job.objects.select_related("requester").get(pk=job.pk)


def jobs_requeue_stale(*, now: dt.datetime | None = None) -> int:
    """Queue again the running jobs whose heartbeat stopped (their worker died), and the queued
    ones never picked up (their queue message was lost); give up after JOB_MAX_ATTEMPTS.

    Run every minute by a periodic task, and by `huitoukan jobs --requeue`. Returns how many
    jobs were queued again.
    """
    now = now or timezone.now()
    cutoff = now - dt.timedelta(seconds=settings.JOB_STALE_SECONDS)
    requeued = []
    stale = Job.objects.filter(state=JobState.RUNNING, heartbeat_at__lt=cutoff)
    for pk, attempts in stale.values_list("pk", "attempts"):
        still_stale = Job.objects.filter(pk=pk, state=JobState.RUNNING, heartbeat_at__lt=cutoff)
        if attempts >= settings.JOB_MAX_ATTEMPTS:
            still_stale.update(state=JobState.FAILED, claim="", finished_at=now,
                               error=str(JobErrorCode.INTERRUPTED.value % {"attempts": attempts}))
        elif still_stale.update(state=JobState.QUEUED, claim="", heartbeat_at=None, stage=str(_queued_stage())):
            requeued.append(str(pk))
    # Queued long ago and never claimed: queue the message again (a claim runs it once only).
    requeued += [str(pk) for pk in Job.objects.filter(state=JobState.QUEUED, created_at__lt=cutoff)
                 .exclude(pk__in=requeued).values_list("pk", flat=True)]
    for pk in requeued:
        transaction.on_commit(lambda pk=pk: _enqueue(pk))
    return len(requeued)
