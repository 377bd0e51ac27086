from django.urls import path

from huitoukan.orgs import transfer_views, views

urlpatterns = [
    path("units/", views.unit_list, name="unit-list"),
    path("units/tree/", views.unit_tree, name="unit-tree"),
    path("units/new/", views.unit_create, name="unit-create"),
    path("units/import/", transfer_views.unit_import, name="unit-import"),
    path("units/export/", transfer_views.unit_export, name="unit-export"),
    path("units/<int:pk>/", views.unit_detail, name="unit-detail"),
    path("units/<int:pk>/history/", views.unit_history, name="unit-history"),
    path("units/<int:pk>/edit/", views.unit_edit, name="unit-edit"),
    path("units/<int:pk>/move/", views.unit_move, name="unit-move"),
    path("units/<int:pk>/abolish/", views.unit_abolish, name="unit-abolish"),
    path("people/", views.person_list, name="person-list"),
    path("people/new/", views.person_create, name="person-create"),
    path("people/<int:pk>/", views.person_detail, name="person-detail"),
    path("people/<int:pk>/edit/", views.person_edit, name="person-edit"),
    path("groups/", views.group_list, name="group-list"),
    path("groups/new/", views.group_create, name="group-create"),
    path("groups/<int:pk>/", views.group_detail, name="group-detail"),
    path("groups/<int:pk>/edit/", views.group_edit, name="group-edit"),
    path("groups/<int:pk>/assign/", views.group_assign, name="group-assign"),
    path("groups/<int:pk>/deactivate/", views.group_deactivate, name="group-deactivate"),
    path("groups/<int:pk>/reactivate/", views.group_reactivate, name="group-reactivate"),
]
