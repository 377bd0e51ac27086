from django.apps import AppConfig


class LedgersConfig(AppConfig):
    name = "huitoukan.ledgers"
    label = "ledgers"

    def ready(self):
        from huitoukan.ledgers.panels import item_counts_panel
        from huitoukan.orgs.panels import unit_panel_register

        unit_panel_register(
            "ledgers.item-counts", template="ledgers/_unit_panel.html", context=item_counts_panel, order=10
        )
