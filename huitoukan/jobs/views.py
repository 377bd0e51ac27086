"""A user's own jobs: the list, one job with its progress bar (polled by htmx), and its result.

Someone else's job answers 404, like a job that does not exist; every download of a result is
recorded in the security log.
"""

from __future__ import annotations

from django.http import FileResponse, Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from huitoukan.audit.models import SecurityEventKind
from huitoukan.audit.services import security_event_record
from huitoukan.core.http import content_disposition
from huitoukan.jobs import selectors
from huitoukan.jobs.services import job_result_path


@require_GET
def job_list(request):
    return render(request, "jobs/job_list.html", {"jobs": selectors.jobs_of(user=request.user), "active_menu": "jobs"})


@require_GET
def job_detail(request, pk):
    job = selectors.job_get_for(user=request.user, pk=pk)
    template = "jobs/_job_progress.html" if request.htmx else "jobs/job_detail.html"
    return render(request, template, {"job": job, "active_menu": "jobs"})


@require_GET
def job_download(request, pk):
    job = selectors.job_get_for(user=request.user, pk=pk)
    path = job_result_path(job)
    if path is None or not path.is_file():
        raise Http404
    security_event_record(
        kind=SecurityEventKind.EXPORT, user=request.user, username=request.user.get_username(), request=request,
        detail={"what": "job", "job": str(job.pk), "kind": job.kind, "title": job.title, "rows": job.result_rows,
                "sha256": job.result_sha256} | {k: v for k, v in job.params.items() if k != "user"},
    )
    response = FileResponse(open(path, "rb"), content_type=job.result_content_type)  # noqa: SIM115 (closed by Django)
    response["Content-Disposition"] = content_disposition(job.result_name, ascii_stem="export")
    return response
