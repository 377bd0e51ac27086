from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "huitoukan.plans"
    label = "plans"
