from django.urls import path

from huitoukan.plans import views

urlpatterns = [
    path("", views.plan_list, name="plan-list"),
    path("new/", views.plan_create, name="plan-create"),
    path("tasks/import/", views.task_import, name="plan-task-import"),
    path("tasks/template/", views.task_template, name="plan-task-template"),
    path("<int:pk>/", views.plan_detail, name="plan-detail"),
    path("<int:pk>/edit/", views.plan_edit, name="plan-edit"),
    path("<int:pk>/items/", views.plan_items, name="plan-items"),
    path("<int:pk>/file/", views.plan_file, name="plan-file"),
    path("<int:pk>/file/download/", views.plan_file_download, name="plan-file-download"),
    path("<int:pk>/history/", views.plan_history, name="plan-history"),
    path("<int:pk>/steps/new/", views.step_add, name="plan-step-add"),
    path("<int:pk>/steps/<int:step_pk>/edit/", views.step_edit, name="plan-step-edit"),
    path("<int:pk>/steps/<int:step_pk>/delete/", views.step_delete, name="plan-step-delete"),
    path("<int:pk>/tasks/new/", views.task_add, name="plan-task-add"),
    path("<int:pk>/tasks/<int:task_pk>/edit/", views.task_edit, name="plan-task-edit"),
    path("<int:pk>/tasks/<int:task_pk>/delete/", views.task_delete, name="plan-task-delete"),
]
