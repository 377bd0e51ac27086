from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "huitoukan.reviews"
    label = "reviews"

    def ready(self):
        from huitoukan.reviews import reminders  # noqa: F401 (registers the reminders' job kind)
