"""What signing out of the web ends besides the session."""

from django.contrib.auth.signals import user_logged_out
from django.dispatch import receiver

from huitoukan.access import services
from huitoukan.access.middleware import TIMED_OUT_ATTR


@receiver(user_logged_out)
def _api_token_ends_with_the_sign_out(sender, request, user, **kwargs):
    # A user who signs out expects to be signed out everywhere. A session the idle or absolute
    # timeout ended is not that: the token has its own lifetime, and a script using it goes on.
    if user is not None and not getattr(request, TIMED_OUT_ATTR, False):
        services.api_tokens_end(user=user)
