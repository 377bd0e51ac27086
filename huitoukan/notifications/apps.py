from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "huitoukan.notifications"
    label = "notifications"
