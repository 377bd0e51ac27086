from django.contrib.auth.decorators import login_not_required
from django.urls import include, path, re_path

from huitoukan.api import api_not_found

# Under /api/ these answer JSON (huitoukan.api); elsewhere Django's own pages.
handler400 = "huitoukan.api.bad_request"
handler500 = "huitoukan.api.server_error"

urlpatterns = [
    path("", include("huitoukan.portal.urls")),
    path("", include("huitoukan.orgs.urls")),
    path("campaigns/", include("huitoukan.campaigns.urls")),
    path("", include("huitoukan.administration.urls")),  # roles/ and audit/
    path("ledgers/", include("huitoukan.ledgers.urls")),
    path("ledgers/", include("huitoukan.ledgers.export_urls")),
    path("ledgers/", include("huitoukan.ledgers.import_urls")),
    path("rollups/", include("huitoukan.rollups.urls")),
    path("jobs/", include("huitoukan.jobs.urls")),
    path("notifications/", include("huitoukan.notifications.urls")),
    path("plans/", include("huitoukan.plans.urls")),
    path("reviews/", include("huitoukan.reviews.urls")),
    path("supervision/", include("huitoukan.supervision.urls")),
    path("notices/", include("huitoukan.notices.urls")),
    path("assessments/", include("huitoukan.assessments.urls")),
    path("publicity/", include("huitoukan.publicity.urls")),
    path("formalism/", include("huitoukan.formalism.urls")),
    path("accountability/", include("huitoukan.accountability.urls")),
    path("rechecks/", include("huitoukan.rechecks.urls")),
    path("documents/", include("huitoukan.documents.urls")),
    # The public site (开门整改): no login, phone-first, only what an office published.
    path("gongkai/", include("huitoukan.publicity.public_urls")),
    path("api/v1/", include("huitoukan.api_urls")),
    re_path(r"^api/", login_not_required(api_not_found), name="api-not-found"),
]
