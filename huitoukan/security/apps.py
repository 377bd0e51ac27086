from django.apps import AppConfig


class SecurityConfig(AppConfig):
    name = "huitoukan.security"
    label = "security"
    verbose_name = "安全策略"

    def ready(self):
        from huitoukan.security import receivers  # noqa: F401  (connects the first password's record)
