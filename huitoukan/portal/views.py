from pathlib import Path

from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from huitoukan.portal.selectors import home_panels


@require_GET
def home(request):
    return render(request, "portal/home.html", {"panels": home_panels(user=request.user), "active_menu": "home"})


@login_not_required
def healthz(request):
    return HttpResponse("ok", content_type="text/plain")


FAVICON = (Path(__file__).resolve().parent.parent / "static" / "huitoukan" / "favicon.svg").read_bytes()


@login_not_required
@require_GET
def favicon(request):
    """/favicon.ico, which browsers ask for by themselves: the site's icon (回 in a square), cached for a day."""
    response = HttpResponse(FAVICON, content_type="image/svg+xml")
    response["Cache-Control"] = "public, max-age=86400"
    return response
