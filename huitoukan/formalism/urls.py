from django.urls import path

from huitoukan.formalism import views

urlpatterns = [
    path("", views.flag_list, name="flag-list"),
    path("<int:pk>/", views.flag_detail, name="flag-detail"),
    path("<int:pk>/dismiss/", views.flag_dismiss, name="flag-dismiss"),
    path("<int:pk>/to-finding/", views.flag_to_finding, name="flag-to-finding"),
]
