from django.apps import AppConfig


class RollupsConfig(AppConfig):
    name = "huitoukan.rollups"
    label = "rollups"
