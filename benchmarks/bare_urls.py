"""The benchmarks' URLs: a bare view in front of the product's, through the very same middleware.

`/__bare__/` is the reference every page is compared with: the load test's server uses these URLs
(benchmarks/load_settings.py), the in-process benchmarks `override_settings(ROOT_URLCONF=...)`.
"""

from django.http import HttpResponse
from django.urls import include, path


def bare(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("__bare__/", bare), path("", include("huitoukan.urls"))]
