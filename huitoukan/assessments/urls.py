from django.urls import path

from huitoukan.assessments import views

urlpatterns = [
    path("", views.assessment_index, name="assessment-index"),
    path("campaigns/<int:campaign>/checklists/", views.checklist_list, name="checklist-list"),
    path("campaigns/<int:campaign>/checklists/new/", views.checklist_create, name="checklist-create"),
    path("campaigns/<int:campaign>/thresholds/", views.thresholds_edit, name="thresholds-edit"),
    path("campaigns/<int:campaign>/units/<int:unit>/", views.assessment_unit, name="assessment-unit"),
    path("campaigns/<int:campaign>/units/<int:unit>/acceptance/", views.acceptance_unit, name="acceptance-unit"),
    path("checklists/<int:pk>/", views.checklist_detail, name="checklist-detail"),
    path("checklists/<int:pk>/edit/", views.checklist_edit, name="checklist-edit"),
    path("checklists/<int:pk>/publish/", views.checklist_publish, name="checklist-publish"),
    path("versions/<int:version>/units/<int:unit>/score/", views.assessment_create, name="assessment-create"),
    path("<int:pk>/", views.assessment_detail, name="assessment-detail"),
    path("evidence/<int:pk>/", views.evidence_download, name="assessment-evidence-download"),
    path("remedial/<int:pk>/done/", views.remedial_done, name="remedial-done"),
    path("plan-tasks/<int:pk>/accept/", views.acceptance_create, name="acceptance-create"),
]
