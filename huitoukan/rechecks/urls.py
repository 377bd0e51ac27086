from django.urls import path

from huitoukan.rechecks import views

urlpatterns = [
    path("", views.recheck_list, name="recheck-list"),
    path("<int:pk>/", views.recheck_detail, name="recheck-detail"),
    path("<int:pk>/confirm/", views.recheck_confirm, name="recheck-confirm"),
    path("<int:pk>/fail/", views.recheck_fail, name="recheck-fail"),
    path("<int:pk>/ask-public/", views.recheck_ask_public, name="recheck-ask-public"),
]
