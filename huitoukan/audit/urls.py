from django.urls import path

from huitoukan.audit import views

urlpatterns = [
    path("", views.audit_log, name="audit-log"),
]
