from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "huitoukan.supervision"
    label = "supervision"
