from django.urls import path

from huitoukan.access import views

urlpatterns = [
    path("", views.role_list, name="role-list"),
    path("grant/", views.role_grant, name="role-grant"),
    path("<int:pk>/revoke/", views.role_revoke, name="role-revoke"),
]
