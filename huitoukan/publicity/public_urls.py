"""The public site, under /gongkai/: no login; every view is marked login_not_required by its module."""

from django.urls import include, path

urlpatterns = [
    path("", include("huitoukan.publicity.public_publication_urls")),
    path("", include("huitoukan.publicity.public_opinion_urls")),
    path("wenjuan/", include("huitoukan.publicity.public_survey_urls")),
]
