from django.urls import path

from huitoukan.notifications import views

urlpatterns = [
    path("", views.notification_list, name="notification-list"),
    path("<int:pk>/read/", views.notification_read, name="notification-read"),
    path("read-all/", views.notification_read_all, name="notification-read-all"),
    path("settings/", views.notification_settings, name="notification-settings"),
    path("robots/", views.robot_list, name="robot-list"),
    path("robots/new/", views.robot_create, name="robot-create"),
    path("robots/<int:pk>/", views.robot_edit, name="robot-edit"),
    path("robots/<int:pk>/test/", views.robot_test, name="robot-test"),
]
