from captcha.views import captcha_image
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path, re_path
from django.views.decorators.http import require_GET

from huitoukan.access.forms import LoginForm
from huitoukan.api import api_not_found

# Under /api/ these answer JSON (huitoukan.api); elsewhere Django's own pages.
handler400 = "huitoukan.api.bad_request"
handler500 = "huitoukan.api.server_error"

urlpatterns = [
    # The login page with its captcha (access.forms.LoginForm); it comes before the portal's routes,
    # whose plain login route it replaces. The captcha image is drawn here, for anonymous visitors.
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(
            authentication_form=LoginForm,
            redirect_authenticated_user=True,
            extra_context={
                "lockout_failures": settings.AXES_FAILURE_LIMIT,
                "lockout_minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
            },
        ),
        name="login",
    ),
    path("captcha/image/<str:key>/", login_not_required(require_GET(captcha_image)), {"scale": 1},
         name="captcha-image"),
    path("", include("huitoukan.portal.urls")),
    path("", include("huitoukan.orgs.urls")),
    path("campaigns/", include("huitoukan.campaigns.urls")),
    path("", include("huitoukan.administration.urls")),  # roles/ and audit/
    path("ledgers/", include("huitoukan.ledgers.urls")),
    path("ledgers/", include("huitoukan.ledgers.export_urls")),
    path("ledgers/", include("huitoukan.ledgers.import_urls")),
    path("rollups/", include("huitoukan.rollups.urls")),
    path("jobs/", include("huitoukan.jobs.urls")),
    path("api/v1/", include("huitoukan.api_urls")),
    re_path(r"^api/", login_not_required(api_not_found), name="api-not-found"),
]
