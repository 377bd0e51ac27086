from captcha.views import captcha_image
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.decorators.http import require_GET

from huitoukan.access import lockout
from huitoukan.access.forms import LoginForm
from huitoukan.portal import views
from huitoukan.twofactor.middleware import second_factor_exempt

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("favicon.ico", views.favicon, name="favicon"),
    path(
        "accounts/login/",
        # With a captcha once the account has failed twice (access.forms.LoginForm).
        auth_views.LoginView.as_view(
            authentication_form=LoginForm,
            redirect_authenticated_user=True,
            extra_context={
                "lockout_failures": lockout.SHOWN_FAILURE_LIMIT,
                "lockout_minutes": lockout.SHOWN_LOCKOUT_MINUTES,
            },
        ),
        name="login",
    ),
    # A login half signed in (its second factor still to come) may sign out.
    path("accounts/logout/", second_factor_exempt(auth_views.LogoutView.as_view()), name="logout"),
    # The captcha's image, drawn by the server for the login page's anonymous visitors.
    path("captcha/image/<str:key>/", login_not_required(require_GET(captcha_image)), {"scale": 1},
         name="captcha-image"),
    # The second factor after the password: its code, its enrolment, the login's devices, the reset.
    path("", include("huitoukan.twofactor.urls")),
]
