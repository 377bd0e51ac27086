from django.apps import AppConfig


class PublicityConfig(AppConfig):
    name = "huitoukan.publicity"
    label = "publicity"
    verbose_name = "开门整改"
