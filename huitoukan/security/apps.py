from django.apps import AppConfig


class SecurityConfig(AppConfig):
    name = "huitoukan.security"
    label = "security"
    verbose_name = "安全策略"
