from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "huitoukan.reviews"
    label = "reviews"
