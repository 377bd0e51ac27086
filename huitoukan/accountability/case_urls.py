"""责任追究 under /accountability/cases/ (login required)."""

from django.urls import path

from huitoukan.accountability import case_views as views

urlpatterns = [
    path("", views.case_list, name="case-list"),
    path("new/", views.case_create, name="case-create"),
    path("suggestions/", views.case_suggestions, name="case-suggestions"),
    path("<int:pk>/", views.case_detail, name="case-detail"),
    path("<int:pk>/edit/", views.case_edit, name="case-edit"),
    path("<int:pk>/actions/", views.case_action_add, name="case-action-add"),
    path("actions/<int:pk>/remove/", views.case_action_remove, name="case-action-remove"),
    path("<int:pk>/documents/", views.case_documents, name="case-documents"),
    path("<int:pk>/conclude/", views.case_conclude, name="case-conclude"),
    path("documents/<int:pk>/", views.case_document_download, name="case-document-download"),
]
