"""The ground floor's one page: a bulk job's progress (core.bulk), polled by htmx."""

from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from . import bulk


@require_GET
def bulk_job(request, pk: int):
    """The progress of a job the viewer started (404 for anyone else's, as for none)."""
    job = bulk.job_for(request.user, pk)
    if job is None:
        raise Http404("No such job.")
    return render(request, "core/_bulk_job.html", {"job": job})
