from django.apps import AppConfig


class AccountabilityConfig(AppConfig):
    name = "huitoukan.accountability"
    label = "accountability"
    verbose_name = "责任追究与考核"

    def ready(self):
        from huitoukan.accountability import (
            case_tally,
            passing_tasks,  # noqa: F401 (the daily refresh of the verdicts)
        )
        from huitoukan.accountability.case_panels import register_case_panels
        from huitoukan.accountability.passing_panels import unit_verdicts_panel
        from huitoukan.accountability.passing_selectors import counts_own as passing_counts_own
        from huitoukan.accountability.passing_services import items_changed, units_changed
        from huitoukan.core import hooks
        from huitoukan.orgs.panels import unit_panel_register
        from huitoukan.orgs.totals import work_own_register

        case_tally.register()  # the kept counts of the actions, for `totals-rebuild`
        register_case_panels()  # 责任追究 citing an item or a finding, on its page
        # 过关: the kept verdicts follow an acceptance decided and a survey closed, in their transaction.
        hooks.listen(hooks.ACCEPTANCE_DECIDED, units_changed)
        hooks.listen(hooks.SATISFACTION_MARKED, units_changed)
        hooks.listen(hooks.ITEMS_CHANGED, items_changed)  # an item closed, reopened, added or re-dated: on commit
        work_own_register("passing", passing_counts_own)
        unit_panel_register("accountability.passing", template="accountability/passing_unit_panel.html",
                            context=unit_verdicts_panel, order=40)
