from django.apps import AppConfig


class NoticesConfig(AppConfig):
    name = "huitoukan.notices"
    label = "notices"
    verbose_name = "督办通知单"

    def ready(self):
        from huitoukan.notices import escalation  # noqa: F401 (registers the escalation's job kind)
