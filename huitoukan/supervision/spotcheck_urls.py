from django.urls import path

from huitoukan.supervision import spotcheck_views as views

urlpatterns = [
    path("", views.spotcheck_list, name="spotcheck-list"),
    path("new/", views.spotcheck_create, name="spotcheck-create"),
    path("coverage/", views.spotcheck_coverage, name="spotcheck-coverage"),
    path("<int:pk>/", views.spotcheck_detail, name="spotcheck-detail"),
    path("<int:pk>/draw/", views.spotcheck_draw, name="spotcheck-draw"),
    path("<int:pk>/verify/", views.spotcheck_verify, name="spotcheck-verify"),
]
