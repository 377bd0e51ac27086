from django.apps import AppConfig


class AccountabilityConfig(AppConfig):
    name = "huitoukan.accountability"
    label = "accountability"
    verbose_name = "责任追究与考核"
