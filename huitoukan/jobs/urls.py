from django.urls import path

from huitoukan.jobs import views

urlpatterns = [
    path("", views.job_list, name="job-list"),
    path("<uuid:pk>/", views.job_detail, name="job-detail"),
    path("<uuid:pk>/download/", views.job_download, name="job-download"),
]
