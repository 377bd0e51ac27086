from django.apps import AppConfig


class FormalismConfig(AppConfig):
    name = "huitoukan.formalism"
    label = "formalism"
    verbose_name = "形式主义预警"

    def ready(self):
        from huitoukan.formalism import tasks  # noqa: F401 (registers the nightly scan with huey)
