"""年度考核 (the year's summary, its xlsx, 评先选优), 表扬 and 纪实评价, under /accountability/annual/."""

from django.urls import path

from huitoukan.accountability import annual_views as views

urlpatterns = [
    path("", views.annual_index, name="annual-index"),
    path("export/", views.annual_export, name="annual-export"),
    path("candidates/", views.annual_candidates, name="annual-candidates"),
    path("commendations/", views.commendation_list, name="commendation-list"),
    path("commendations/new/", views.commendation_create, name="commendation-create"),
    path("evaluations/", views.evaluation_list, name="evaluation-list"),
    path("evaluations/new/", views.evaluation_create, name="evaluation-create"),
    path("evaluations/send/", views.evaluation_send, name="evaluation-send"),
    path("evaluations/<int:pk>/", views.evaluation_detail, name="evaluation-detail"),
    path("evaluations/<int:pk>/edit/", views.evaluation_edit, name="evaluation-edit"),
]
