from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "huitoukan.portal"
    label = "portal"
