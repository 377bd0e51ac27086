from django.apps import AppConfig


class LedgersConfig(AppConfig):
    name = "huitoukan.ledgers"
    label = "ledgers"
