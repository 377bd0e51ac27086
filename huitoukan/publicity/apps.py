from django.apps import AppConfig


class PublicityConfig(AppConfig):
    name = "huitoukan.publicity"
    label = "publicity"
    verbose_name = "开门整改"

    def ready(self):
        from huitoukan.orgs.totals import work_own_register
        from huitoukan.publicity import contact, opinion_reminders  # noqa: F401 (the contact key's checks; the reminders' job kind)
        from huitoukan.publicity.opinion_panels import register_panels
        from huitoukan.publicity.opinion_selectors import opinions_own
        from huitoukan.publicity.survey_selectors import surveys_own

        register_panels()
        work_own_register("opinions", opinions_own)
        work_own_register("surveys", surveys_own)
