"""Reading jobs: a job and its result are its requester's alone, while the requester may still read
what the job read (its kind says); anybody else gets 404."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404

from huitoukan.jobs.models import Job
from huitoukan.jobs.registry import kind_get

RECENT_JOBS = 50


def jobs_of(*, user) -> QuerySet[Job]:
    return Job.objects.filter(requester=user).order_by("-created_at")[:RECENT_JOBS]


def job_get_for(*, user, pk) -> Job:
    """The user's own job; someone else's, or none, is the same 404."""
    try:
        job = Job.objects.filter(pk=pk, requester=user).first() if user.is_authenticated else None
    except (ValidationError, ValueError):
        job = None
    if job is None:
        raise Http404
    kind = kind_get(job.kind)
    if kind is not None and kind.readable is not None and not kind.readable(user, job.params):
        raise Http404  # the requester's scope no longer covers what the job read
    return job
