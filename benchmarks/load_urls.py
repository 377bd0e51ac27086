"""The load test's URLs: a bare view in front of the product's (see benchmarks/load_settings.py)."""

from django.http import HttpResponse
from django.urls import include, path


def bare(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("__bare__/", bare), path("", include("huitoukan.urls"))]
