from django.urls import path

from huitoukan.administration import audit_views, password_views, views

urlpatterns = [
    path("roles/", views.role_list, name="role-list"),
    path("roles/grant/", views.role_grant, name="role-grant"),
    path("roles/<int:pk>/revoke/", views.role_revoke, name="role-revoke"),
    path("audit/", audit_views.audit_log, name="audit-log"),
    path("audit/export/", audit_views.audit_export, name="audit-export"),
    path("accounts/password/", password_views.password_change, name="password-change"),
]
