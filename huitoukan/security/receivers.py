"""A new login's first password goes into its history too (`create_user` saves a hash without the
`password_changed` call a later `set_password` gets); a session keeps the address it signed in from."""

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import post_save
from django.dispatch import receiver

from huitoukan.audit.services import client_ip
from huitoukan.security.selectors import SESSION_ADDRESS_KEY
from huitoukan.security.services import password_record


@receiver(post_save, sender=settings.AUTH_USER_MODEL, dispatch_uid="security_first_password")
def first_password_recorded(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        password_record(instance)


@receiver(user_logged_in, dispatch_uid="security_session_address")
def session_address_kept(sender, request, user, **kwargs):
    """For the 安全管理员's list of sessions (a sign-in for an API token opens no session)."""
    session = getattr(request, "session", None)
    if session is not None and SESSION_KEY in session:
        session[SESSION_ADDRESS_KEY] = client_ip(request)
