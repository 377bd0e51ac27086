from django.urls import path

from huitoukan.administration import views

urlpatterns = [
    path("roles/", views.role_list, name="role-list"),
    path("roles/grant/", views.role_grant, name="role-grant"),
    path("roles/<int:pk>/revoke/", views.role_revoke, name="role-revoke"),
    path("audit/", views.audit_log, name="audit-log"),
]
