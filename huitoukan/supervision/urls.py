from django.urls import include, path

from huitoukan.supervision import views

urlpatterns = [
    path("", views.supervision_index, name="supervision-index"),
    path("inspections/", views.inspection_list, name="inspection-list"),
    path("inspections/new/", views.inspection_create, name="inspection-create"),
    path("inspections/<int:pk>/", views.inspection_detail, name="inspection-detail"),
    path("inspections/<int:pk>/edit/", views.inspection_edit, name="inspection-edit"),
    path("inspections/<int:pk>/complete/", views.inspection_complete, name="inspection-complete"),
    path("inspections/<int:pk>/release/", views.inspection_release, name="inspection-release"),
    path("inspections/<int:pk>/evidence/", views.inspection_evidence, name="inspection-evidence"),
    path("evidence/<int:pk>/", views.evidence_download, name="inspection-evidence-download"),
    path("findings/new/", views.finding_create, name="finding-create"),
    path("findings/<int:pk>/", views.finding_detail, name="finding-detail"),
    path("findings/<int:pk>/answer/", views.finding_answer, name="finding-answer"),
    path("findings/<int:pk>/close/", views.finding_close, name="finding-close"),
    path("findings/<int:pk>/to-item/", views.finding_to_item, name="finding-to-item"),
    path("findings/<int:pk>/send-back/", views.finding_send_back, name="finding-send-back"),
    path("units/<int:pk>/findings/", views.unit_findings, name="unit-findings"),
    path("spot-checks/", include("huitoukan.supervision.spotcheck_urls")),
]
