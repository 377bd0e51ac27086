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
