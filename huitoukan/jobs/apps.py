from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "huitoukan.jobs"
    label = "jobs"
