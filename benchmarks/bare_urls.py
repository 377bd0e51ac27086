"""The benchmarks' URLs: a bare view in front of the product's, through the very same middleware.

`/__bare__/` is the reference every page is compared with: the load test's server uses these URLs
(benchmarks/load_settings.py), the in-process benchmarks `override_settings(ROOT_URLCONF=...)`.
"""

from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.urls import include, path


def bare(request):
    return HttpResponse("ok", content_type="text/plain")


# The reference of the public site's pages: the same bare view, open without a login as they are.
urlpatterns = [path("__bare__/", bare), path("__bare_public__/", login_not_required(bare)),
               path("", include("huitoukan.urls"))]
