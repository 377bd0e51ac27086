from django.apps import AppConfig


class RechecksConfig(AppConfig):
    name = "huitoukan.rechecks"
    label = "rechecks"
    verbose_name = "回头看复查"

    def ready(self):
        from huitoukan.core import hooks
        from huitoukan.ledgers.panels import ITEM_PAGE
        from huitoukan.rechecks import tasks  # noqa: F401 (the nightly planning and reminders)
        from huitoukan.rechecks.panels import item_rechecks_panel
        from huitoukan.rechecks.services import items_changed

        # An item closed (销号) gets its rechecks, one reopened loses its pending ones, in the write's transaction.
        hooks.listen(hooks.ITEMS_CHANGED, items_changed)
        ITEM_PAGE.register("rechecks.item", template="rechecks/_item_panel.html", context=item_rechecks_panel,
                           order=45)
