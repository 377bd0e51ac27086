"""The office's pages of 开门整改 (login required), under /publicity/."""

from django.urls import include, path

urlpatterns = [
    path("", include("huitoukan.publicity.publication_urls")),
    path("opinions/", include("huitoukan.publicity.opinion_urls")),
    path("surveys/", include("huitoukan.publicity.survey_urls")),
]
