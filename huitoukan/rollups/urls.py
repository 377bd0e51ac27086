from django.urls import path

from huitoukan.rollups import dashboard_views, views

urlpatterns = [
    path("", views.rollup_start, name="rollup-start"),
    path("dashboard/", dashboard_views.dashboard, name="rollup-dashboard"),
    path("<int:pk>/", views.rollup, name="rollup"),
    path("<int:pk>/as-of/", views.rollup_as_of, name="rollup-as-of"),
    path("<int:pk>/export/", views.rollup_export, name="rollup-export"),
]
