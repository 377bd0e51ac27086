from django.apps import AppConfig


class LedgersConfig(AppConfig):
    name = "huitoukan.ledgers"
    label = "ledgers"

    def ready(self):
        from huitoukan.ledgers import jobs  # noqa: F401 (registers the ledgers' job kinds)
        from huitoukan.ledgers.panels import item_counts_panel
        from huitoukan.orgs.panels import unit_panel_register
        from huitoukan.orgs.signals import unit_level_changed, unit_moved

        unit_moved.connect(_totals_follow_the_move, dispatch_uid="ledgers.totals")
        unit_level_changed.connect(_totals_follow_the_level, dispatch_uid="ledgers.totals")

        unit_panel_register(
            "ledgers.item-counts", template="ledgers/_unit_panel.html", context=item_counts_panel, order=10
        )
        from huitoukan.ledgers.linkage_views import item_panel
        from huitoukan.ledgers.panels import ITEM_PAGE

        ITEM_PAGE.register("ledgers.linkage", template="ledgers/linkage_panel.html", context=item_panel, order=5)


def _totals_follow_the_move(sender, *, unit, old_ancestor_ids, new_ancestor_ids, **kwargs):
    from huitoukan.ledgers import totals

    totals.subtree_moved(unit=unit, old_ancestor_ids=old_ancestor_ids, new_ancestor_ids=new_ancestor_ids)


def _totals_follow_the_level(sender, *, unit, old_level, **kwargs):
    from huitoukan.ledgers import totals

    totals.unit_level_changed(unit=unit, old_level=old_level)
