"""A new login's first password goes into its history too (`create_user` saves a hash without the
`password_changed` call a later `set_password` gets)."""

from django.conf import settings
from django.db.models.signals import post_save
from django.dispatch import receiver

from huitoukan.security.services import password_record


@receiver(post_save, sender=settings.AUTH_USER_MODEL, dispatch_uid="security_first_password")
def first_password_recorded(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        password_record(instance)
