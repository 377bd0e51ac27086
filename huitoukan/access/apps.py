from django.apps import AppConfig


class AccessConfig(AppConfig):
    name = "huitoukan.access"
    label = "access"

    def ready(self):
        from huitoukan.access import checks, receivers  # noqa: F401  (registers the system checks and receivers)
