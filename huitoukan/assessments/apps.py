from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "huitoukan.assessments"
    label = "assessments"
    verbose_name = "分析研判和评估验收"
