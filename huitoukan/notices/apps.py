from django.apps import AppConfig


class NoticesConfig(AppConfig):
    name = "huitoukan.notices"
    label = "notices"
    verbose_name = "督办通知单"
