from django.urls import path

from huitoukan.campaigns import views

urlpatterns = [
    path("", views.campaign_list, name="campaign-list"),
    path("new/", views.campaign_create, name="campaign-create"),
    path("<int:pk>/", views.campaign_detail, name="campaign-detail"),
    path("<int:pk>/edit/", views.campaign_edit, name="campaign-edit"),
    path("<int:pk>/copy/", views.campaign_copy, name="campaign-copy"),
    path("<int:pk>/phases/new/", views.phase_add, name="phase-add"),
    path("<int:pk>/phases/<int:phase_pk>/edit/", views.phase_edit, name="phase-edit"),
    path("<int:pk>/phases/<int:phase_pk>/delete/", views.phase_delete, name="phase-delete"),
    path("<int:pk>/deadlines/new/", views.deadline_add, name="deadline-add"),
    path("<int:pk>/deadlines/<int:deadline_pk>/edit/", views.deadline_edit, name="deadline-edit"),
    path("<int:pk>/deadlines/<int:deadline_pk>/delete/", views.deadline_delete, name="deadline-delete"),
]
