from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "huitoukan.audit"
    label = "audit"

    def ready(self):
        from huitoukan.audit import receivers  # noqa: F401  (connects the auth signals)
