from django.apps import AppConfig


class FormalismConfig(AppConfig):
    name = "huitoukan.formalism"
    label = "formalism"
    verbose_name = "形式主义预警"
