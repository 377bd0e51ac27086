from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "huitoukan.plans"
    label = "plans"

    def ready(self):
        from huitoukan.orgs.panels import unit_panel_register
        from huitoukan.plans.panels import unit_plans_panel

        unit_panel_register("plans.unit-plans", template="plans/_unit_panel.html", context=unit_plans_panel,
                            order=20)
