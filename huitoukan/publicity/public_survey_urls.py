"""The public answer page of a survey token, under /gongkai/wenjuan/ (no login)."""

from django.urls import re_path

from huitoukan.publicity import public_survey_views as views

urlpatterns = [
    # A token is 22 URL-safe characters (survey_services.TOKEN_BYTES); anything else is no token.
    re_path(r"^(?P<token>[A-Za-z0-9_-]{16,64})/$", views.survey_answer, name="public-survey-answer"),
]
