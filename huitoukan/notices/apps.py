from django.apps import AppConfig


class NoticesConfig(AppConfig):
    name = "huitoukan.notices"
    label = "notices"
    verbose_name = "督办通知单"

    def ready(self):
        from huitoukan.notices import escalation  # noqa: F401 (registers the escalation's job kind)
        from huitoukan.notices.panels import finding_notices_panel, open_notices_panel
        from huitoukan.supervision.panels import FINDING_PAGE, WORK_LIST

        FINDING_PAGE.register("notices.of-finding", template="notices/_finding_panel.html",
                              context=finding_notices_panel)
        WORK_LIST.register("notices.open", template="notices/_work_list_panel.html", context=open_notices_panel)
        from huitoukan.notices.selectors import notices_own
        from huitoukan.orgs.totals import work_own_register

        work_own_register("notices", notices_own)
