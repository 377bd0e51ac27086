"""The office's survey pages, under /publicity/surveys/."""

from django.urls import path

from huitoukan.publicity import survey_views as views

urlpatterns = [
    path("", views.survey_list, name="survey-list"),
    path("new/", views.survey_create, name="survey-create"),
    path("<int:pk>/", views.survey_detail, name="survey-detail"),
    path("<int:pk>/edit/", views.survey_edit, name="survey-edit"),
    path("<int:pk>/open/", views.survey_open, name="survey-open"),
    path("<int:pk>/close/", views.survey_close, name="survey-close"),
    path("<int:pk>/tokens/", views.survey_tokens, name="survey-tokens"),
    path("<int:pk>/export/", views.survey_export, name="survey-export"),
]
