from django.apps import AppConfig


class SupervisionConfig(AppConfig):
    name = "huitoukan.supervision"
    label = "supervision"

    def ready(self):
        from huitoukan.orgs.totals import work_own_register
        from huitoukan.supervision.selectors import findings_own

        work_own_register("supervision.findings", findings_own)
