from django.urls import path

from huitoukan.administration import audit_views, password_views, security_views, user_views, views

urlpatterns = [
    path("roles/", views.role_list, name="role-list"),
    path("roles/grant/", views.role_grant, name="role-grant"),
    path("roles/<int:pk>/revoke/", views.role_revoke, name="role-revoke"),
    path("audit/", audit_views.audit_log, name="audit-log"),
    path("audit/export/", audit_views.audit_export, name="audit-export"),
    path("admin-console/users/", user_views.account_list, name="account-list"),
    path("admin-console/users/new/", user_views.account_create, name="account-create"),
    path("admin-console/users/<int:pk>/disable/", user_views.account_disable, name="account-disable"),
    path("admin-console/users/<int:pk>/enable/", user_views.account_enable, name="account-enable"),
    path("admin-console/users/<int:pk>/password-reset/", user_views.account_password_reset,
         name="account-password-reset"),
    path("accounts/password/", password_views.password_change, name="password-change"),
    path("security/policy/", security_views.security_policy, name="security-policy"),
    path("security/policy/edit/", security_views.security_policy_edit, name="security-policy-edit"),
    path("security/policy/history/", security_views.security_policy_history, name="security-policy-history"),
    path("security/locked/", security_views.locked_accounts, name="security-locked"),
    path("security/locked/unlock/", security_views.account_unlock, name="security-unlock"),
    path("security/sessions/", security_views.session_list, name="security-sessions"),
    path("security/sessions/end/", security_views.session_end, name="security-session-end"),
    path("security/stale-accounts/", security_views.stale_accounts, name="security-stale-accounts"),
]
