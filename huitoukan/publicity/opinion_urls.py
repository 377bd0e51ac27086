"""The office's pages of 群众意见, under /publicity/opinions/."""

from django.urls import path

from huitoukan.publicity import opinion_views as views

urlpatterns = [
    path("", views.opinion_list, name="opinion-list"),
    path("<int:pk>/", views.opinion_detail, name="opinion-detail"),
    path("<int:pk>/contact/", views.opinion_contact, name="opinion-contact"),
    path("<int:pk>/answer/", views.opinion_answer, name="opinion-answer"),
    path("<int:pk>/reroute/", views.opinion_reroute, name="opinion-reroute"),
    path("<int:pk>/ledger/", views.opinion_ledger, name="opinion-ledger"),
    path("<int:pk>/refer/", views.opinion_refer, name="opinion-refer"),
]
