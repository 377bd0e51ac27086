from django.apps import AppConfig


class TwofactorConfig(AppConfig):
    name = "huitoukan.twofactor"
    label = "twofactor"
    verbose_name = "二次验证"
