from django.urls import path

from huitoukan.rollups import views

urlpatterns = [
    path("", views.rollup_start, name="rollup-start"),
    path("<int:pk>/", views.rollup, name="rollup"),
    path("<int:pk>/export/", views.rollup_export, name="rollup-export"),
]
