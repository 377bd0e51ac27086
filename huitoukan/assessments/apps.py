from django.apps import AppConfig


class AssessmentsConfig(AppConfig):
    name = "huitoukan.assessments"
    label = "assessments"
    verbose_name = "分析研判和评估验收"

    def ready(self):
        from huitoukan.assessments.selectors import counts_own
        from huitoukan.orgs.totals import work_own_register

        work_own_register("assessments", counts_own)
